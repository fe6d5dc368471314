// Markdown for keys and spec keys, built from the catalogue and the spec docs, so that completion
// items and hovers say the same thing in the same words.

import type { GuestType, KeySpec, SpecKeyDoc, ValueKind } from '../catalogue';
import type { VersionFacts } from '../catalogue/types';
import { describeTarget, lacks, removedBy, type XenTarget } from '../catalogue/xenVersions';

const KIND_TEXT: Readonly<Record<ValueKind, string>> = {
  string: 'string',
  integer: 'integer',
  boolean: 'boolean (0 or 1)',
  'string-list': 'list of strings',
  'string-or-list': 'string or list of strings',
  'integer-or-string': 'integer or string',
  'boolean-or-string': 'boolean or string',
  'boolean-or-string-list': 'boolean or list of strings',
  'list-of-string-lists': 'list of lists of strings',
};

const GUEST_TEXT: Readonly<Record<GuestType, string>> = { pv: 'PV', pvh: 'PVH', hvm: 'HVM' };

/** How a kind of value reads in docs: "boolean (0 or 1)", "list of strings", ... */
export function valueKindText(kind: ValueKind): string {
  return KIND_TEXT[kind];
}

/** "integer, in MiB" */
export function kindText(spec: KeySpec): string {
  const kind = KIND_TEXT[spec.kind];
  return spec.unit === undefined ? kind : `${kind}, in ${spec.unit}`;
}

export function guestTypesText(types: readonly GuestType[]): string {
  return types.map((type) => GUEST_TEXT[type]).join(', ');
}

/**
 * The catalogue never changes while the server runs, so each key's texts are built once: a key
 * completion list asks for all 172 of them on every keystroke.
 */
export function memoizedBySpec(build: (spec: KeySpec) => string): (spec: KeySpec) => string {
  const memo = new Map<KeySpec, string>();
  return (spec) => {
    let text = memo.get(spec);
    if (text === undefined) {
      text = build(spec);
      memo.set(spec, text);
    }
    return text;
  };
}

/** One short line for a completion item's detail. */
export const keyDetail = memoizedBySpec(buildKeyDetail);

/** The full description of a key: doc, facts, deprecation, example. */
export const keyMarkdown = memoizedBySpec(buildKeyMarkdown);

function buildKeyDetail(spec: KeySpec): string {
  const parts = [kindText(spec)];
  if (spec.default !== undefined) parts.push(`default: ${spec.default}`);
  if (spec.deprecated) parts.push('deprecated');
  return parts.join(' · ');
}

function buildKeyMarkdown(spec: KeySpec): string {
  const lines = [`**${spec.name}**`, '', spec.doc, ''];
  const facts = [`*Value:* ${kindText(spec)}`];
  if (spec.enum !== undefined) facts.push(`*One of:* ${spec.enum.map((value) => `\`${value}\``).join(', ')}`);
  if (spec.default !== undefined) facts.push(`*Default:* ${spec.default}`);
  facts.push(`*Applies to:* ${guestTypesText(spec.guestTypes)}${spec.arch === 'any' ? '' : ` (${spec.arch} only)`}`);
  const versions = versionText(spec.version, spec.valueVersions);
  if (versions !== undefined) facts.push(versions);
  lines.push(facts.join('  \n'));
  if (spec.deprecated) {
    lines.push('', `**Deprecated**${spec.replacement !== undefined ? `: use \`${spec.replacement}\` instead.` : ': xl still reads it, but it should go.'}`);
  }
  lines.push('', '```xl', spec.example, '```');
  return lines.join('\n');
}

/** The description of one key of a value mini-language (`vdev` in a disk spec). */
export function specKeyMarkdown(key: SpecKeyDoc, language: string): string {
  const lines = [`**${key.name}** (${language})`, '', key.doc];
  const facts: string[] = [];
  if (key.values !== undefined && key.values.length <= 20) facts.push(`*One of:* ${key.values.map((value) => `\`${value}\``).join(', ')}`);
  if (key.default !== undefined) facts.push(`*Default:* ${key.default}`);
  if (key.deprecated) facts.push('**Deprecated**: still accepted, but superseded.');
  const versions = versionText(key.version, key.valueVersions);
  if (versions !== undefined) facts.push(versions);
  if (facts.length > 0) lines.push('', facts.join('  \n'));
  if (key.example !== undefined) lines.push('', `Example: \`${key.example}\``);
  return lines.join('\n');
}

/** "*Xen:* since Xen 4.19; `rombios` removed in Xen 4.21", from the version facts of a key and its values. */
export function versionText(facts: VersionFacts | undefined, values: Readonly<Record<string, VersionFacts>> | undefined): string | undefined {
  const parts: string[] = [];
  const own = versionPhrase(facts);
  if (own !== undefined) parts.push(own);
  for (const [value, fact] of Object.entries(values ?? {})) {
    const phrase = versionPhrase(fact);
    if (phrase !== undefined) parts.push(`\`${value}\` ${phrase}`);
  }
  return parts.length === 0 ? undefined : `*Xen:* ${parts.join('; ')}`;
}

function versionPhrase(facts: VersionFacts | undefined): string | undefined {
  if (facts === undefined) return undefined;
  const words: string[] = [];
  if (facts.since !== undefined) words.push(`since Xen ${facts.since}`);
  if (facts.deprecatedIn !== undefined) words.push(`deprecated in Xen ${facts.deprecatedIn}`);
  if (facts.removedIn !== undefined) words.push(`removed in Xen ${facts.removedIn}${facts.replacement === undefined ? '' : ` (use \`${facts.replacement}\`)`}`);
  return words.length === 0 ? undefined : words.join(', ');
}

/**
 * What the target's xl lacks of a key or value, for a completion item's detail ("needs Xen 4.22",
 * "removed in Xen 4.21"); undefined when the target has it or there is no target.
 */
export function versionGap(facts: VersionFacts | undefined, target: XenTarget | undefined): string | undefined {
  if (target === undefined) return undefined;
  if (lacks(facts, target.version)) return `needs Xen ${facts.since}`;
  if (removedBy(facts, target.version)) return `removed in Xen ${facts.removedIn}`;
  return undefined;
}

/** A hover's closing line when the target's xl lacks the key or value. */
export function versionGapMarkdown(facts: VersionFacts | undefined, target: XenTarget | undefined, what: string): string | undefined {
  const gap = versionGap(facts, target);
  return gap === undefined || target === undefined ? undefined : `**${what} ${gap}**: ${describeTarget(target)}.`;
}
