// Feature: Hover. What the thing under the cursor means: a key's doc and facts, a value read in
// plain words (sizes, boot order, actions, booleans), and inside spec strings the doc of the part.

import { KEY_BY_NAME, KEY_NAMES, type KeySpec, type SpecKeyDoc } from '../catalogue';
import { TokenKind, type AtomNode, type XlDocument } from '../syntax';
import type { SpecPart } from '../specs';
import { describeBootOrder, describeSize, integerOf, isSizeUnit } from './describe';
import { keyMarkdown, versionGapMarkdown, versionText } from './docs';
import type { XenTarget } from '../catalogue/xenVersions';
import { XEN_OUI } from './hostFacts';
import { assignmentAt, atomAt, cursorContext, decodedOffset, partRange, specAtomAt, tokenAt, type SpecAtom } from './locate';
import { closest } from '../text/suggest';

export interface HoverResult {
  readonly start: number;
  readonly end: number;
  readonly markdown: string;
}

/** `target`: the Xen version configs are checked for; a key or value it lacks says so. */
export function hover(document: XlDocument, offset: number, target?: XenTarget): HoverResult | undefined {
  const token = tokenAt(document, offset);
  if (token === undefined) return undefined;
  if (token.kind === TokenKind.Ident) {
    // A key of a statement, or a word where completion would offer keys: a key whose statement did
    // not parse (`memory 1024`) is still worth explaining. (Tokens are made on request, so they
    // are compared by offset.)
    if (assignmentAt(document, offset)?.key.start !== token.start && cursorContext(document, token.end).kind !== 'key') return undefined;
    return { start: token.start, end: token.end, markdown: keyHover(document.text.slice(token.start, token.end), target) };
  }
  if (token.kind !== TokenKind.String && token.kind !== TokenKind.Number) return undefined;
  const assignment = assignmentAt(document, offset);
  const atom = atomAt(assignment?.value, offset);
  if (assignment === undefined || atom === undefined) return undefined;
  const spec = KEY_BY_NAME.get(assignment.keyText);
  if (spec === undefined) return undefined;
  const specAtom = specAtomAt(assignment, offset);
  if (specAtom !== undefined) return specHover(document.text, spec, specAtom.target, decodedOffset(document.text, atom, offset), target);
  const markdown = withGap(valueHover(spec, atom), versionGapMarkdown(spec.valueVersions !== undefined && Object.hasOwn(spec.valueVersions, atom.value) ? spec.valueVersions[atom.value] : undefined, target, `\`${atom.value}\``));
  return markdown === undefined ? undefined : { start: atom.start, end: atom.end, markdown };
}

/** A hover's text with the target's version gap, if any, at the end. */
function withGap(markdown: string | undefined, gap: string | undefined): string | undefined {
  if (gap === undefined) return markdown;
  return markdown === undefined ? gap : `${markdown}\n\n${gap}`;
}

function keyHover(name: string, target: XenTarget | undefined): string {
  const spec = KEY_BY_NAME.get(name);
  if (spec !== undefined) return withGap(keyMarkdown(spec), versionGapMarkdown(spec.version, target, `\`${spec.name}\``))!;
  const suggestion = closest(name, KEY_NAMES);
  return `**${name}**\n\nxl does not read this key: it is ignored.${suggestion !== undefined ? ` Did you mean \`${suggestion}\`?` : ''}`;
}

/** A plain value: sizes, counts, booleans and enumerations. */
function valueHover(spec: KeySpec, atom: AtomNode): string | undefined {
  const value = atom.value;
  const lines: string[] = [`**${spec.name}** = \`${value}\``, ''];
  if (spec.kind === 'integer' && isSizeUnit(spec.unit)) {
    const size = describeSize(value, spec.unit!);
    if (size === undefined) return undefined;
    lines.push(`${value} ${spec.unit} = **${size}**`);
  } else if (spec.name === 'vcpus' || spec.name === 'maxvcpus') {
    const count = integerOf(value);
    if (count === undefined) return undefined;
    lines.push(spec.name === 'vcpus' ? `${count} virtual CPU${count === 1 ? '' : 's'} online when the guest boots.` : `Up to ${count} virtual CPU${count === 1 ? '' : 's'}, the ones beyond \`vcpus\` can be brought online later.`);
  } else if (spec.name === 'vncdisplay') {
    const display = integerOf(value);
    if (display === undefined) return undefined;
    lines.push(`VNC display ${display}: TCP port ${5900 + display}.`);
  } else if (spec.kind === 'boolean' || ((spec.kind === 'boolean-or-string' || spec.kind === 'boolean-or-string-list') && integerOf(value) !== undefined)) {
    const number = integerOf(value);
    if (number === undefined) return undefined;
    lines.push(number === 0 ? 'Off (0).' : `On (${value}: any number but 0 is true).`);
  } else if (spec.enum !== undefined && spec.enum.includes(value)) {
    lines.push(`One of ${spec.enum.map((item) => `\`${item}\``).join(', ')}.`);
  } else if (spec.unit !== undefined && integerOf(value) !== undefined) {
    lines.push(`${integerOf(value)} ${spec.unit}.`);
  } else {
    return undefined;
  }
  return lines.join('\n');
}

/** A part of a spec string: the doc of its spec key and of its value. */
function specHover(text: string, spec: KeySpec, specAtom: SpecAtom, cursor: number, target: XenTarget | undefined): HoverResult | undefined {
  const { language, atom, parts } = specAtom;
  const index = parts.findIndex((part) => cursor >= part.start && (cursor < part.end || (part.start === part.end && cursor === part.end)));
  if (index < 0) return undefined;
  // `xvdb:cdrom` is one field with two parts: explain both.
  let first = index;
  let last = index;
  while (first > 0 && joined(parts[first - 1], parts[first], atom.value)) first--;
  while (last + 1 < parts.length && joined(parts[last], parts[last + 1], atom.value)) last++;
  const sections: string[] = [];
  for (let at = first; at <= last; at++) {
    const part = parts[at];
    const key = language.keys.find((candidate) => candidate.name === part.key);
    const gap = part.explicitKey ? versionGapMarkdown(key?.version, target, `\`${part.key}=\``) ?? versionGapMarkdown(key?.valueVersions !== undefined && Object.hasOwn(key.valueVersions, part.value) ? key.valueVersions[part.value] : undefined, target, `\`${part.key}=${part.value}\``) : undefined;
    sections.push(withGap(partMarkdown(spec, language.id, key, part), gap)!);
  }
  const range = partRange(text, atom, parts[first].start, parts[last].end);
  return { ...range, markdown: sections.join('\n\n---\n\n') };
}

/** Two implicit parts of one positional field, separated by a colon (`xvdb:cdrom`). */
function joined(left: SpecPart, right: SpecPart, value: string): boolean {
  return !left.explicitKey && !right.explicitKey && right.start === left.end + 1 && value[left.end] === ':';
}

function partMarkdown(spec: KeySpec, languageId: string, key: SpecKeyDoc | undefined, part: SpecPart): string {
  // One-key languages (boot, on_*, tsc_mode, serial) describe the whole value of the setting.
  const whole = key !== undefined && key.name === languageId;
  const title = whole ? `**${spec.name}** = \`${part.value}\`` : `**${part.key}**${part.value !== '' ? ` = \`${part.value}\`` : ''} (${languageId})`;
  const lines = [title, ''];
  if (languageId === 'boot') {
    const order = describeBootOrder(part.value);
    if (order !== undefined) lines.push(`Boot order: **${order}**.`, '');
  }
  const valueDoc = key?.valueDocs?.[part.value] ?? (languageId === 'serial' ? key?.valueDocs?.[part.value.split(':')[0]] : undefined);
  if (valueDoc !== undefined) lines.push(`\`${part.value}\`: ${valueDoc}`, '');
  if (languageId === 'boot' && key?.valueDocs !== undefined) {
    for (const letter of new Set(part.value)) if (key.valueDocs[letter] !== undefined) lines.push(`- \`${letter}\`: ${key.valueDocs[letter]}`);
    lines.push('');
  }
  if (part.key === 'mac') {
    const mac = part.value.toLowerCase();
    // The two low bits of the first octet: 0x01 multicast, 0x02 locally administered (no vendor's).
    const first = Number.parseInt(mac.slice(0, 2), 16);
    const kind = mac.startsWith(`${XEN_OUI}:`) ? `In the Xen range (OUI \`${XEN_OUI}\`).`
      : Number.isNaN(first) ? `Not in the Xen range: Xen's own addresses start with \`${XEN_OUI}\`.`
        : (first & 1) === 1 ? 'A multicast address: a network interface needs a unicast one.'
          : (first & 2) === 2 ? 'A locally administered address: outside the Xen range, but no vendor owns it, so it cannot clash with real hardware.'
            : `Not in the Xen range: Xen's own addresses start with \`${XEN_OUI}\`, and this one belongs to a hardware vendor.`;
    lines.push(kind, '');
  }
  if (key !== undefined) {
    lines.push(key.doc);
    if (key.default !== undefined) lines.push('', `*Default:* ${key.default}`);
    const versions = versionText(key.version, key.valueVersions);
    if (versions !== undefined) lines.push('', versions);
    if (key.deprecated) lines.push('', '**Deprecated**: still accepted, but superseded.');
  } else {
    lines.push(`Not a ${languageId} key this server knows.`);
  }
  return lines.join('\n').trim();
}
