// The keys of the PCI language (PCI_SPEC_STRING): the values each accepts and what it means, in our
// own words, for hover and completion. The parser in `pci.ts` reads the accepted values from here.
import type { SpecKeyDoc } from '../catalogue/types';

export const RDM_POLICIES = ['strict', 'relaxed'];

export const PCI_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'bdf',
    doc: 'Host PCI address of the device to pass through, `[DDDD:]BB:DD.F` in hex (domain, bus, device, function); `*` as the function passes every function of the device. Usually written positionally as the first item.',
    example: 'bdf=0000:03:00.0',
  },
  {
    name: 'vslot',
    doc: 'Virtual PCI slot (hex, 0-1f) the device gets inside an HVM guest. Without it the first free slot is used. Positionally it is written as `BDF@VSLOT`.',
    example: 'vslot=0x5',
  },
  {
    name: 'permissive',
    doc: 'Set to 1 to let the guest write PCI config space registers that pciback would normally block. Some devices need this, but it weakens isolation from a malicious guest.',
    values: ['0', '1'],
    default: 'pci_permissive (0)',
    example: 'permissive=1',
  },
  {
    name: 'msitranslate',
    doc: 'Set to 1 to have MSI interrupts of the device delivered to an HVM guest as legacy INTx interrupts (through QEMU); a workaround for guests with broken MSI handling.',
    values: ['0', '1'],
    default: 'pci_msitranslate (0)',
    example: 'msitranslate=1',
  },
  {
    name: 'seize',
    doc: 'Set to 1 to let xl unbind the device from its host driver and hand it to pciback automatically if it has not been made assignable yet. Convenient but can grab a device the host is using.',
    values: ['0', '1'],
    default: 'pci_seize (0)',
    example: 'seize=1',
  },
  {
    name: 'power_mgmt',
    doc: 'HVM only: set to 1 to let the guest control the device\'s PCI power states (D0-D3).',
    values: ['0', '1'],
    default: 'pci_power_mgmt (0)',
    example: 'power_mgmt=1',
  },
  {
    name: 'rdm_policy',
    doc: 'What happens when a reserved device memory region of this device (for example an RMRR) clashes with the guest memory layout: `strict` refuses to start the guest, `relaxed` only warns.',
    values: RDM_POLICIES,
    default: 'relaxed (or the rdm= policy)',
    valueDocs: {
      strict: 'A conflict is fatal: the guest is not created.',
      relaxed: 'A conflict is logged and creation continues.',
    },
    example: 'rdm_policy=strict',
  },
  {
    name: 'name',
    doc: 'Refers to a device by the name given with `xl pci-assignable-add -n NAME` instead of by address. Use either a BDF or a name, never both.',
    example: 'name=gpu0',
  },
];
