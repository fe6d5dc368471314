// The semantic view of a parsed config that every rule and feature shares: the effective settings
// ("last wins"), the guest type the file declares, which string atoms a value mini-language reads,
// and the facts the file already states (MACs, disk names) that new values must not repeat.

import { KEY, KEY_BY_NAME, type GuestType, type KeySpec } from '../catalogue';
import { effectiveSettings, parseXlInteger, type AtomNode, type Setting, type ValueNode, type XlDocument } from '../syntax';
import type { XenTarget } from '../catalogue/xenVersions';
import { SPEC_LANGUAGES, type SpecLanguage, type SpecPart } from '../specs';

export interface ConfigModel {
  readonly document: XlDocument;
  /** The setting xl reads for each key: the last one. */
  readonly effective: ReadonlyMap<string, Setting>;
  /** The guest type xl will build: from `type`, else `builder`, else the x86 default (pv). */
  readonly guestType: GuestType;
  /** Where the guest type comes from: the `type` or `builder` setting, or undefined for the default. */
  readonly guestTypeSetting: Setting | undefined;
  /** False when `type` or `builder` is set to something xl rejects: the guest type is unknown. */
  readonly guestTypeKnown: boolean;
  /** The Xen version the config is checked for; undefined for the latest, with no version checks. */
  readonly target?: XenTarget;
}

export function buildModel(document: XlDocument, target?: XenTarget): ConfigModel {
  const effective = effectiveSettings(document);
  const type = effective.get(KEY.type);
  const builder = effective.get(KEY.builder);
  let guestType: GuestType = 'pv';
  let guestTypeSetting: Setting | undefined;
  const fromType = type !== undefined && typeof type.value === 'string' ? guestTypeFromType(type.value) : undefined;
  const fromBuilder = builder !== undefined && typeof builder.value === 'string' ? guestTypeFromBuilder(builder.value) : undefined;
  if (fromType !== undefined) {
    guestType = fromType;
    guestTypeSetting = type;
  } else if (fromBuilder !== undefined) {
    guestType = fromBuilder;
    guestTypeSetting = builder;
  }
  const guestTypeKnown = (type === undefined || fromType !== undefined) && (builder === undefined || fromBuilder !== undefined);
  return { document, effective, guestType, guestTypeSetting, guestTypeKnown, target };
}

/**
 * Mirrors xl_parse.c: `type` is matched as a prefix of hvm, pv, pvh, in that order, so "h" is
 * hvm, "p" and "pv" are pv, and the empty string is hvm. Undefined when xl rejects the value.
 */
export function guestTypeFromType(value: string): GuestType | undefined {
  for (const candidate of ['hvm', 'pv', 'pvh'] as const) if (candidate.startsWith(value)) return candidate;
  return undefined;
}

/** `builder`: a prefix of "generic" means pv, a prefix of "hvm" means hvm (hvm is tried first). */
export function guestTypeFromBuilder(value: string): GuestType | undefined {
  if ('hvm'.startsWith(value)) return 'hvm';
  if ('generic'.startsWith(value)) return 'pv';
  return undefined;
}

// ---- what values mean ---------------------------------------------------------------------

/** What xl's `xlu_cfg_get_long` reads: undefined when unset or unreadable (then xl keeps the default). */
export function xlLong(setting: Setting | undefined): bigint | undefined {
  // xl rejects a number whose latest assignment used `+=`.
  if (setting === undefined || setting.op === '+=' || typeof setting.value !== 'string') return undefined;
  const result = parseXlInteger(setting.value);
  return result.ok ? result.value : undefined;
}

/** Keys whose value is a path on the host. */
export const PATH_KEYS: ReadonlySet<string> = new Set([
  'kernel', 'ramdisk', 'bootloader', 'device_model_override', 'firmware_override', 'bios_path_override', 'acpi_firmware',
  'smbios_firmware', 'device_tree', 'stubdomain_kernel', 'stubdomain_ramdisk', 'pvshim_path',
]);

// ---- spec strings -------------------------------------------------------------------------

/** The string atoms of one value that a spec language reads, all with that one language. */
export interface SpecTargets {
  readonly language: SpecLanguage;
  /** In document order. */
  readonly atoms: readonly AtomNode[];
}

/** The atoms of a value that one language parses, per the contract in specs/index.ts. */
export function specTargets(spec: KeySpec, node: ValueNode): SpecTargets | undefined {
  const id = spec.spec!;
  if (node.kind === 'atom') {
    // A number for a key that also takes a number (`viridian = 1`, `tsc_mode = 0`) is not a spec.
    if ((spec.kind === 'boolean-or-string-list' || spec.kind === 'integer-or-string' || spec.kind === 'boolean-or-string') && parseXlInteger(node.value).ok && id !== 'tsc_mode') {
      return undefined;
    }
    // A single string where xl wants a list is reported by the value rules, not parsed.
    if (spec.kind === 'string-list' || spec.kind === 'list-of-string-lists') return undefined;
    const language = SPEC_LANGUAGES.get(id);
    return language === undefined ? undefined : { language, atoms: [node] };
  }
  const language = SPEC_LANGUAGES.get(id === 'cpuid' ? 'cpuid-xend' : id);
  if (language === undefined) return undefined;
  const atoms: AtomNode[] = [];
  for (const item of node.items) {
    if (item.kind === 'atom') {
      if (spec.kind !== 'list-of-string-lists') atoms.push(item);
      continue;
    }
    // xl stops at the first nested list of a plain list key (reported by the value rules).
    if (spec.kind !== 'list-of-string-lists') break;
    for (const inner of item.items) if (inner.kind === 'atom') atoms.push(inner);
  }
  return { language, atoms };
}

/**
 * Calls `visit` with the spec parts of every string of every `keyName` statement of the file (not
 * only the effective one: a value written anywhere in the file is taken), except the string atom
 * that starts at `except`.
 */
function forEachSpecPart(document: XlDocument, keyName: string, except: number | undefined, visit: (part: SpecPart) => void): void {
  const spec = KEY_BY_NAME.get(keyName);
  if (spec === undefined) return;
  for (const assignment of document.assignments) {
    if (assignment.keyText !== keyName || assignment.value === undefined) continue;
    const targets = specTargets(spec, assignment.value);
    if (targets === undefined) continue;
    for (const atom of targets.atoms) {
      if (atom.start === except) continue;
      for (const part of targets.language.parse(atom.value).parts) visit(part);
    }
  }
}

/** The MACs written in this file's vif specs (lower case). */
export function macsOf(document: XlDocument): Set<string> {
  const macs = new Set<string>();
  forEachSpecPart(document, 'vif', undefined, (part) => {
    if (part.key === 'mac') macs.add(part.value.toLowerCase());
  });
  return macs;
}

/** The vdevs of every disk in the file but the element at `except` (its opening quote). */
export function usedVdevs(document: XlDocument, except: number | undefined): Set<string> {
  const used = new Set<string>();
  forEachSpecPart(document, 'disk', except, (part) => {
    if (part.key === 'vdev') used.add(part.value);
  });
  return used;
}
