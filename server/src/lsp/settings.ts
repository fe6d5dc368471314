// The server's settings (the `xen.*` section), read with workspace/configuration. Every field has a
// default, so the server works with clients that send nothing.

import type { QuoteStyle } from '../analysis/format';
import type { SeverityOverride } from '../analysis/rules';
import { XEN_VERSIONS, type XenVersion } from '../catalogue/types';

export interface ServerSettings {
  /** Severity per rule code (without `xl.`): error, warning, information, hint or off. */
  readonly rules: Readonly<Record<string, SeverityOverride>>;
  /** Files larger than this (in bytes) get syntax diagnostics only. */
  readonly maxFileSize: number;
  /** Compare names, MACs and VNC displays with the other configs of the workspace. */
  readonly workspaceChecks: boolean;
  /** `xen.format.*`: the quote style strings are rewritten to, and the width a one-line list must fit. */
  readonly format: { readonly quoteStyle: QuoteStyle; readonly maxLineLength: number };
  /** `xen.inlayHints.enabled`: sizes, vCPU counts and boot order shown after values. */
  readonly inlayHints: boolean;
  /** `xen.targetVersion`: the Xen version configs are checked for, or `auto` (the host's, when the client says). */
  readonly targetVersion: 'auto' | XenVersion;
  /** `xen.checkHostPaths`: look for the config's host paths on this host (`auto`: only on a Xen control domain). */
  readonly checkHostPaths: HostPathChecks;
}

export type HostPathChecks = 'auto' | 'always' | 'never';

export const DEFAULT_SETTINGS: ServerSettings = {
  rules: {},
  maxFileSize: 5 * 1024 * 1024,
  workspaceChecks: true,
  format: { quoteStyle: 'keep', maxLineLength: 100 },
  inlayHints: false,
  targetVersion: 'auto',
  checkHostPaths: 'auto',
};

const QUOTE_STYLES = new Set(['keep', 'single', 'double']);

const HOST_PATH_CHECKS = new Set(['auto', 'always', 'never']);

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Reads the `xen` section leniently: a wrong type falls back to the default. */
export function readSettings(section: unknown): ServerSettings {
  const xen = (section ?? {}) as {
    diagnostics?: { rules?: unknown; maxFileSize?: unknown; workspaceChecks?: unknown };
    format?: { quoteStyle?: unknown; maxLineLength?: unknown };
    inlayHints?: { enabled?: unknown };
    targetVersion?: unknown;
    checkHostPaths?: unknown;
  };
  const diagnostics = xen.diagnostics ?? {};
  const rules: Record<string, SeverityOverride> = {};
  if (typeof diagnostics.rules === 'object' && diagnostics.rules !== null) {
    for (const [code, severity] of Object.entries(diagnostics.rules)) {
      if (typeof severity === 'string' && SEVERITIES.has(severity)) rules[code.replace(/^xl\./, '')] = severity as SeverityOverride;
    }
  }
  const maxFileSize = typeof diagnostics.maxFileSize === 'number' && diagnostics.maxFileSize > 0 ? diagnostics.maxFileSize : DEFAULT_SETTINGS.maxFileSize;
  const workspaceChecks = typeof diagnostics.workspaceChecks === 'boolean' ? diagnostics.workspaceChecks : true;
  const formatSection = xen.format ?? {};
  const quoteStyle = typeof formatSection.quoteStyle === 'string' && QUOTE_STYLES.has(formatSection.quoteStyle) ? (formatSection.quoteStyle as QuoteStyle) : 'keep';
  const maxLineLength = typeof formatSection.maxLineLength === 'number' && formatSection.maxLineLength >= 20 ? Math.floor(formatSection.maxLineLength) : DEFAULT_SETTINGS.format.maxLineLength;
  const inlayHints = xen.inlayHints?.enabled === true;
  // Only the versions of the setting's list: a typo falls back to `auto`, not to the nearest version.
  const targetVersion = (XEN_VERSIONS as readonly unknown[]).includes(xen.targetVersion) ? (xen.targetVersion as XenVersion) : 'auto';
  const checkHostPaths = typeof xen.checkHostPaths === 'string' && HOST_PATH_CHECKS.has(xen.checkHostPaths) ? (xen.checkHostPaths as HostPathChecks) : 'auto';
  return { rules, maxFileSize, workspaceChecks, format: { quoteStyle, maxLineLength }, inlayHints, targetVersion, checkHostPaths };
}

/**
 * Whether the server looks for configs' host paths: `always`, `never`, or with `auto` only on a Xen
 * control domain, where the configs are used (`controlDomain` is undefined until the server knows).
 */
export function checksHostPaths(setting: HostPathChecks, controlDomain: boolean | undefined): boolean {
  return setting === 'always' || (setting === 'auto' && controlDomain === true);
}
