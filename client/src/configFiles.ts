// Which workspace files are xl guest configs (the same path rules as the `xl` language in
// package.json) and a tiny line scan for a config's `name`. Pure: no `vscode` import, and no
// import from server/src, whose full parser the client must not share.

/** A `name = "..."` assignment found by `scanConfigName`. */
export interface ConfigName {
  /** The decoded guest name. */
  name: string;
  /** 0-based line of the assignment (the one xl uses: the last). */
  line: number;
}

/** Only the start of a file is scanned, so a huge file costs little. */
export const NAME_SCAN_LIMIT = 256 * 1024;

/**
 * Finds the guest name of an xl config: the last top-level `name = "..."` (libxlu keeps the last
 * of duplicate settings). Returns undefined when there is none or its value is not a plain quoted
 * string (an unterminated or oddly escaped string is left to the language server to report).
 */
export function scanConfigName(text: string): ConfigName | undefined {
  const head = text.length > NAME_SCAN_LIMIT ? text.slice(0, NAME_SCAN_LIMIT) : text;
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

/**
 * True for paths that VS Code maps to the `xl` language: `/etc/xen/**\/*.cfg`, `/etc/xen/auto/*`,
 * `/etc/xen/xl.conf`, `*.xl`, `*.xlcfg`, `xlexample.*` and `*.cfg` below a folder named `xen`;
 * never anything under `/etc/xen/scripts`. `xl.conf` is xl's own settings file, not a guest, so
 * callers that want guest configs use `isGuestConfigPath`.
 */
export function isXlConfigPath(path: string): boolean {
  if (path.startsWith('/etc/xen/scripts/')) return false;
  const base = path.slice(path.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (lower.endsWith('.xl') || lower.endsWith('.xlcfg') || base.startsWith('xlexample.')) return true;
  if (path === '/etc/xen/xl.conf') return true;
  if (/^\/etc\/xen\/auto\/[^/]+$/.test(path)) return true;
  if (!base.endsWith('.cfg')) return false;
  if (path.startsWith('/etc/xen/')) return true;
  // `**/xen/**/*.cfg`: some folder on the way is named exactly `xen`.
  const folders = path.slice(0, path.length - base.length).split('/');
  return folders.includes('xen');
}

/** An xl config that describes a guest: every xl config path except xl's own `xl.conf`. */
export function isGuestConfigPath(path: string): boolean {
  return isXlConfigPath(path) && !path.endsWith('/xl.conf');
}

/**
 * Glob patterns (relative to a workspace folder) that find candidate files; `isGuestConfigPath`
 * then decides. Kept broad on purpose: `findFiles` cannot express "a folder named xen".
 */
export const CONFIG_SEARCH_GLOB = '**/{*.cfg,*.xl,*.xlcfg,xlexample.*}';

/** Folders never worth searching for guest configs. */
export const CONFIG_SEARCH_EXCLUDE = '{**/node_modules/**,**/.git/**}';

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
