// Which paths are xl configs. One rule for the client (language switching, the Configs view, the
// file watcher) and the language server (the workspace index), so both agree on every file.
//
// The rule follows the `xl` language's associations in package.json, and matches them the way VS
// Code does: on the lower-cased path, so `/home/me/VM.XLCFG` and `/home/me/Xen/web.CFG` are xl
// configs too. On top of the manifest, nothing under /etc/xen/scripts is ever an xl config: those
// are hotplug shell scripts. Pure functions of a path.

/** The folder of Xen's hotplug scripts; its files are shell, whatever their names. */
const SCRIPTS_FOLDER = '/etc/xen/scripts/';
/** xl's own settings file: the same syntax as a guest config, other keys. */
const XL_CONF = '/etc/xen/xl.conf';

/** Files under /etc/xen/scripts are hotplug shell scripts, never configs. */
export function isXenScriptPath(path: string): boolean {
  return path.toLowerCase().startsWith(SCRIPTS_FOLDER);
}

/**
 * True for paths that VS Code maps to the `xl` language: `/etc/xen/**\/*.cfg`, `/etc/xen/auto/*`,
 * `/etc/xen/xl.conf`, `*.xl`, `*.xlcfg`, `xlexample.*` and `*.cfg` below a folder named `xen`, in
 * any case; never anything under `/etc/xen/scripts`. `xl.conf` is xl's own settings file, not a
 * guest, so callers that want guest configs use `isGuestConfigPath`.
 */
export function isXlConfigPath(path: string): boolean {
  const lower = path.toLowerCase();
  if (lower.startsWith(SCRIPTS_FOLDER)) return false;
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (base.endsWith('.xl') || base.endsWith('.xlcfg') || base.startsWith('xlexample.')) return true;
  // xl reads its settings from exactly this path; `XL.CONF` is no settings file and no guest.
  if (path === XL_CONF) return true;
  if (lower.startsWith('/etc/xen/auto/') && base.length > 0 && lower.length === '/etc/xen/auto/'.length + base.length) return true;
  if (!base.endsWith('.cfg')) return false;
  if (lower.startsWith('/etc/xen/')) return true;
  // `**/xen/**/*.cfg`: some folder on the way is named `xen`.
  return lower.slice(0, lower.length - base.length).split('/').includes('xen');
}

/**
 * A file named `xl.conf` (in this case): xl's own settings, or a copy of them. The language server
 * checks it against the xl.conf catalogue instead of the guest one, and neither side counts it
 * among the guests.
 */
export function isXlConfPath(path: string): boolean {
  return path.endsWith('/xl.conf');
}

/** An xl config that describes a guest: every xl config path except an `xl.conf`. */
export function isGuestConfigPath(path: string): boolean {
  return isXlConfigPath(path) && !isXlConfPath(path);
}

/**
 * A `.cfg` (any case) that the path rules do not claim may still be a guest config: its content
 * decides (`looksLikeGuestConfig`). Files of any other extension are never switched by content.
 */
export function isSniffCandidatePath(path: string): boolean {
  return path.toLowerCase().endsWith('.cfg') && !isXenScriptPath(path);
}

/** A glob that matches `word` in any case (`cfg` gives `[cC][fF][gG]`); VS Code's globs are case-sensitive. */
function anyCase(word: string): string {
  return [...word].map((char) => (char.toLowerCase() === char.toUpperCase() ? char : `[${char.toLowerCase()}${char.toUpperCase()}]`)).join('');
}

/**
 * Glob pattern (relative to a workspace folder) that finds candidate files for a search or a file
 * watcher; `isGuestConfigPath` or content sniffing then decides. Kept broad on purpose: a glob
 * cannot express "a folder named xen".
 */
export const CONFIG_SEARCH_GLOB = `**/{*.${anyCase('cfg')},*.${anyCase('xl')},*.${anyCase('xlcfg')},${anyCase('xlexample')}.*}`;

/** Folders never worth searching for guest configs. */
export const CONFIG_SEARCH_EXCLUDE = '{**/node_modules/**,**/.git/**}';
