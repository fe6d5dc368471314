// Types of the key catalogue: the facts about every setting xl reads, as plain data.
// A new Xen version should be a change of data in `facts.ts` and the spec languages, not of code paths.

export type GuestType = 'pv' | 'pvh' | 'hvm';
export type Arch = 'any' | 'x86' | 'arm';

/**
 * How xl reads the value. Mirrors the getter (or getter fallback chain) used by xl_parse.c.
 * - `string`: one atom.
 * - `integer`: one atom parsed like C strtol(base 0): decimal, 0x hex, leading 0 octal.
 * - `boolean`: an integer; 0 is false, anything else true.
 * - `string-list`: a list of atoms.
 * - `string-or-list`: a list of atoms, or one atom (xl tries the list first).
 * - `integer-or-string`: an integer, or else one of the string forms (for example `tsc_mode`).
 * - `boolean-or-string`: a boolean, or else a string (for example `vga`/`usb` style keys).
 * - `boolean-or-string-list`: a list of strings, or else a boolean (`viridian`).
 * - `list-of-string-lists`: a list whose elements are lists of atoms (`vnuma`, `vsnd`).
 */
export type ValueKind =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'string-list'
  | 'string-or-list'
  | 'integer-or-string'
  | 'boolean-or-string'
  | 'boolean-or-string-list'
  | 'list-of-string-lists';

/**
 * The Xen releases the version facts name, oldest first: 4.14 is where the facts start, 4.23 is
 * the development version our catalogue comes from. `xl info` reports a release as
 * `xen_major.xen_minor`.
 */
export const XEN_RELEASES = ['4.14', '4.15', '4.16', '4.17', '4.18', '4.19', '4.20', '4.21', '4.22', '4.23'] as const;
export type XenRelease = (typeof XEN_RELEASES)[number];

/**
 * The versions a config can be checked for (`xen.targetVersion`, `xl-cfg-lint --xen-version`): from
 * 4.17, the oldest Xen a supported distribution ships (Debian 12), to 4.23.
 */
export const XEN_VERSIONS = ['4.17', '4.18', '4.19', '4.20', '4.21', '4.22', '4.23'] as const;
export type XenVersion = (typeof XEN_VERSIONS)[number];

/**
 * When xl started or stopped accepting a key or a value, as data. Each fact names the Xen commit
 * (or release note) it comes from, and the version test checks `since` and `removedIn` against the
 * sources of each release (test/fixtures/catalogue/versions.json).
 */
export interface VersionFacts {
  /** The first release whose xl reads the key or accepts the value. */
  readonly since?: XenRelease;
  /** The first release whose xl (or libxl, on `xl create`) refuses it. */
  readonly removedIn?: XenRelease;
  /** The first release whose docs call it deprecated or drop it while xl still reads it. */
  readonly deprecatedIn?: XenRelease;
  /** What to write instead, once removed. */
  readonly replacement?: string;
  /** The Xen commit (abbreviated id and subject) or release note the fact comes from. */
  readonly source: string;
}

/** What xl does when the value is bad: stop `xl create` (`fatal`), or warn and use the default. */
export type OnInvalid = 'fatal' | 'warning-ignored' | 'silently-ignored' | 'fatal-silent';

/**
 * What xl does with one key, as data: checked against Xen's key list by the catalogue test
 * (test/fixtures/catalogue/keys.json). Every field is a fact about xl, none is our prose, so a new
 * fact (for example the Xen version that added or removed a key) is one more optional field here
 * and one more column in `facts.ts`.
 */
export interface KeyFacts {
  /** The key exactly as written in a config. */
  readonly name: string;
  readonly kind: ValueKind;
  /** Guest types the key has an effect on. */
  readonly guestTypes: readonly GuestType[];
  readonly arch: Arch;
  /** The default, as a short human text (`"HVM: 1; PV: 0"`), or undefined when there is none. */
  readonly default?: string;
  /** The accepted atoms, when the value is an enumeration. */
  readonly enum?: readonly string[];
  /**
   * How xl compares a value with `enum` (default `exact`): `ignore-case`; `prefix` (any non-empty
   * prefix of a value is accepted, as for `type`); `open` (other values are accepted too, for
   * example a firmware path).
   */
  readonly enumMatch?: 'exact' | 'ignore-case' | 'prefix' | 'open';
  /** Unit of a number (`MiB`, `KiB`, `ms`, ...). */
  readonly unit?: string;
  /** True when xl still reads the key but it is superseded or has no effect. */
  readonly deprecated?: boolean;
  /** The key or form that replaces a deprecated key. */
  readonly replacement?: string;
  readonly onInvalid: OnInvalid;
  /** The mini-language of the value (or of each list element), when it has one: `disk`, `vif`, ... */
  readonly spec?: string;
  /** Inclusive bounds xl enforces on an integer value (out of range: `outOfRange`, else `onInvalid`, applies). */
  readonly range?: readonly [min: number, max: number];
  /**
   * What a number outside `range` makes xl do, when that differs from what a value that is no
   * number does (`vcpus`: xl ignores a word but stops on a negative count).
   */
  readonly outOfRange?: OnInvalid;
  /**
   * What xl does with a single value where it reads a list, when it does more than warn and ignore
   * the key: `fatal` (it stops `xl create`, as for `smbios`) or `split` (it still takes the string,
   * calls that form deprecated and splits it at blanks, as for `bootloader_args`).
   */
  readonly singleValue?: 'fatal' | 'split';
  /**
   * `deprecated` when xl still reads a number for the key but warns that the number form is
   * deprecated (`timer_mode = 1`); `enum` lists the names in the order of their numbers.
   */
  readonly integerForm?: 'deprecated';
  /** `fatal` when xl stops `xl create` if the key is set for a guest type it does not apply to. */
  readonly otherGuestTypes?: 'fatal';
  /**
   * What a nested list in the value does, when it is more than dropping it and the rest of the list:
   * `crash` (xl crashes) or `fatal` (xl says it cannot get the element and stops `xl create`).
   */
  readonly nestedList?: 'crash' | 'fatal';
  /**
   * Set when Xen 4.17 (Debian 12's xl, the oldest we support) does not read the key at all: its
   * problems are then warnings, since an older xl ignores them.
   */
  readonly addedAfter?: '4.17';
  /** Values that newer xl rejects but Xen 4.17 still accepts, with a note for the warning. */
  readonly legacyValues?: Readonly<Record<string, string>>;
  /**
   * The releases that added (or deprecated) the key. `addedAfter` above is what the checks use when
   * no target version is known; `version` is what they use for a target.
   */
  readonly version?: VersionFacts;
  /** The same, for values of the key that came or went on their own (`tee = "ffa"`, `bios = "rombios"`). */
  readonly valueVersions?: Readonly<Record<string, VersionFacts>>;
}

/** Our own words about one key, kept by hand in `docs.ts` apart from the facts. */
export interface KeyDoc {
  /** Our own description, 1-4 sentences, markdown allowed. */
  readonly doc: string;
  /** A one-line example assignment, as it would appear in a config. */
  readonly example: string;
}

/** Everything the server knows about one key: its facts and our docs. */
export interface KeySpec extends KeyFacts, KeyDoc {}

/** One key of a value mini-language (for example `vdev` in a disk spec). */
export interface SpecKeyDoc {
  readonly name: string;
  /** Our own description, 1-3 sentences. */
  readonly doc: string;
  /** The accepted values, when they are an enumeration. */
  readonly values?: readonly string[];
  /** Docs of individual enum values, keyed by value. */
  readonly valueDocs?: Readonly<Record<string, string>>;
  readonly default?: string;
  /** True when the key is still accepted but superseded. */
  readonly deprecated?: boolean;
  readonly example?: string;
  /** The release that added the spec key (see `VersionFacts`). */
  readonly version?: VersionFacts;
  /** The same, for values of the spec key that came or went on their own. */
  readonly valueVersions?: Readonly<Record<string, VersionFacts>>;
}
