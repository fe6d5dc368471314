// Shared helpers for the spec parsers: C library number scanning (strtoul/atoi/sscanf as xl
// uses them), strtok-style splitting and a problem collector. Did-you-mean lives in `text/suggest.ts`.
import type { SpecKeyDoc } from '../catalogue/types';
import type { SpecFailure, SpecLanguage, SpecParse, SpecPart, SpecProblem } from './types';

/** One piece of a split spec string, with its offsets in the spec text. */
export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Problems described per spec string; the diagnostics show at most 1,000 for a whole file anyway. */
export const MAX_PROBLEMS = 100;

/** No problems: one shared, frozen array, so a clean spec allocates none. */
const NO_PROBLEMS: readonly SpecProblem[] = Object.freeze([]);

/**
 * Collects parts and problems; every parser builds its result through one of these. Parts are
 * kept only when asked for (`withParts`): diagnostics read problems alone, so a first analysis of
 * a config with thousands of disks builds no part objects.
 */
export class Collector {
  private partList: SpecPart[] | undefined;
  private problemList: SpecProblem[] | undefined;

  constructor(withParts = true) {
    if (withParts) this.partList = [];
  }

  part(key: string, value: string, start: number, end: number, valueStart: number, explicitKey: boolean): void {
    this.partList?.push({ key, value, start, end, valueStart, explicitKey });
  }

  error(start: number, end: number, code: string, message: string): void {
    this.add('error', start, end, code, message);
  }

  warning(start: number, end: number, code: string, message: string): void {
    this.add('warning', start, end, code, message);
  }

  add(severity: 'error' | 'warning', start: number, end: number, code: string, message: string): void {
    const list = (this.problemList ??= []);
    // A value with a mistake every character (a pasted 100 KB `boot` string) is described by its
    // first problems; building 100,000 messages would cost more than the rest of the analysis.
    if (list.length < MAX_PROBLEMS) list.push({ start, end, code, message, severity });
  }

  get parts(): readonly SpecPart[] {
    return this.partList ?? [];
  }

  /** True once `MAX_PROBLEMS` are described: a parser that only adds problems from here can stop. */
  get full(): boolean {
    return this.problemList !== undefined && this.problemList.length >= MAX_PROBLEMS;
  }

  get problems(): readonly SpecProblem[] {
    return this.problemList ?? NO_PROBLEMS;
  }
}

/**
 * What a parser's exception becomes. `throw` (the default, for tests, the fuzzer and every other
 * caller that did not choose): it surfaces, wrapped in a `SpecParserError` naming the language and
 * the input, so a parser bug fails the test or fuzz input that found it. `report` (the language
 * server and the CLI, set once at start-up): the parse keeps the problems found before the throw
 * and carries a `failure`, which the diagnostics turn into an Information diagnostic on the value
 * and the server into one log line, so one broken parser cannot take the server down.
 *
 * A module-level policy rather than an option threaded through every caller: spec strings are
 * parsed from a dozen features (diagnostics, hover, completion, outline, workspace facts, ...),
 * and the choice belongs to the program, not to a call. Strict by default, because a caller that
 * forgets to choose should hear about bugs: the product has two entry points, the tests dozens.
 */
export type SpecFailurePolicy = 'throw' | 'report';

let failurePolicy: SpecFailurePolicy = 'throw';

/** Sets what a parser's exception becomes (see `SpecFailurePolicy`); returns the previous policy. */
export function setSpecFailurePolicy(policy: SpecFailurePolicy): SpecFailurePolicy {
  const previous = failurePolicy;
  failurePolicy = policy;
  return previous;
}

/** A spec parser threw (policy `throw`): names the language and carries the input and the cause. */
export class SpecParserError extends Error {
  constructor(readonly language: string, readonly input: string, override readonly cause: unknown) {
    super(`the ${language} spec parser threw on ${JSON.stringify(input.length > 200 ? input.slice(0, 200) + '...' : input)}: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
    this.name = 'SpecParserError';
  }
}

/**
 * Describes an exception without its message: the error's class and the innermost stack frame
 * (function and file:line:col, no directories). A message can quote the data it failed on (a
 * property name read from the config, say), and this description goes to the server log.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error}`;
  // The innermost frame with a place in a file (`at fn (/dir/file.js:1:2)` or `at /dir/file.js:1:2`;
  // built-ins such as `at String.repeat (<anonymous>)` have none): the function and the base name.
  for (const line of error.stack?.split('\n') ?? []) {
    const located = /^\s*at (.*?)\(?[^()\s]*?([^()\s\\/]+:\d+:\d+)\)?$/.exec(line);
    if (located !== null) return `${error.constructor.name} at ${located[1].trim()}${located[1].trim() === '' ? '' : ' '}(${located[2]})`;
  }
  return error.constructor.name;
}

/**
 * One parse, run when first read: problems alone when they are read first (diagnostics), parts
 * and problems together when the parts are (hover, completion, outline), which then costs one run
 * of the pure parser instead of two. The parsers never branch on whether parts are kept, so a run
 * that throws would throw either way, and `failure` is known as soon as the problems are.
 */
class LazySpecParse implements SpecParse {
  private problemList: readonly SpecProblem[] | undefined;
  private partList: readonly SpecPart[] | undefined;
  private failed: SpecFailure | undefined;

  constructor(
    private readonly id: string,
    private readonly text: string,
    private readonly run: (text: string, out: Collector) => void,
  ) {}

  get problems(): readonly SpecProblem[] {
    return (this.problemList ??= this.runOnce(false).problems);
  }

  get parts(): readonly SpecPart[] {
    if (this.partList === undefined) {
      const out = this.runOnce(true);
      this.partList = out.parts;
      this.problemList ??= out.problems;
    }
    return this.partList;
  }

  get failure(): SpecFailure | undefined {
    void this.problems;
    return this.failed;
  }

  /** Runs the parser under the failure policy (see `SpecFailurePolicy`). */
  private runOnce(withParts: boolean): Collector {
    const out = new Collector(withParts);
    try {
      this.run(this.text, out);
    } catch (error) {
      if (failurePolicy === 'throw') throw new SpecParserError(this.id, this.text, error);
      this.failed ??= { description: describeFailure(error) };
    }
    return out;
  }
}

/** Builds a language from its parser; what an exception of the parser becomes is `SpecFailurePolicy`'s choice. */
export function language(id: string, keys: readonly SpecKeyDoc[], parse: (text: string, out: Collector) => void): SpecLanguage {
  return {
    id,
    keys,
    parse(text: string): SpecParse {
      return new LazySpecParse(id, text, parse);
    },
  };
}

/** C `isspace` in the C locale. */
export function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

export function isHexDigit(c: string | undefined): boolean {
  return c !== undefined && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}

/** The value of a digit of any base up to 36 by char code, or 99 for a character that is none. */
function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

/** C `isspace` in the C locale, by char code. */
function isCSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** 2^64 - 1, what strtoul returns on overflow (and what a negative input wraps to, near enough). */
export const ULONG_MAX = 18446744073709551615n;
const SMALL_LIMIT = 2 ** 44;
export const UINT32_MAX = 4294967295;
/** 0n to 1023n made once: octets, ports and small counts are converted without a new BigInt. */
const SMALL_BIGINTS: readonly bigint[] = Array.from({ length: 1024 }, (_, index) => BigInt(index));

export interface CNumber {
  /** The converted value (BigInt so 64-bit limits are exact). */
  readonly value: bigint;
  /** Offset just after the last character used; equals the start offset when nothing was converted (C `endptr == str`). */
  readonly end: number;
  /** True when at least one digit was converted. */
  readonly ok: boolean;
  /** True when the value overflowed or was negative (strtoul wraps it). */
  readonly overflow: boolean;
  readonly negative: boolean;
}

/**
 * Mirrors C strtoul/strtoull: skips leading isspace, takes an optional sign, and with base 0
 * detects `0x` (hex) and a leading `0` (octal). Scans from `pos` in `text`.
 */
export function cStrtoul(text: string, pos: number, base: 0 | 8 | 10 | 16): CNumber {
  const length = text.length;
  let i = pos;
  while (i < length && isCSpaceCode(text.charCodeAt(i))) i++;
  let negative = false;
  const sign = i < length ? text.charCodeAt(i) : 0;
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    negative = sign === 45;
    i++;
  }
  let radix: number = base;
  const zero = i < length && text.charCodeAt(i) === 48;
  if ((radix === 0 || radix === 16) && zero && i + 2 < length && (text.charCodeAt(i + 1) | 32) === 120 /* x or X */ && digitValue(text.charCodeAt(i + 2)) < 16) {
    i += 2;
    radix = 16;
  } else if (radix === 0) {
    radix = zero ? 8 : 10;
  }
  const digitsStart = i;
  // Digits add up in a plain number while it is exact (below 2^44, so one more digit of any base
  // up to 36 stays below 2^53); only longer numbers go on in BigInt.
  let small = 0;
  while (i < length && small < SMALL_LIMIT) {
    const digit = digitValue(text.charCodeAt(i));
    if (digit >= radix) break;
    small = small * radix + digit;
    i++;
  }
  let value = small < SMALL_BIGINTS.length ? SMALL_BIGINTS[small] : BigInt(small);
  let overflow = false;
  if (small >= SMALL_LIMIT) {
    const big = BigInt(radix);
    while (i < length && digitValue(text.charCodeAt(i)) < radix) {
      if (!overflow) {
        value = value * big + BigInt(digitValue(text.charCodeAt(i)));
        if (value > ULONG_MAX) overflow = true;
      }
      i++;
    }
  }
  if (i === digitsStart) return { value: 0n, end: pos, ok: false, overflow: false, negative: false };
  if (overflow) value = ULONG_MAX;
  else if (negative && value !== 0n) {
    value = ULONG_MAX + 1n - value;
  }
  return { value, end: i, ok: true, overflow, negative: negative && value !== 0n };
}

/** Mirrors C atoi: the leading decimal number, or 0; `ok` says whether a number was there at all. */
export function cAtoi(text: string): { value: number; ok: boolean; whole: boolean } {
  const number = cStrtoul(text, 0, 10);
  if (!number.ok) return { value: 0, ok: false, whole: false };
  let value = Number(number.value > 0xffffffffn ? number.value & 0xffffffffn : number.value);
  if (number.negative) value = -Number(ULONG_MAX + 1n - number.value);
  return { value, ok: true, whole: number.end === text.length };
}

/** Splits like C strtok: empty fields between separators disappear. */
export function strtok(text: string, delims: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  if (delims.length === 1) {
    // One separator (most callers: ","): jump between its occurrences instead of testing each character.
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf(delims, start);
      if (end < 0) end = text.length;
      if (end > start) tokens.push({ text: text.slice(start, end), start: start + offset, end: end + offset });
      start = end + 1;
    }
    return tokens;
  }
  let i = 0;
  while (i < text.length) {
    while (i < text.length && delims.includes(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && !delims.includes(text[i])) i++;
    tokens.push({ text: text.slice(start, i), start: start + offset, end: i + offset });
  }
  return tokens;
}

/** Skips leading SPACE characters only, as xl's `while (*p == ' ') p++` loops do. */
export function skipSpaces(token: Token): Token {
  let skipped = 0;
  while (token.text[skipped] === ' ') skipped++;
  return skipped === 0 ? token : { text: token.text.slice(skipped), start: token.start + skipped, end: token.end };
}

/** A `key=value` item, split at its first `=`. */
export interface KeyValue {
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly value: string;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** The item as a whole. */
  readonly start: number;
  readonly end: number;
  readonly hasEquals: boolean;
  /** True when the raw text after `=` was empty (before any trimming). */
  readonly rawValueEmpty: boolean;
}

/**
 * Splits one item at its first `=`. With `trimSpace` it mirrors xl's split_string_into_pair(...,
 * isspace): key and value are trimmed of C whitespace (channel, p9, vnuma).
 */
export function splitPair(token: Token, trimSpace: boolean): KeyValue {
  const text = token.text;
  const equals = text.indexOf('=');
  // Offsets in `text`: the key runs to the `=` (or the end), the value from after it.
  let keyStart = 0;
  let keyEnd = equals < 0 ? text.length : equals;
  let valueStart = equals + 1;
  let valueEnd = text.length;
  if (trimSpace) {
    while (keyStart < keyEnd && isCSpace(text[keyStart])) keyStart++;
    while (keyEnd > keyStart && isCSpace(text[keyEnd - 1])) keyEnd--;
  }
  if (equals < 0) {
    return {
      key: text.slice(keyStart, keyEnd), keyStart: token.start + keyStart, keyEnd: token.start + keyEnd,
      value: '', valueStart: token.end, valueEnd: token.end,
      start: token.start, end: token.end, hasEquals: false, rawValueEmpty: true,
    };
  }
  if (trimSpace) {
    while (valueStart < valueEnd && isCSpace(text[valueStart])) valueStart++;
    while (valueEnd > valueStart && isCSpace(text[valueEnd - 1])) valueEnd--;
  }
  return {
    key: text.slice(keyStart, keyEnd), keyStart: token.start + keyStart, keyEnd: token.start + keyEnd,
    value: text.slice(valueStart, valueEnd), valueStart: token.start + valueStart, valueEnd: token.start + valueEnd,
    start: token.start, end: token.end, hasEquals: true, rawValueEmpty: equals + 1 === text.length,
  };
}

/** Quotes a user text for a message, shortening very long ones. */
export function quoted(text: string): string {
  return `"${text.length > 60 ? text.slice(0, 57) + '...' : text}"`;
}

/** Lists accepted values for a message, each quoted: `"a", "b", "c"`. */
export function quotedList(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(', ');
}

/**
 * Checks a value read with atoi/strtoul(..., NULL, 0) as a 0/1 switch: xl never fails, but a word
 * such as `yes` silently becomes 0, which is almost never what was meant.
 */
export function checkLooseNumber(out: Collector, value: string, start: number, what: string, base: 0 | 10 = 0): void {
  const number = cStrtoul(value, 0, base);
  if (!number.ok) {
    out.warning(start, start + value.length, 'spec-number', `${what} expects a number but got ${quoted(value)}; xl reads it as 0`);
  } else if (number.end !== value.length) {
    out.warning(start + number.end, start + value.length, 'spec-number',
      `trailing text ${quoted(value.slice(number.end))} after the number in ${what} is ignored by xl`);
  }
}

/**
 * Checks a value read with xl's parse_ulong (strtoul base 10): no digits or an overflow is fatal
 * (`xl: failed to convert "<v>" to number`); trailing text is silently ignored.
 */
export function checkUlong(out: Collector, value: string, start: number, what: string): bigint | undefined {
  const number = cStrtoul(value, 0, 10);
  if (!number.ok || number.value === ULONG_MAX) {
    out.error(start, start + value.length, 'spec-number', `failed to convert ${quoted(value)} to number: ${what} expects a decimal number`);
    return undefined;
  }
  if (number.end !== value.length) {
    out.warning(start + number.end, start + value.length, 'spec-number',
      `trailing text ${quoted(value.slice(number.end))} after the number in ${what} is ignored by xl`);
  }
  return number.value;
}

/** libxl_uuid_from_string(): 36 characters, 8-4-4-4-12 hex digits (either case). */
export function isUuid(text: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(text);
}

/** Case-insensitive membership, as libxl's `*_from_string()` enum parsers match. */
export function hasCaseless(values: readonly string[], value: string): boolean {
  const lower = value.toLowerCase();
  return values.some((candidate) => candidate.toLowerCase() === lower);
}

/** Flags `key=` items given more than once in key=value languages where the last one silently wins. */
export class DuplicateTracker {
  private readonly seen = new Set<string>();
  constructor(private readonly out: Collector, private readonly what: string) {}
  note(key: string, start: number, end: number): void {
    if (this.seen.has(key)) {
      this.out.warning(start, end, 'spec-duplicate-key', `${quoted(key)} is given more than once in this ${this.what} spec; only the last one counts`);
    }
    this.seen.add(key);
  }
}
