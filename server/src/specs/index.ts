// Registry of the value mini-languages, keyed by id. The catalogue's `KeySpec.spec` names which
// language checks a key's value (or each element of its list).
import type { SpecLanguage, SpecParse } from './types';
import { actionLanguage } from './action';
import { armSciLanguage } from './arm-sci';
import { bootLanguage } from './boot';
import { channelLanguage } from './channel';
import { cpuidLanguage, cpuidXendLanguage } from './cpuid';
import { cpusLanguage } from './cpus';
import { diskLanguage } from './disk';
import { dtdevLanguage } from './dtdev';
import { iomemLanguage } from './iomem';
import { ioportsLanguage } from './ioports';
import { irqsLanguage } from './irqs';
import { llcColorsLanguage } from './llc-colors';
import { mcaCapsLanguage } from './mca-caps';
import { p9Language } from './p9';
import { pciLanguage } from './pci';
import { pvcallsLanguage } from './pvcalls';
import { rdmLanguage } from './rdm';
import { serialLanguage } from './serial';
import { smbiosLanguage } from './smbios';
import { tscModeLanguage } from './tsc-mode';
import { usbctrlLanguage } from './usbctrl';
import { usbdevLanguage } from './usbdev';
import { usbdeviceLanguage } from './usbdevice';
import { vdisplLanguage } from './vdispl';
import { vfbLanguage } from './vfb';
import { vifLanguage } from './vif';
import { viridianLanguage } from './viridian';
import { virtioLanguage } from './virtio';
import { vkbLanguage } from './vkb';
import { vnumaLanguage } from './vnuma';
import { vsndLanguage } from './vsnd';
import { uuidLanguage } from './uuid';
import { vtpmLanguage } from './vtpm';
import { xenstoreQuotaLanguage } from './xenstore-quota';

export type { SpecFailure, SpecLanguage, SpecParse, SpecPart, SpecProblem } from './types';
export { cAtoi, setSpecFailurePolicy, SpecParserError, type SpecFailurePolicy } from './common';

/** The memo of every language (see `memoized`); declared before the registry that fills it. */
const memos: Map<string, SpecParse>[] = [];

/**
 * Every language by id. What one `parse()` call receives:
 * - one list element: disk, vif, pci, vfb, vkb, vdispl, channel, vtpm, p9, pvcalls, usbctrl,
 *   usbdev, virtio, iomem, ioports, irqs, llc_colors, xenstore_quota, smbios, mca_caps, dtdev,
 *   viridian (one group), cpuid-xend (one `LEAF:REG=BITS` line), vnuma and vsnd (one string of
 *   the inner list);
 * - the whole string value: cpus (also each element of the list form), rdm, cpuid (`host,...`),
 *   boot, action (on_*), tsc_mode, serial and usbdevice (also per element), arm_sci.
 */
export const SPEC_LANGUAGES: ReadonlyMap<string, SpecLanguage> = new Map(
  [
    diskLanguage, vifLanguage, pciLanguage, rdmLanguage, cpusLanguage, vnumaLanguage, cpuidLanguage, cpuidXendLanguage,
    vfbLanguage, vkbLanguage, vdisplLanguage, vsndLanguage, channelLanguage, vtpmLanguage, p9Language, pvcallsLanguage,
    usbctrlLanguage, usbdevLanguage, virtioLanguage, armSciLanguage, viridianLanguage, bootLanguage, actionLanguage,
    tscModeLanguage, serialLanguage, iomemLanguage, ioportsLanguage, irqsLanguage, llcColorsLanguage,
    xenstoreQuotaLanguage, smbiosLanguage, mcaCapsLanguage, usbdeviceLanguage, dtdevLanguage, uuidLanguage,
  ].map((l) => [l.id, memoized(l)] as const),
);

/** Maps the `itemSpec` names used in the reference key table (keys.json) to language ids. */
export const SPEC_ALIASES: ReadonlyMap<string, string> = new Map([
  ['DISK_SPEC', 'disk'], ['NET_SPEC', 'vif'], ['PCI_SPEC', 'pci'], ['RDM', 'rdm'], ['CPULIST', 'cpus'],
  ['VNUMA', 'vnuma'], ['CPUID', 'cpuid'], ['VFB_SPEC', 'vfb'], ['VKB_SPEC', 'vkb'], ['VDISPL_SPEC', 'vdispl'],
  ['VSND_SPEC', 'vsnd'], ['CHANNEL_SPEC', 'channel'], ['VTPM_SPEC', 'vtpm'], ['9PFS_SPEC', 'p9'],
  ['PVCALLS_SPEC', 'pvcalls'], ['USBCTRL_SPEC', 'usbctrl'], ['USBDEV_SPEC', 'usbdev'], ['VIRTIO_SPEC', 'virtio'],
  ['ARM_SCI', 'arm_sci'], ['VIRIDIAN', 'viridian'], ['IOMEM', 'iomem'], ['IOPORTS', 'ioports'], ['IRQS', 'irqs'],
  ['LLC_COLORS', 'llc_colors'], ['XENSTORE_QUOTA', 'xenstore_quota'], ['SMBIOS', 'smbios'],
]);

/** Most distinct spec strings remembered per language before the memo starts over. */
const MEMO_LIMIT = 20_000;

/** Forgets every remembered parse (the benchmark and the fuzzer start from an empty memo). */
export function clearSpecMemo(): void {
  for (const memo of memos) memo.clear();
}

/**
 * The same language with its parse remembered by input: parsing is pure and its results are
 * read-only, and while a config is edited every other disk and vif string stays the same, so each
 * re-analysis parses only what changed. `remember: false` skips the memo both ways.
 */
function memoized(language: SpecLanguage): SpecLanguage {
  const memo = new Map<string, SpecParse>();
  memos.push(memo);
  return {
    id: language.id,
    keys: language.keys,
    parse(text: string, remember = true): SpecParse {
      if (!remember) return language.parse(text);
      let result = memo.get(text);
      if (result === undefined) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        result = language.parse(text);
        memo.set(text, result);
      }
      return result;
    },
  };
}
