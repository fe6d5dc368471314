// Decides whether a file that VS Code did not map to `xl` is an xl config anyway, from its path or
// its content. Pure functions (no `vscode` import) so they can be unit-tested under plain Node.

/** Keys that nearly every guest config sets; two of them plus a `name` make a file xl-looking. */
const TELLING_KEYS = ['memory', 'vcpus', 'disk', 'vif', 'type', 'builder', 'kernel', 'bootloader'];

/** Only the first part of a file is read, so detection stays cheap on huge files. */
const SCAN_LIMIT = 64 * 1024;

/**
 * True when `text` has a `name = "..."` line and at least two other well-known keys at the start
 * of a line (for example `memory` and `disk`).
 */
export function looksLikeXlConfig(text: string): boolean {
  const head = text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text;
  let hasName = false;
  const seen = new Set<string>();
  for (const line of head.split('\n')) {
    const match = /^[ \t]*([a-z][._0-9a-z]*)[ \t]*\+?=[ \t]*(\S?)/.exec(line);
    if (match === null) continue;
    const [, key, firstValueChar] = match;
    if (key === 'name' && (firstValueChar === '"' || firstValueChar === "'")) hasName = true;
    else if (TELLING_KEYS.includes(key)) seen.add(key);
  }
  return hasName && seen.size >= 2;
}

/** Files under /etc/xen/scripts are hotplug shell scripts, never configs. */
export function isXenScriptPath(path: string): boolean {
  return path.startsWith('/etc/xen/scripts/');
}

/** `.cfg` files are the only ones we sniff; other extensions are never switched by content. */
export function isCandidateForSniffing(path: string): boolean {
  return path.toLowerCase().endsWith('.cfg') && !isXenScriptPath(path);
}
