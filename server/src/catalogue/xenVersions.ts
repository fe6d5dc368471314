// The Xen version a config is checked for, and comparisons of the releases the version facts name
// (`VersionFacts` in types.ts). Pure: the server gets the version from the `xen.targetVersion`
// setting or from the client's `xen/hostVersion` notification, the CLI from `--xen-version`.

import { readXenRelease } from '../../../common/xenVersion';
import { XEN_RELEASES, XEN_VERSIONS, type VersionFacts, type XenRelease, type XenVersion } from './types';

/** The version the checks target, and where it comes from (for the wording of the messages). */
export interface XenTarget {
  readonly version: XenVersion;
  /** `host`: the dom0 the client talks to runs it; `setting`: the user chose it (setting or command line). */
  readonly from: 'host' | 'setting';
}

/** Negative when release `a` is older than `b`, 0 when equal, positive when newer. */
export function compareReleases(a: XenRelease, b: XenRelease): number {
  return XEN_RELEASES.indexOf(a) - XEN_RELEASES.indexOf(b);
}

/** True when the fact says the key or value came after `version`, so that version's xl lacks it. */
export function lacks(facts: VersionFacts | undefined, version: XenVersion): facts is VersionFacts & { since: XenRelease } {
  return facts?.since !== undefined && compareReleases(facts.since, version) > 0;
}

/** True when the fact says the key or value was removed in `version` or before. */
export function removedBy(facts: VersionFacts | undefined, version: XenVersion): facts is VersionFacts & { removedIn: XenRelease } {
  return facts?.removedIn !== undefined && compareReleases(facts.removedIn, version) <= 0;
}

/**
 * Reads a version as `xl info` gives it (`4.17`, `4.17.3`, `4.20.1-pre`) or as a user writes it.
 * A release newer than the newest we know is checked as the newest (it has every key we know of);
 * one older than 4.17, or anything else, gives undefined: no version checks.
 */
export function parseXenVersion(text: unknown): XenVersion | undefined {
  const release = readXenRelease(text);
  if (release === undefined) return undefined;
  const { major, minor } = release;
  const newest = XEN_VERSIONS[XEN_VERSIONS.length - 1];
  const [newestMajor, newestMinor] = newest.split('.').map(Number);
  if (major > newestMajor || (major === newestMajor && minor > newestMinor)) return newest;
  const version = `${major}.${minor}`;
  return (XEN_VERSIONS as readonly string[]).includes(version) ? (version as XenVersion) : undefined;
}

/**
 * The target from the setting (`auto` or a version) and the host's version, when the client knows
 * it: a version chosen in the setting wins; `auto` takes the host's; `auto` without a host is no
 * target, which means the latest Xen and no version checks.
 */
export function resolveTarget(setting: 'auto' | XenVersion, host: XenVersion | undefined): XenTarget | undefined {
  if (setting !== 'auto') return { version: setting, from: 'setting' };
  return host === undefined ? undefined : { version: host, from: 'host' };
}

/** "this host runs 4.17" or "the target is Xen 4.17", for the end of a message. */
export function describeTarget(target: XenTarget): string {
  return target.from === 'host' ? `this host runs ${target.version}` : `the target is Xen ${target.version}`;
}
