// The decisions behind Set Memory… and Set vCPUs…, as pure functions: the bounds a running guest
// allows (from `xl list -l` and `xl list`), reading what the user typed, whether the guest's
// memory followed the new target, and the edit that writes the same value into its config text.
// No `vscode` import.

import type { Domain, DomainConfig } from '../xl';

/** Below this a guest's kernel can hardly run; the floor of Set Memory… (libxl itself has none). */
export const MIN_GUEST_MIB = 32;

export interface MemoryBounds {
  minMiB: number;
  /** The guest's maxmem (libxl refuses a target above it), or its current size when unknown. */
  maxMiB: number;
  /** What the guest has now (`xl list`). */
  currentMiB: number;
  /** False when `xl list -l` had no maxmem and the bound is only the current size. */
  maxKnown: boolean;
}

export function memoryBounds(domain: Pick<Domain, 'memoryMiB'>, details: Pick<DomainConfig, 'maxMemKiB' | 'targetMemKiB'>): MemoryBounds {
  const currentMiB = domain.memoryMiB;
  const maxKnown = details.maxMemKiB !== undefined && details.maxMemKiB > 0;
  const maxMiB = maxKnown ? Math.floor((details.maxMemKiB as number) / 1024) : Math.max(currentMiB, Math.floor((details.targetMemKiB ?? 0) / 1024));
  return { minMiB: Math.min(MIN_GUEST_MIB, maxMiB), maxMiB, currentMiB, maxKnown };
}

/**
 * A size as an admin types it: `2048` and `2048M` are MiB, `2G` is GiB (`2.5G` too), `512MiB`,
 * `1GB`, `1t`: case and a space before the unit do not matter. Whole MiB only.
 */
export function parseMemoryText(text: string): { mib: number } | { error: string } {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([mgt])?(?:i?b)?\s*$/i.exec(text);
  if (match === null) return { error: 'Type a size such as 2048, 2048M or 2G (no unit means MiB).' };
  const unit = (match[2] ?? 'm').toLowerCase();
  const scale = unit === 't' ? 1024 * 1024 : unit === 'g' ? 1024 : 1;
  const mib = Number(match[1]) * scale;
  if (!Number.isFinite(mib)) return { error: 'That size is too large.' };
  if (!Number.isInteger(mib)) return { error: `${text.trim()} is not a whole number of MiB (${mib} MiB).` };
  return { mib };
}

/** What the input box says about TEXT: an error (cannot run) or a warning (may hurt the guest). */
export interface InputCheck {
  value?: number;
  error?: string;
  warning?: string;
}

export function checkMemoryText(text: string, bounds: MemoryBounds): InputCheck {
  const parsed = parseMemoryText(text);
  if ('error' in parsed) return { error: parsed.error };
  const { mib } = parsed;
  if (mib < bounds.minMiB) return { error: `At least ${bounds.minMiB} MiB.` };
  if (mib > bounds.maxMiB) {
    return {
      error: bounds.maxKnown
        ? `At most ${bounds.maxMiB} MiB: the guest's maxmem. A higher maxmem takes a restart (set it in the config).`
        : `At most ${bounds.maxMiB} MiB: xl did not report the guest's maxmem, so it can only shrink.`,
    };
  }
  if (mib < bounds.currentMiB / 2) {
    return { value: mib, warning: `Less than half of the ${bounds.currentMiB} MiB the guest has now: its programs may run out of memory.` };
  }
  return { value: mib };
}

/** The prompt under the input box: the bounds, before anything is typed. */
export function memoryPrompt(name: string, bounds: MemoryBounds): string {
  const max = bounds.maxKnown ? `${bounds.maxMiB} MiB (its maxmem)` : `${bounds.maxMiB} MiB (its maxmem is unknown)`;
  return `Memory for ${JSON.stringify(name)}, now ${bounds.currentMiB} MiB: from ${bounds.minMiB} MiB to ${max}. MiB unless you add G.`;
}

export interface VcpuBounds {
  min: number;
  max: number;
  current: number;
  /** The guest's maximum (maxvcpus at boot). */
  maxVcpus: number;
  /** Set when the host's CPU count, not maxvcpus, is the limit (xl refuses to overcommit). */
  hostCpus?: number;
}

/**
 * 1 to the guest's maximum; xl (without --ignore-host) also refuses to raise a guest above the
 * host's CPU count, though a guest already above it may stay there.
 */
export function vcpuBounds(domain: Pick<Domain, 'vcpus'>, details: Pick<DomainConfig, 'maxVcpus'>, hostCpus?: number): VcpuBounds {
  const current = domain.vcpus;
  const maxVcpus = details.maxVcpus !== undefined && details.maxVcpus > 0 ? details.maxVcpus : current;
  if (hostCpus !== undefined && hostCpus > 0 && hostCpus < maxVcpus) {
    const max = Math.max(current, hostCpus);
    if (max < maxVcpus) return { min: 1, max, current, maxVcpus, hostCpus };
  }
  return { min: 1, max: maxVcpus, current, maxVcpus };
}

export function checkVcpuText(text: string, bounds: VcpuBounds): InputCheck {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { error: 'Type a whole number of vCPUs.' };
  const count = Number(trimmed);
  if (count < bounds.min) return { error: `At least ${bounds.min}.` };
  if (count > bounds.max) {
    return {
      error:
        bounds.hostCpus !== undefined
          ? `At most ${bounds.max}: the host has ${bounds.hostCpus} CPUs and xl refuses to give a guest more.`
          : `At most ${bounds.max}: the guest's maximum (maxvcpus). A higher maximum takes a restart (set maxvcpus in the config).`,
    };
  }
  return { value: count };
}

export function vcpuPrompt(name: string, bounds: VcpuBounds): string {
  const why = bounds.hostCpus !== undefined ? `the host's ${bounds.hostCpus} CPUs (its maxvcpus is ${bounds.maxVcpus})` : 'its maxvcpus';
  return `Online vCPUs for ${JSON.stringify(name)}, now ${bounds.current}: from ${bounds.min} to ${bounds.max} (${why}). The guest may have to bring added vCPUs online itself.`;
}

/**
 * Whether the guest's memory (as `xl list` reports it) followed a new target. A balloon driver
 * may stop a few pages off, so the allowance is 2% or 8 MiB, whichever is larger; a guest without
 * one does not move at all (on the rig an HVM guest asked for 96 MiB kept its 128).
 */
export function memoryReached(currentMiB: number, targetMiB: number): boolean {
  return Math.abs(currentMiB - targetMiB) <= Math.max(8, targetMiB * 0.02);
}

/** The edit that makes the config say `KEY = VALUE`: offsets into the text and what goes there. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Replaces the value of the last top-level `KEY = ...` (the one xl reads), keeping its line's
 * comment, or adds a line at the end when the key is not set (or its value spans lines: a later
 * assignment wins in xl). Strings, comments and bracketed lists are skipped while looking.
 */
export function configValueEdit(text: string, key: string, value: string): TextEdit {
  const found = lastTopLevelValue(text, key);
  if (found !== undefined) return { start: found.start, end: found.end, text: value };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lead = text === '' || text.endsWith('\n') ? '' : eol;
  return { start: text.length, end: text.length, text: `${lead}${key} = ${value}${eol}` };
}

/** The value span of the last one-line top-level assignment of KEY. */
function lastTopLevelValue(text: string, key: string): { start: number; end: number } | undefined {
  const assignment = new RegExp(`^[ \\t]*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*=[ \\t]*`);
  let depth = 0;
  let quote: string | undefined;
  let found: { start: number; end: number } | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    let candidate: { start: number; end: number } | undefined;
    if (depth === 0 && quote === undefined) {
      const match = assignment.exec(line);
      if (match !== null) candidate = { start: lineStart + match[0].length, end: -1 };
    }
    for (let i = 0; i < line.length; i++) {
      const char = line[i];
      if (quote !== undefined) {
        if (char === '\\') i++;
        else if (char === quote) quote = undefined;
        continue;
      }
      if (char === '#') break;
      if (char === ';' && depth === 0 && candidate !== undefined && candidate.end < 0) candidate.end = lineStart + i;
      if (char === '"' || char === "'") quote = char;
      else if (char === '[' || char === '(') depth++;
      else if ((char === ']' || char === ')') && depth > 0) depth--;
    }
    if (candidate !== undefined && depth === 0 && quote === undefined) {
      if (candidate.end < 0) {
        const hash = commentStart(line);
        candidate.end = lineStart + (hash ?? line.length);
      }
      // Trailing blanks before a comment stay where they are.
      while (candidate.end > candidate.start && /[ \t]/.test(text[candidate.end - 1])) candidate.end--;
      if (candidate.end > candidate.start) found = candidate;
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return found;
}

/** Where a `#` comment starts on a line (outside strings), if it has one. */
function commentStart(line: string): number | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#') return i;
  }
  return undefined;
}
