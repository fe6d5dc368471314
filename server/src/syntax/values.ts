// Decoding of atoms the way libxlu stores and converts them: string escapes (with their bugs) and
// the C strtol(base 0) rules that xl's integer getters apply; and quoting text back for xl. Pure
// functions, no LSP types.

/** A problem with one backslash escape, as offsets into the quoted token's source text. */
export interface EscapeProblem {
  readonly start: number;
  readonly end: number;
  /** `error`: xl rejects the file. `warning`: xl accepts it but the escape vanishes. */
  readonly severity: 'error' | 'warning';
  readonly kind: 'hex-escape' | 'octal-escape-short' | 'octal-escape-dropped' | 'unknown-escape' | 'nul-in-string';
  readonly escape: string;
}

export interface DecodedString {
  readonly value: string;
  readonly problems: EscapeProblem[];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * True when the string token `text[start, end)` (quotes included) has no backslash and no NUL
 * between its quotes: its value is that text as it stands, with nothing to decode or report.
 */
export function isPlainString(text: string, start: number, end: number): boolean {
  for (let at = start + 1; at < end - 1; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x5c || code === 0) return false;
  }
  return true;
}

/**
 * Decodes a quoted STRING token (`raw` includes both quotes; `offset` is where it starts in the
 * file). Mirrors `xlu__cfgl_dequote` in libxlu_cfg.c, including its two bugs: `\x..` is always
 * rejected, and `\ddd` (a digit 0-7 then two more decimal digits) is accepted but produces nothing.
 */
export function decodeString(raw: string, offset = 0): DecodedString {
  const problems: EscapeProblem[] = [];
  const inner = raw.slice(1, -1);
  if (isPlainString(raw, 0, raw.length)) return { value: inner, problems };
  let value = '';
  let pos = 0;
  while (pos < inner.length) {
    const ch = inner[pos];
    if (ch === '\0') {
      problems.push({ start: offset + 1 + pos, end: offset + 2 + pos, severity: 'error', kind: 'nul-in-string', escape: '\\0' });
      pos++;
      continue;
    }
    if (ch !== '\\') {
      value += ch;
      pos++;
      continue;
    }
    const escapeStart = pos;
    const next = inner[pos + 1] ?? '';
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      value += simple;
      pos += 2;
    } else if (next === 'x') {
      // Mirrors libxlu: the hex branch compares against a length it can never exceed.
      const end = Math.min(inner.length, pos + 4);
      problems.push(escapeProblem(inner, offset, escapeStart, end, 'error', 'hex-escape'));
      pos = end;
    } else if (next >= '0' && next <= '7') {
      // strtoul(base 10) over at most three characters; fewer than three digits is an error.
      let digits = 0;
      while (digits < 3 && pos + 1 + digits < inner.length && isDecimal(inner[pos + 1 + digits])) digits++;
      const end = pos + 1 + digits;
      if (digits <= 2) {
        problems.push(escapeProblem(inner, offset, escapeStart, end, 'error', 'octal-escape-short'));
      } else {
        problems.push(escapeProblem(inner, offset, escapeStart, end, 'warning', 'octal-escape-dropped'));
      }
      pos = end;
    } else {
      const end = Math.min(inner.length, pos + 2);
      problems.push(escapeProblem(inner, offset, escapeStart, end, 'error', 'unknown-escape'));
      pos = end;
    }
  }
  return { value, problems };
}

export type IntegerResult =
  | { readonly ok: true; readonly value: bigint }
  | { readonly ok: false; readonly reason: 'invalid' | 'range' };

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/**
 * Parses an atom as xl's integer getters do: C `strtol(text, &end, 0)` must consume all of it.
 * Leading blanks and a sign are allowed, `0x` means hex, a leading `0` means octal.
 */
export function parseXlInteger(text: string): IntegerResult {
  let pos = 0;
  while (pos < text.length && isCSpace(text.charCodeAt(pos))) pos++;
  let negative = false;
  if (text[pos] === '+' || text[pos] === '-') {
    negative = text[pos] === '-';
    pos++;
  }
  let base = 10n;
  if (text[pos] === '0' && (text[pos + 1] === 'x' || text[pos + 1] === 'X') && isHex(text[pos + 2] ?? '')) {
    base = 16n;
    pos += 2;
  } else if (text[pos] === '0') {
    base = 8n;
  }
  const digitsStart = pos;
  let value = 0n;
  while (pos < text.length) {
    const digit = digitValue(text[pos]);
    if (digit < 0 || BigInt(digit) >= base) break;
    value = value * base + BigInt(digit);
    pos++;
  }
  if (pos === digitsStart || pos !== text.length) return { ok: false, reason: 'invalid' };
  if (negative) value = -value;
  if (value > LONG_MAX || value < LONG_MIN) return { ok: false, reason: 'range' };
  return { ok: true, value };
}

/** True when an unquoted NUMBER or a quoted text means octal to xl (`010` is 8). */
export function looksOctal(text: string): boolean {
  const trimmed = text.trimStart().replace(/^[+-]/, '');
  return trimmed.length > 1 && trimmed[0] === '0' && trimmed[1] !== 'x' && trimmed[1] !== 'X';
}

function escapeProblem(
  inner: string,
  offset: number,
  start: number,
  end: number,
  severity: EscapeProblem['severity'],
  kind: EscapeProblem['kind'],
): EscapeProblem {
  return { start: offset + 1 + start, end: offset + 1 + end, severity, kind, escape: inner.slice(start, end) };
}

function isDecimal(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function isHex(ch: string): boolean {
  return digitValue(ch) >= 0 && digitValue(ch) < 16;
}

function digitValue(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/** C isspace() in the C locale. */
function isCSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/**
 * Reads a stored setting as xl's integer getter does. Mirrors libxlu_cfg.c: a key whose latest
 * assignment used `+=` is never a number, even when the joined text looks like one.
 */
export function settingAsInteger(setting: { readonly op: '=' | '+='; readonly value: unknown }): IntegerResult | { readonly ok: false; readonly reason: 'plus-equals' | 'list' } {
  if (Array.isArray(setting.value)) return { ok: false, reason: 'list' };
  if (setting.op === '+=') return { ok: false, reason: 'plus-equals' };
  return parseXlInteger(String(setting.value));
}

/**
 * Maps an offset in the raw text between a string's quotes to an offset in its decoded value,
 * following libxlu's escapes (the inverse of `decodedToRaw`).
 */
export function rawToDecoded(raw: string, rawOffset: number): number {
  let rawIndex = 0;
  let decoded = 0;
  const limit = Math.max(0, Math.min(rawOffset, raw.length));
  while (rawIndex < limit) {
    if (raw[rawIndex] === '\\') {
      const next = raw[rawIndex + 1] ?? '';
      // A `\ddd` escape is dropped by libxlu: it produces no character.
      if (next >= '0' && next <= '7') rawIndex += 4;
      else {
        rawIndex += 2;
        decoded++;
      }
    } else {
      rawIndex++;
      decoded++;
    }
  }
  return decoded;
}

/** Maps an offset in a decoded value back to an offset in the raw text between the quotes. */
export function decodedToRaw(raw: string, decodedOffset: number): number {
  let rawIndex = 0;
  let decoded = 0;
  while (rawIndex < raw.length && decoded < decodedOffset) {
    if (raw[rawIndex] === '\\') {
      const next = raw[rawIndex + 1] ?? '';
      if (next >= '0' && next <= '7') {
        rawIndex += 4;
        continue;
      }
      rawIndex += 2;
    } else {
      rawIndex++;
    }
    decoded++;
  }
  return Math.min(rawIndex, raw.length);
}

/** Quotes text for xl, picking the quote character that needs no escaping. */
export function quoteText(text: string): string {
  if (!text.includes('"')) return `"${text.replace(/\\/g, '\\\\')}"`;
  if (!text.includes("'")) return `'${text.replace(/\\/g, '\\\\')}'`;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
