// The key catalogue: every key xl reads, with its facts and our docs. The only source of key
// names in the server; rules that relate particular keys name them through `KEY`.

import { KEY_BY_NAME, KEY_NAMES, KEYS } from './keys';
import type { KeySpec } from './types';

export { KEY_BY_NAME, KEY_NAMES, KEYS };
export type { Arch, GuestType, KeySpec, OnInvalid, SpecKeyDoc, ValueKind } from './types';

/**
 * Names of the keys that rules relate to each other (`maxvcpus < vcpus`, ...). Looking them up
 * here, instead of writing string literals in rules, keeps the catalogue the single source.
 */
export const KEY = {
  name: 'name',
  type: 'type',
  builder: 'builder',
  memory: 'memory',
  maxmem: 'maxmem',
  vcpus: 'vcpus',
  maxvcpus: 'maxvcpus',
  kernel: 'kernel',
  bootloader: 'bootloader',
  firmware: 'firmware',
  cmdline: 'cmdline',
  root: 'root',
  extra: 'extra',
  vnclisten: 'vnclisten',
  vncdisplay: 'vncdisplay',
  vnc: 'vnc',
  vncpasswd: 'vncpasswd',
  keymap: 'keymap',
  vfb: 'vfb',
  vif: 'vif',
  disk: 'disk',
  bios: 'bios',
  biosPathOverride: 'bios_path_override',
  deviceModel: 'device_model',
  deviceModelOverride: 'device_model_override',
  deviceModelVersion: 'device_model_version',
  vnuma: 'vnuma',
  smbios: 'smbios',
  msrRelaxed: 'msr_relaxed',
  opengl: 'opengl',
  viridian: 'viridian',
} as const satisfies Record<string, string>;

for (const name of Object.values(KEY)) {
  if (!KEY_BY_NAME.has(name)) throw new Error(`catalogue: KEY.${name} is not a catalogued key`);
}

export function keySpec(name: string): KeySpec | undefined {
  return KEY_BY_NAME.get(name);
}
