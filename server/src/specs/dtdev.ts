// `dtdev` list elements (Arm): device-tree paths of host devices to pass through. xl does not
// check them; a path that is not absolute cannot match a device-tree node.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, language, quoted } from './common';

export const DTDEV_KEYS: readonly SpecKeyDoc[] = [
  { name: 'path', doc: 'Absolute path of the host device-tree node to assign to the guest, e.g. `/soc/ethernet@ff0e0000`; the node must be protected by an IOMMU.', example: '/soc/ethernet@ff0e0000' },
];

export const dtdevLanguage = language('dtdev', DTDEV_KEYS, (text, out: Collector) => {
  out.part('path', text, 0, text.length, 0, false);
  if (!text.startsWith('/')) out.warning(0, text.length, 'dtdev-path', `device-tree path ${quoted(text)} is not absolute; it must start with "/"`);
});
