// Which paths are xl configs, by the same rules as the extension's language associations
// (package.json): /etc/xen/**/*.cfg, /etc/xen/auto/*, *.xl, *.xlcfg, xlexample.*, and *.cfg under
// any folder named `xen`, never /etc/xen/scripts/. Pure functions of a path (or a parsed file).

import { KEY } from '../catalogue';
import type { XlDocument } from '../syntax';

export function isXlConfigPath(path: string): boolean {
  if (path.startsWith('/etc/xen/scripts/')) return false;
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name.endsWith('.xl') || name.endsWith('.xlcfg') || name.startsWith('xlexample.')) return true;
  if (path.startsWith('/etc/xen/auto/') && !path.slice('/etc/xen/auto/'.length).includes('/')) return true;
  if (!name.endsWith('.cfg')) return false;
  return path.startsWith('/etc/xen/') || path.split('/').slice(0, -1).includes('xen');
}

/** Keys that nearly every guest config sets: with a `name`, two of them make a `.cfg` a config. */
const TELLING_KEYS: readonly string[] = [KEY.memory, KEY.vcpus, KEY.disk, KEY.vif, KEY.type, KEY.builder, KEY.kernel, KEY.bootloader];

/**
 * True when a parsed `.cfg` from outside /etc/xen and `xen` folders is a guest config anyway: it
 * sets `name` to a string and at least two well-known keys (the same rule as the client's).
 */
export function looksLikeGuestConfig(document: XlDocument): boolean {
  let hasName = false;
  const seen = new Set<string>();
  for (const setting of document.settings) {
    if (setting.key === KEY.name && typeof setting.value === 'string') hasName = true;
    else if (TELLING_KEYS.includes(setting.key)) seen.add(setting.key);
  }
  return hasName && seen.size >= 2;
}

/** `/etc/xen/xl.conf` (xl's own settings) has the same syntax as a guest config but other keys. */
export function isXlConfPath(path: string): boolean {
  return path.endsWith('/xl.conf');
}
