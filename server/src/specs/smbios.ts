// `smbios` list elements (HVM): `KEY=VALUE` strings placed in the guest's SMBIOS tables, checked
// like xl_parse.c (case-insensitive key names from libxl_smbios_type, non-empty values).
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, hasCaseless, language, quoted } from './common';
import { didYouMean } from '../text/suggest';

const TYPES: Readonly<Record<string, string>> = {
  bios_vendor: 'BIOS vendor string (SMBIOS type 0).',
  bios_version: 'BIOS version string (type 0).',
  system_manufacturer: 'System manufacturer (type 1); some software licensing checks look at it.',
  system_product_name: 'System product name (type 1).',
  system_version: 'System version (type 1).',
  system_serial_number: 'System serial number (type 1), often used by asset tracking.',
  baseboard_manufacturer: 'Baseboard manufacturer (type 2).',
  baseboard_product_name: 'Baseboard product name (type 2).',
  baseboard_version: 'Baseboard version (type 2).',
  baseboard_serial_number: 'Baseboard serial number (type 2).',
  baseboard_asset_tag: 'Baseboard asset tag (type 2).',
  baseboard_location_in_chassis: 'Location of the baseboard in the chassis (type 2).',
  enclosure_manufacturer: 'Chassis manufacturer (type 3).',
  enclosure_serial_number: 'Chassis serial number (type 3).',
  enclosure_asset_tag: 'Chassis asset tag (type 3).',
  battery_manufacturer: 'Battery manufacturer (type 22); lets laptops-only software see a battery.',
  battery_device_name: 'Battery device name (type 22).',
  oem: 'Free-form OEM string (type 11); may be given up to 99 times.',
};
const NAMES = Object.keys(TYPES);

export const SMBIOS_KEYS: readonly SpecKeyDoc[] = NAMES.map((name): SpecKeyDoc => ({
  name,
  doc: `${TYPES[name]} Value must not be empty.`,
  example: `${name}=Example`,
}));

export const smbiosLanguage = language('smbios', SMBIOS_KEYS, (text, out: Collector) => {
  const length = text.length;
  const equals = text.indexOf('=');
  if (equals < 0) {
    out.error(0, length, 'smbios-spec', `failed to split ${quoted(text)} at "="; write KEY=VALUE`);
    return;
  }
  const key = text.slice(0, equals);
  if (equals + 1 === length) {
    out.error(0, length, 'smbios-spec', `empty value not allowed for smbios ${quoted(key + '=')}`);
    return;
  }
  if (!hasCaseless(NAMES, key)) {
    out.error(0, equals, 'bad-enum', `unknown smbios type ${quoted(key)}${didYouMean(key, NAMES)}; accepted: ${NAMES.join(', ')}`);
    return;
  }
  out.part(key.toLowerCase(), text.slice(equals + 1), 0, length, equals + 1, true);
});
