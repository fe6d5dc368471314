// Which paths are xl configs, by the same rules as the extension's language associations
// (package.json): /etc/xen/**/*.cfg, /etc/xen/auto/*, *.xl, *.xlcfg, xlexample.*, and *.cfg under
// any folder named `xen`, never /etc/xen/scripts/. Pure functions of a path.

export function isXlConfigPath(path: string): boolean {
  if (path.startsWith('/etc/xen/scripts/')) return false;
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name.endsWith('.xl') || name.endsWith('.xlcfg') || name.startsWith('xlexample.')) return true;
  if (path.startsWith('/etc/xen/auto/') && !path.slice('/etc/xen/auto/'.length).includes('/')) return true;
  if (!name.endsWith('.cfg')) return false;
  return path.startsWith('/etc/xen/') || path.split('/').slice(0, -1).includes('xen');
}

/** `/etc/xen/xl.conf` (xl's own settings) has the same syntax as a guest config but other keys. */
export function isXlConfPath(path: string): boolean {
  return path.endsWith('/xl.conf');
}
