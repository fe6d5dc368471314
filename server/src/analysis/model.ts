// The semantic view of a parsed config that every rule and feature shares: the effective settings
// ("last wins"), and the guest type the file declares.

import { KEY, type GuestType } from '../catalogue';
import { effectiveSettings, type Setting, type XlDocument } from '../syntax';

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
}

export function buildModel(document: XlDocument): ConfigModel {
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
  return { document, effective, guestType, guestTypeSetting, guestTypeKnown };
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
