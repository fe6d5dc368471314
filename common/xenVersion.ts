// How a Xen version string reads as a release (major.minor), by one rule for the client (the
// hosts' `xl info`) and the server (`xen.targetVersion`, the `xen/hostVersion` notification,
// `--xen-version`). Pure.

export interface XenMajorMinor {
  readonly major: number;
  readonly minor: number;
}

/**
 * `4.17`, `4.17.3`, `4.20.1-pre`, `4.20-rc` → 4 and 20 (the release); undefined unless the text is
 * major.minor, alone or followed by `.`, `-`, `+`, `~` or a blank and more.
 */
export function readXenRelease(text: unknown): XenMajorMinor | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^\s*(\d+)\.(\d+)(?:[.\-+~\s]\S*)?\s*$/.exec(text);
  return match === null ? undefined : { major: Number(match[1]), minor: Number(match[2]) };
}
