// Rules about the guest's VNC server, the one the extension's graphical console connects to: a
// listen address other machines can reach, a password longer than VNC authentication reads, and a
// `keymap` that can garble the console's key events.
//
// Which settings configure that server mirrors xl_parse.c and libxl (`libxl__dm_vnc`):
// - HVM: the top-level keys. VNC is on unless `vnc` reads as 0 (xl keeps the default, on, when it
//   cannot read the value). A `vfb` list makes no display for an HVM guest.
// - PV without a `vfb` list: a non-zero `vnc` makes one framebuffer from the top-level keys.
// - PV and PVH with a `vfb` list: the top-level keys are ignored, and QEMU serves the first vfb's
//   display only, with VNC unless that spec says `vnc=0` (read with `atoi`).
// - PVH reads no top-level display key.
// An unset `vnclisten` means 127.0.0.1, so it never gets a diagnostic.

import { KEY } from '../../catalogue';
import { type AtomNode, type Setting, type ValueNode } from '../../syntax';
import { cAtoi, SPEC_LANGUAGES, type SpecPart } from '../../specs';
import { xlLong, type ConfigModel } from '../model';
import type { Fix, Problem } from '../types';
import { atomOffset } from './specs';

/** The address the quick fix writes, and the one the graphical console works with. */
export const LOOPBACK = '127.0.0.1';

/** The bytes of a VNC password that authentication uses (a DES key). */
export const VNC_PASSWORD_BYTES = 8;

/** Where the guest's VNC server takes its settings from, when it has one. */
type VncSource = { readonly kind: 'top-level' } | { readonly kind: 'vfb'; readonly atom: AtomNode; readonly parts: ReadonlyMap<string, SpecPart> };

/**
 * `remember`: keep the vfb spec parse in the language's memo, as `checkSpecs` does (the first
 * analysis of a document skips it).
 */
export function checkVnc(model: ConfigModel, remember = true): Problem[] {
  const source = vncSource(model, remember);
  if (source === undefined) return [];
  const problems: Problem[] = [];
  if (source.kind === 'top-level') checkTopLevel(model, problems);
  else checkVfb(model, source.atom, source.parts, problems);
  return problems;
}

/** The settings of the guest's VNC server, or undefined when it has none (or its type is unknown). */
function vncSource(model: ConfigModel, remember: boolean): VncSource | undefined {
  if (!model.guestTypeKnown) return undefined;
  const vnc = model.effective.get(KEY.vnc);
  if (model.guestType === 'hvm') return xlLong(vnc) === 0n ? undefined : { kind: 'top-level' };
  const first = firstVfb(model);
  // A list that starts with a nested list makes no framebuffer (xl stops at it), as for no list.
  if (first?.kind !== 'atom') {
    if (model.guestType !== 'pv') return undefined;
    const enabled = xlLong(vnc);
    return enabled !== undefined && enabled !== 0n ? { kind: 'top-level' } : undefined;
  }
  const language = SPEC_LANGUAGES.get('vfb');
  if (language === undefined) return undefined;
  // xl reads the items in order, so a repeated key ends with its last value.
  const parts = new Map<string, SpecPart>();
  for (const part of language.parse(first.value, remember).parts) parts.set(part.key, part);
  const on = parts.get('vnc');
  if (on !== undefined && cAtoiValue(on.value) === 0) return undefined;
  return { kind: 'vfb', atom: first, parts };
}

/**
 * The first element of the effective `vfb` list, as a node of the file: xl makes one framebuffer
 * per leading string, and only the first one's display gets a VNC server. Undefined when there is
 * no list (a single string is ignored by xl) or it is empty. Follows `+=`, which appends elements.
 */
function firstVfb(model: ConfigModel): ValueNode | undefined {
  let items: ValueNode[] | undefined;
  for (const setting of model.document.settings) {
    if (setting.key !== KEY.vfb) continue;
    const node = setting.assignment.value;
    const list = node?.kind === 'list' ? node.items : undefined;
    items = setting.op === '+=' && items !== undefined && list !== undefined ? items.concat(list) : list;
  }
  const effective = model.effective.get(KEY.vfb)?.value;
  const first = items?.[0];
  // The stored value is the one xl reads; the nodes must agree with it (they do unless a `+=`
  // mixed a list with a string, which the syntax rules report).
  if (!Array.isArray(effective) || first === undefined || effective.length !== items!.length) return undefined;
  if (first.kind === 'atom' && effective[0] !== first.value) return undefined;
  return first;
}

function checkTopLevel(model: ConfigModel, problems: Problem[]): void {
  const text = model.document.text;
  // Rule: vnc-not-loopback
  const listen = model.effective.get(KEY.vnclisten);
  const listenNode = listen?.assignment.value;
  if (listen !== undefined && typeof listen.value === 'string' && listenNode?.kind === 'atom') {
    const split = splitListen(listen.value);
    if (!isLoopback(split.address)) {
      // After `+=` the value is spread over several statements: no single edit fixes it.
      const fixes: Fix[] = [];
      if (listen.op === '=') {
        const edit =
          listenNode.quote === undefined
            ? { start: listenNode.start, end: listenNode.end, newText: `"${LOOPBACK}${listen.value.slice(split.end)}"` }
            : { start: atomOffset(text, listenNode, split.start), end: atomOffset(text, listenNode, split.end), newText: LOOPBACK };
        fixes.push(loopbackFix(edit));
      }
      problems.push({ start: listenNode.start, end: listenNode.end, severity: 'information', code: NOT_LOOPBACK, message: notLoopbackMessage('VNC', split.address), fixes });
    }
  }
  // Rule: vnc-password-too-long
  const password = model.effective.get(KEY.vncpasswd);
  if (password !== undefined && typeof password.value === 'string') {
    const problem = passwordProblem(password.value, valueRange(password));
    if (problem !== undefined) problems.push(problem);
  }
  // Rule: vnc-keymap
  const keymap = model.effective.get(KEY.keymap);
  if (keymap !== undefined && typeof keymap.value === 'string' && keymap.value !== '') {
    problems.push({ ...valueRange(keymap), severity: 'information', code: KEYMAP, message: keymapMessage(keymap.value) });
  }
}

function checkVfb(model: ConfigModel, atom: AtomNode, parts: ReadonlyMap<string, SpecPart>, problems: Problem[]): void {
  const text = model.document.text;
  const range = (part: SpecPart): { start: number; end: number } => ({ start: atomOffset(text, atom, part.valueStart), end: atomOffset(text, atom, part.end) });
  // Rule: vnc-not-loopback
  const listen = parts.get('vnclisten');
  if (listen !== undefined) {
    const split = splitListen(listen.value);
    if (!isLoopback(split.address)) {
      const edit = { start: atomOffset(text, atom, listen.valueStart + split.start), end: atomOffset(text, atom, listen.valueStart + split.end), newText: LOOPBACK };
      problems.push({ ...range(listen), severity: 'information', code: NOT_LOOPBACK, message: notLoopbackMessage("this framebuffer's VNC server", split.address), fixes: [loopbackFix(edit)] });
    }
  }
  // Rule: vnc-password-too-long
  const password = parts.get('vncpasswd');
  if (password !== undefined) {
    const problem = passwordProblem(password.value, range(password));
    if (problem !== undefined) problems.push(problem);
  }
  // Rule: vnc-keymap
  const keymap = parts.get('keymap');
  if (keymap !== undefined && keymap.value !== '') problems.push({ ...range(keymap), severity: 'information', code: KEYMAP, message: keymapMessage(keymap.value) });
}

const NOT_LOOPBACK = 'xl.vnc-not-loopback';
const PASSWORD_TOO_LONG = 'xl.vnc-password-too-long';
const KEYMAP = 'xl.vnc-keymap';

function notLoopbackMessage(who: string, address: string): string {
  const where = isEveryInterface(address) ? `every network interface (${quoted(address)})` : quoted(address);
  return (
    `${who} listens on ${where}, so other machines can try to connect to the guest's screen. ` +
    `The extension's graphical console works with vnclisten = "${LOOPBACK}" (on a remote host it connects through SSH), so the port need not be open to the network`
  );
}

function loopbackFix(edit: { start: number; end: number; newText: string }): Fix {
  return { title: `Listen on ${LOOPBACK} only`, edits: [edit], preferred: true };
}

/** The message never quotes the password: diagnostics are shown, logged and shared. */
function passwordProblem(password: string, range: { start: number; end: number }): Problem | undefined {
  const bytes = utf8Length(password);
  if (bytes <= VNC_PASSWORD_BYTES) return undefined;
  const ascii = bytes === password.length;
  const size = ascii ? `${bytes} characters` : `${bytes} bytes in UTF-8`;
  return {
    ...range,
    severity: 'warning',
    code: PASSWORD_TOO_LONG,
    message: `the VNC password is ${size} long, but VNC authentication uses only the first ${VNC_PASSWORD_BYTES}${ascii ? '' : ' bytes'}: the rest is ignored, and any password that starts the same way is accepted`,
  };
}

function keymapMessage(keymap: string): string {
  return (
    `with keymap ${quoted(keymap)}, QEMU translates the keys of VNC clients through that layout, which can break the extended key events of the extension's graphical console: ` +
    'keys may come out wrong there. Leave keymap unset and choose the layout inside the guest'
  );
}

/**
 * `ADDRESS[:DISPLAY]` split into the address (offsets into the value; a bracketed IPv6 address
 * keeps its brackets) and the rest. An unbracketed value with several colons is taken as a bare
 * IPv6 address, as it is usually meant.
 */
export function splitListen(value: string): { address: string; start: number; end: number } {
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close > 0) return { address: value.slice(1, close), start: 0, end: close + 1 };
  }
  const colon = value.indexOf(':');
  if (colon >= 0 && colon === value.lastIndexOf(':')) return { address: value.slice(0, colon), start: 0, end: colon };
  return { address: value, start: 0, end: value.length };
}

/** True for `localhost`, 127.0.0.0/8, `::1` and 127.0.0.0/8 mapped into IPv6. */
export function isLoopback(address: string): boolean {
  if (address.toLowerCase() === 'localhost') return true;
  const ipv4 = parseIPv4(address);
  if (ipv4 !== undefined) return ipv4[0] === 127;
  const ipv6 = parseIPv6(address);
  if (ipv6 === undefined) return false;
  if (ipv6.slice(0, 7).every((group) => group === 0) && ipv6[7] === 1) return true;
  return ipv6.slice(0, 5).every((group) => group === 0) && ipv6[5] === 0xffff && ipv6[6] >> 8 === 127;
}

/** The wildcard addresses (and the empty host, which QEMU also binds to every interface). */
function isEveryInterface(address: string): boolean {
  if (address === '') return true;
  const ipv4 = parseIPv4(address);
  if (ipv4 !== undefined) return ipv4.every((octet) => octet === 0);
  return parseIPv6(address)?.every((group) => group === 0) ?? false;
}

/** A dotted quad, each part 0..255; undefined for anything else. */
function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^[0-9]{1,3}$/.test(part))) return undefined;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** The eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted quad); a zone (`%eth0`) is dropped. */
function parseIPv6(text: string): number[] | undefined {
  const address = text.replace(/%[^%]*$/, '');
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const result: number[] = [];
    const pieces = half.split(':');
    for (let index = 0; index < pieces.length; index++) {
      const piece = pieces[index];
      if (index === pieces.length - 1 && piece.includes('.')) {
        const ipv4 = parseIPv4(piece);
        if (ipv4 === undefined) return undefined;
        result.push((ipv4[0] << 8) | ipv4[1], (ipv4[2] << 8) | ipv4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        result.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return result;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : undefined;
}

/** C `atoi`: 0 when there are no digits. */
function cAtoiValue(text: string): number {
  const result = cAtoi(text);
  return result.ok ? result.value : 0;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function quoted(text: string): string {
  return JSON.stringify(text);
}

function valueRange(setting: Setting): { start: number; end: number } {
  const value = setting.assignment.value;
  return value === undefined ? { start: setting.assignment.start, end: setting.assignment.end } : { start: value.start, end: value.end };
}
