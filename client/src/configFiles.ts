// A tiny line scan for a config's `name`. Pure: no `vscode` import, and no import from server/src,
// whose full parser the client must not share. Which paths are configs is common/configPaths.ts.

import { CONFIG_MAX_BYTES } from '../../common/limits';

/** A `name = "..."` assignment found by `scanConfigName`. */
export interface ConfigName {
  /** The decoded guest name. */
  name: string;
  /** 0-based line of the assignment (the one xl uses: the last). */
  line: number;
}

/**
 * Finds the guest name of an xl config: the last top-level `name = "..."` (libxlu keeps the last
 * of duplicate settings). Returns undefined when there is none or its value is not a plain quoted
 * string (an unterminated or oddly escaped string is left to the language server to report).
 */
export function scanConfigName(text: string): ConfigName | undefined {
  const head = text.length > CONFIG_MAX_BYTES ? text.slice(0, CONFIG_MAX_BYTES) : text;
  let found: ConfigName | undefined;
  const lines = head.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = NAME_LINE.exec(lines[index]);
    if (match === null) continue;
    const name = decodeQuoted(match[1]);
    if (name !== undefined && name.length > 0) found = { name, line: index };
  }
  return found;
}

// --- helpers ---

/** `name`, optional blanks, `=`, blanks, then a quoted string, then only blanks or a comment. */
const NAME_LINE = /^[ \t]*name[ \t]*=[ \t]*("(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')[ \t]*(?:#.*)?\r?$/;

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t', r: '\r' };

/** Decodes the common escapes; anything else (which libxlu rejects or drops) gives undefined. */
function decodeQuoted(quoted: string): string | undefined {
  const inner = quoted.slice(1, -1);
  if (!inner.includes('\\')) return inner;
  let value = '';
  for (let pos = 0; pos < inner.length; pos++) {
    const char = inner[pos];
    if (char !== '\\') {
      value += char;
      continue;
    }
    const escaped = ESCAPES[inner[pos + 1] ?? ''];
    if (escaped === undefined) return undefined;
    value += escaped;
    pos++;
  }
  return value;
}
