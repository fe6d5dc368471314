// The catalogue of xl.conf (`/etc/xen/xl.conf`): the keys xl reads from its own settings file
// before it runs any command, in tools/xl/xl.c parse_global_config(). The same file syntax as a
// guest config, other keys: the facts of `xlConfFacts.ts` joined with our docs of
// `xlConfDocs.ts`, in the order of the facts. The guest keys are in `keys.ts`; no key is in both
// catalogues by accident (`max_grant_frames` and `bootloader_restrict` are read in both files,
// with xl.conf giving the default the guest config can override).

import { XL_CONF_DOCS } from './xlConfDocs';
import { XL_CONF_FACTS } from './xlConfFacts';

/**
 * How xl reads an xl.conf value (the getter parse_global_config() calls).
 * - `string`: one atom (a list is reported and ignored).
 * - `integer`: one atom read like C strtol(base 0).
 * - `boolean`: an integer; 0 is false, anything else true.
 */
export type XlConfValueKind = 'string' | 'integer' | 'boolean';

/**
 * What xl does with a value it cannot use. xl reads xl.conf at the start of every command, so
 * this happens on every `xl` run, not only on `xl create`.
 * - `warning-ignored`: prints a message and goes on as if the key were not set.
 * - `fatal-silent`: exits with status 1 before the command runs, without a message.
 * - `partial`: prints a message and keeps what it read before the bad part (the CPU masks).
 */
export type XlConfOnInvalid = 'warning-ignored' | 'fatal-silent' | 'partial';

/** What xl does with one xl.conf key, as data (facts only; our prose is in `xlConfDocs.ts`). */
export interface XlConfKeyFacts {
  /** The key exactly as written in xl.conf. */
  readonly name: string;
  readonly kind: XlConfValueKind;
  /** The default, as a short human text, or undefined when there is none. */
  readonly default?: string;
  /** The accepted atoms, when the value is an enumeration (compared exactly, as strcmp does). */
  readonly enum?: readonly string[];
  /** Inclusive bounds xl enforces on an integer value (out of range: `onInvalid` applies). */
  readonly range?: readonly [min: number, max: number];
  readonly onInvalid: XlConfOnInvalid;
  /** What xl prints for a bad value of an enumeration (xl's words: they are what the user sees). */
  readonly invalidMessage?: string;
  /** `cpus`: the value is a CPU list, read like a guest's `cpus` (parse_cpurange). */
  readonly spec?: 'cpus';
  /** True when xl still reads the key but prints a notice that it is deprecated. */
  readonly deprecated?: boolean;
  /** The key that replaces a deprecated one; xl reads it after the old one, so it wins. */
  readonly replacement?: string;
  /** The first Xen release whose xl reads the key, when that is after 4.17 (older xl ignores it). */
  readonly addedIn?: string;
}

/** Our own words about one xl.conf key, kept by hand in `xlConfDocs.ts` apart from the facts. */
export interface XlConfKeyDoc {
  /** Our own description, 1-4 sentences, markdown allowed. */
  readonly doc: string;
  /** A one-line example assignment, as it would appear in xl.conf. */
  readonly example: string;
  /** Docs of the values of an enumeration, keyed by value. */
  readonly valueDocs?: Readonly<Record<string, string>>;
}

/** Everything the server knows about one xl.conf key. */
export interface XlConfKeySpec extends XlConfKeyFacts, XlConfKeyDoc {}

function join(): XlConfKeySpec[] {
  const keys = XL_CONF_FACTS.map((facts): XlConfKeySpec => {
    const doc = Object.hasOwn(XL_CONF_DOCS, facts.name) ? XL_CONF_DOCS[facts.name] : undefined;
    if (doc === undefined) throw new Error(`catalogue: xl.conf key ${facts.name} has facts but no doc in xlConfDocs.ts`);
    return { ...facts, ...doc };
  });
  const named = new Set(XL_CONF_FACTS.map((facts) => facts.name));
  for (const name of Object.keys(XL_CONF_DOCS)) {
    if (!named.has(name)) throw new Error(`catalogue: xl.conf key ${name} has a doc in xlConfDocs.ts but no facts`);
  }
  return keys;
}

export const XL_CONF_KEYS: readonly XlConfKeySpec[] = join();

export const XL_CONF_KEY_BY_NAME: ReadonlyMap<string, XlConfKeySpec> = new Map(XL_CONF_KEYS.map((key) => [key.name, key]));

/** Every xl.conf key's name, in catalogue order: one array, so a did-you-mean over it is remembered. */
export const XL_CONF_KEY_NAMES: readonly string[] = XL_CONF_KEYS.map((key) => key.name);
