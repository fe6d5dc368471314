// Which Xen the configs are checked against when `xen.targetVersion` is `auto`: the oldest Xen
// among the hosts whose `xl info` answered (the Host view reads it anyway). A config may be
// started on any of them, and the oldest xl is the one that lacks the most. Pure: no `vscode`.

/** `4.17.7`, `4.20-rc` or `4.17` → `4.17`; undefined for anything that is not major.minor first. */
export function majorMinor(xenVersion: string | undefined): string | undefined {
  const match = /^(\d+)\.(\d+)(?:\D|$)/.exec(xenVersion ?? '');
  return match === null ? undefined : `${Number(match[1])}.${Number(match[2])}`;
}

/** The oldest of the hosts' Xen versions as major.minor, or null when no host told its version. */
export function oldestHostVersion(versions: readonly (string | undefined)[]): string | null {
  let oldest: [number, number] | undefined;
  for (const version of versions) {
    const short = majorMinor(version);
    if (short === undefined) continue;
    const [major, minor] = short.split('.').map(Number);
    if (oldest === undefined || major < oldest[0] || (major === oldest[0] && minor < oldest[1])) oldest = [major, minor];
  }
  return oldest === undefined ? null : `${oldest[0]}.${oldest[1]}`;
}
