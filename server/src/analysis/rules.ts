// The table of diagnostic rules: each stable code with what it checks. Users change severities by
// code with the `xen.diagnostics.rules` setting (the code without its `xl.` prefix) and silence a
// rule in a file with `# xl-lint: disable-next-line CODE` or `# xl-lint: disable CODE`.

export interface RuleInfo {
  readonly code: string;
  readonly summary: string;
}

export const RULES: readonly RuleInfo[] = [
  { code: 'xl.syntax.*', summary: 'The file does not parse: xl refuses it with "config parsing error".' },
  { code: 'xl.unknown-key', summary: 'A key xl does not read; xl ignores it silently.' },
  { code: 'xl.wrong-guest-type', summary: 'A key that has no effect for the guest type this config builds.' },
  { code: 'xl.deprecated-key', summary: 'A key that still works but has a replacement.' },
  { code: 'xl.duplicate-key', summary: 'A setting that a later one with the same key overrides.' },
  { code: 'xl.missing-name', summary: 'No `name`: xl create fails.' },
  { code: 'xl.expected-list', summary: 'A single value where xl reads a list: xl ignores it.' },
  { code: 'xl.expected-single', summary: 'A list where xl reads a single value: xl ignores it.' },
  { code: 'xl.not-a-number', summary: 'A value xl cannot read as a number: xl ignores it.' },
  { code: 'xl.plus-equals-number', summary: '`+=` on a number key: xl rejects the value.' },
  { code: 'xl.octal-number', summary: 'A number with a leading 0, which xl reads as octal.' },
  { code: 'xl.nested-list', summary: 'A nested list inside a list of strings: xl drops it and what follows.' },
  { code: 'xl.out-of-range', summary: 'A number outside the bounds xl enforces (mmio_hole 256..3840, ...).' },
  { code: 'xl.bad-enum', summary: 'A value outside the accepted set.' },
  { code: 'xl.abbreviated-value', summary: 'A prefix that xl expands (`type = "h"` is hvm).' },
  { code: 'xl.maxvcpus-below-vcpus', summary: 'maxvcpus less than vcpus: xl create fails.' },
  { code: 'xl.maxmem-below-memory', summary: 'maxmem less than memory.' },
  { code: 'xl.bootloader-with-kernel', summary: 'Both a bootloader and a kernel.' },
  { code: 'xl.vnc-display-twice', summary: 'A VNC display both in vnclisten and vncdisplay.' },
  { code: 'xl.vnc-not-loopback', summary: 'The VNC server listens on an address other machines can reach (`vnclisten`, top-level or in the first `vfb`); the graphical console works with 127.0.0.1. Quick fix: listen on 127.0.0.1.' },
  { code: 'xl.vnc-password-too-long', summary: 'A VNC password longer than 8 bytes: VNC authentication uses only the first 8.' },
  { code: 'xl.vnc-keymap', summary: '`keymap` on a guest with a VNC console: QEMU\'s layout translation can break the console\'s extended key events.' },
  { code: 'xl.builder-type-conflict', summary: '`builder` and `type` name different guest types.' },
  { code: 'xl.duplicate-name', summary: 'Another config in the workspace uses the same guest name.' },
  { code: 'xl.duplicate-mac', summary: 'Another config in the workspace uses the same MAC address.' },
  { code: 'xl.duplicate-vncdisplay', summary: 'Another config in the workspace uses the same VNC display.' },
  { code: 'xl.<spec>-…', summary: 'Problems inside a spec string (disk, vif, pci, ...), from the spec parsers in server/src/specs.' },
  { code: 'xl.spec-internal-error', summary: 'A spec parser failed on this value (a bug in xen-xl): its other problems may be missing. The server log names the parser and a hash of the value.' },
];

export type SeverityOverride = 'error' | 'warning' | 'information' | 'hint' | 'off';
