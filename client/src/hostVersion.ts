// Which Xen the configs are checked against when `xen.targetVersion` is `auto`: the oldest Xen
// among the hosts whose `xl info` answered (the Host view reads it anyway). A config may be
// started on any of them, and the oldest xl is the one that lacks the most. Pure: no `vscode`.

import { readXenRelease, type XenMajorMinor } from '../../common/xenVersion';

/** The oldest of the hosts' Xen versions as major.minor, or null when no host told its version. */
export function oldestHostVersion(versions: readonly (string | undefined)[]): string | null {
  let oldest: XenMajorMinor | undefined;
  for (const version of versions) {
    const release = readXenRelease(version);
    if (release === undefined) continue;
    if (oldest === undefined || release.major < oldest.major || (release.major === oldest.major && release.minor < oldest.minor)) oldest = release;
  }
  return oldest === undefined ? null : `${oldest.major}.${oldest.minor}`;
}
