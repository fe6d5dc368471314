// Key chords and typed text as RFB key events (X11 keysyms plus the physical key, which noVNC
// turns into a scan code for QEMU's extended key events). Pure, so it is unit tested under Node.
//
// Text is typed as on a US keyboard: QEMU's extended key events carry the scan code, and the guest
// maps it with its own layout, so a shifted character needs Shift held around the key that makes
// it on that layout.

import type { KeyChord } from '../protocol';

/** One key of a chord: the keysym and the KeyboardEvent.code of the physical key. */
export interface Key {
  keysym: number;
  code: string;
}

/** One key event. */
export interface KeyStroke extends Key {
  down: boolean;
}

/** X11 keysyms used here (their values are fixed by the X protocol). */
export const KEYSYM = {
  BackSpace: 0xff08,
  Tab: 0xff09,
  Return: 0xff0d,
  Escape: 0xff1b,
  Print: 0xff61,
  F1: 0xffbe,
  Shift_L: 0xffe1,
  Control_L: 0xffe3,
  Alt_L: 0xffe9,
  Super_L: 0xffeb,
  Delete: 0xffff,
} as const;

const CTRL: Key = { keysym: KEYSYM.Control_L, code: 'ControlLeft' };
const ALT: Key = { keysym: KEYSYM.Alt_L, code: 'AltLeft' };
const SHIFT: Key = { keysym: KEYSYM.Shift_L, code: 'ShiftLeft' };
const fKey = (n: number): Key => ({ keysym: KEYSYM.F1 + n - 1, code: `F${n}` });
const letter = (c: string): Key => ({ keysym: c.charCodeAt(0), code: `Key${c.toUpperCase()}` });

export interface ChordDefinition {
  /** Pressed in this order, released in the reverse order. */
  keys: readonly Key[];
}

type FunctionKeyChord = Extract<KeyChord, `ctrl-alt-f${number}`>;
const F_CHORD_NAMES: readonly FunctionKeyChord[] = [
  'ctrl-alt-f1', 'ctrl-alt-f2', 'ctrl-alt-f3', 'ctrl-alt-f4', 'ctrl-alt-f5', 'ctrl-alt-f6',
  'ctrl-alt-f7', 'ctrl-alt-f8', 'ctrl-alt-f9', 'ctrl-alt-f10', 'ctrl-alt-f11', 'ctrl-alt-f12',
];
const F_CHORDS = Object.fromEntries(
  F_CHORD_NAMES.map((name, i): [FunctionKeyChord, ChordDefinition] => [name, { keys: [CTRL, ALT, fKey(i + 1)] }]),
) as Record<FunctionKeyChord, ChordDefinition>;

/** The keys of every chord of the protocol's KeyChord (the Record type makes a missing one a compile error); their labels and menu order are in protocol.ts. */
export const CHORDS: Readonly<Record<KeyChord, ChordDefinition>> = {
  'ctrl-alt-del': { keys: [CTRL, ALT, { keysym: KEYSYM.Delete, code: 'Delete' }] },
  ...F_CHORDS,
  'ctrl-alt-backspace': { keys: [CTRL, ALT, { keysym: KEYSYM.BackSpace, code: 'Backspace' }] },
  'print-screen': { keys: [{ keysym: KEYSYM.Print, code: 'PrintScreen' }] },
  'alt-tab': { keys: [ALT, { keysym: KEYSYM.Tab, code: 'Tab' }] },
  'alt-f4': { keys: [ALT, fKey(4)] },
  escape: { keys: [{ keysym: KEYSYM.Escape, code: 'Escape' }] },
  tab: { keys: [{ keysym: KEYSYM.Tab, code: 'Tab' }] },
  'ctrl-c': { keys: [CTRL, letter('c')] },
  'ctrl-d': { keys: [CTRL, letter('d')] },
  'ctrl-w': { keys: [CTRL, letter('w')] },
  'ctrl-p': { keys: [CTRL, letter('p')] },
  'ctrl-n': { keys: [CTRL, letter('n')] },
  'ctrl-t': { keys: [CTRL, letter('t')] },
  super: { keys: [{ keysym: KEYSYM.Super_L, code: 'MetaLeft' }] },
};

export function isKeyChord(value: unknown): value is KeyChord {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CHORDS, value);
}

/** A chord's key events: every key down in order, then up in the reverse order. */
export function chordStrokes(chord: KeyChord): KeyStroke[] {
  const keys = CHORDS[chord].keys;
  return [...keys.map((key) => ({ ...key, down: true })), ...[...keys].reverse().map((key) => ({ ...key, down: false }))];
}

/** Unshifted and shifted characters of the US layout's punctuation keys. */
const PUNCTUATION: ReadonlyArray<[code: string, plain: string, shifted: string]> = [
  ['Digit1', '1', '!'],
  ['Digit2', '2', '@'],
  ['Digit3', '3', '#'],
  ['Digit4', '4', '$'],
  ['Digit5', '5', '%'],
  ['Digit6', '6', '^'],
  ['Digit7', '7', '&'],
  ['Digit8', '8', '*'],
  ['Digit9', '9', '('],
  ['Digit0', '0', ')'],
  ['Minus', '-', '_'],
  ['Equal', '=', '+'],
  ['BracketLeft', '[', '{'],
  ['BracketRight', ']', '}'],
  ['Backslash', '\\', '|'],
  ['Semicolon', ';', ':'],
  ['Quote', "'", '"'],
  ['Comma', ',', '<'],
  ['Period', '.', '>'],
  ['Slash', '/', '?'],
  ['Backquote', '`', '~'],
];

/** Character → the key that types it, and whether Shift is held. */
const TYPABLE: ReadonlyMap<string, { key: Key; shift: boolean }> = (() => {
  const map = new Map<string, { key: Key; shift: boolean }>();
  for (let c = 0x61; c <= 0x7a; c++) {
    const lower = String.fromCharCode(c);
    const upper = lower.toUpperCase();
    map.set(lower, { key: { keysym: c, code: `Key${upper}` }, shift: false });
    map.set(upper, { key: { keysym: upper.charCodeAt(0), code: `Key${upper}` }, shift: true });
  }
  for (const [code, plain, shifted] of PUNCTUATION) {
    map.set(plain, { key: { keysym: plain.charCodeAt(0), code }, shift: false });
    map.set(shifted, { key: { keysym: shifted.charCodeAt(0), code }, shift: true });
  }
  map.set(' ', { key: { keysym: 0x20, code: 'Space' }, shift: false });
  map.set('\n', { key: { keysym: KEYSYM.Return, code: 'Enter' }, shift: false });
  map.set('\t', { key: { keysym: KEYSYM.Tab, code: 'Tab' }, shift: false });
  return map;
})();

/** Longest text Type Text takes (it is typed at a human-like pace). */
export const MAX_TYPED_CHARACTERS = 10_000;

export interface TypingPlan {
  /** Key events per character, in order (empty when `untypable` is not). */
  characters: KeyStroke[][];
  /** Characters that no US-layout key makes, each once, in order of first appearance. */
  untypable: string[];
}

/**
 * Plans typing `text`: printable ASCII, newlines (CRLF and CR count as one newline) and tabs.
 * When any character cannot be typed, nothing is planned: a half-typed password or command is
 * worse than none, and the caller reports the characters.
 */
export function planTyping(text: string): TypingPlan {
  const characters: KeyStroke[][] = [];
  const untypable: string[] = [];
  for (const char of text.replace(/\r\n?/g, '\n')) {
    const entry = TYPABLE.get(char);
    if (entry === undefined) {
      if (!untypable.includes(char)) untypable.push(char);
      continue;
    }
    const { key, shift } = entry;
    characters.push(
      shift
        ? [{ ...SHIFT, down: true }, { ...key, down: true }, { ...key, down: false }, { ...SHIFT, down: false }]
        : [{ ...key, down: true }, { ...key, down: false }],
    );
  }
  return untypable.length > 0 ? { characters: [], untypable } : { characters, untypable };
}

/** A character for a message: printable ones quoted, the others as U+XXXX. */
export function describeCharacter(char: string): string {
  const point = char.codePointAt(0) ?? 0;
  const printable = point > 0x20 && point !== 0x7f && !(point >= 0x80 && point < 0xa0) && !/\p{Cf}|\p{Zs}|\p{Zl}|\p{Zp}/u.test(char);
  const hex = `U+${point.toString(16).toUpperCase().padStart(4, '0')}`;
  return printable ? `"${char}" (${hex})` : hex;
}
