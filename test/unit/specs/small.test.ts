import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cStrtoul, strtok, ULONG_MAX } from '../../../server/src/specs/common';
import { SPEC_LANGUAGES } from '../../../server/src/specs/index';
import { check, type Expect } from './helpers';

const table: Record<string, [string, Expect][]> = {
  cpus: [
    ['0-3', 'clean'],
    ['0-3,^2', 'clean'],
    ['all', 'clean'],
    ['node:0', 'clean'],
    ['nodes:0-1,^node:1', 'clean'],
    ['nodes:all', 'clean'],
    ['2,4,,6', 'clean'],
    ['3-1', { code: 'cpus-range', at: '3-1' }],
    ['^all', { code: 'cpus-all', at: '^all' }],
    ['^nodes:all', { code: 'cpus-all' }],
    ['1-', { code: 'cpus-range', at: '1-' }],
    ['0-3,x', { code: 'cpus-range', at: 'x' }],
    ['node:a', { code: 'cpus-range', at: 'a' }],
    ['0 - 3', { code: 'cpus-range' }],
    ['-1', { code: 'cpus-range' }],
    ['', { code: 'cpus-range', sev: 'warning' }],
  ],
  vnuma: [
    ['pnode=0', 'clean'],
    [' size = 512 ', 'clean'],
    ['vcpus=0-1,4', 'clean'],
    ['vdistances=10,20', 'clean'],
    ['pnode', { code: 'vnuma-spec' }],
    ['size=', { code: 'vnuma-spec' }],
    ['size=lots', { code: 'spec-number', at: 'lots' }],
    ['vdistances=10,x', { code: 'spec-number', at: 'x' }],
    ['vcpus=3-1', { code: 'cpus-range', sev: 'warning', at: '3-1' }],
    ['vcpu=0-1', { code: 'spec-unknown-key', sev: 'warning', at: 'vcpu' }],
  ],
  cpuid: [
    ['host,tm=0,sse3=0', 'clean'],
    ['host,x2apic=0,avx512f=k,sse4_2=x,family=0x15,model=5', 'clean'],
    ['host,rdcl-no=1,lfence+=1', 'clean'],
    ['host', 'clean'],
    ['host,foo=1', { code: 'cpuid-flag', sev: 'warning', at: 'foo' }],
    ['host,avx512=1', { code: 'cpuid-flag', sev: 'warning', at: 'avx512' }],
    ['host,sse3', { code: 'cpuid-flag', sev: 'warning', at: 'sse3' }],
    ['host,sse3=y', { code: 'cpuid-value', sev: 'warning', at: 'y' }],
    ['host,rdcl-no=10', { code: 'cpuid-value', sev: 'warning', at: '10' }],
    ['host,sse3=2', { code: 'cpuid-value', sev: 'warning', at: '2' }],
    ['cpu,sse3=0', { code: 'cpuid-host', sev: 'warning', at: 'cpu' }],
  ],
  'cpuid-xend': [
    ['0x00000001:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxx0xxx', 'clean'],
    ['7,0:ebx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0,ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'clean'],
    ['foo:eax=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', { code: 'cpuid-leaf', sev: 'warning', at: 'foo' }],
    ['1,z:eax=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', { code: 'cpuid-leaf', sev: 'warning', at: 'z' }],
    ['1 eax=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', { code: 'cpuid-leaf', sev: 'warning' }],
    ['1:efx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', { code: 'cpuid-reg', sev: 'warning', at: 'efx' }],
    ['1:eax=xxxx', { code: 'cpuid-bits', sev: 'warning', at: 'xxxx' }],
    ['1:eax=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxq', { code: 'cpuid-bits', sev: 'warning', at: 'q' }],
  ],
  viridian: [
    ['base', 'clean'],
    ['defaults', 'clean'],
    ['all', 'clean'],
    ['!reference_tsc', 'clean'],
    ['SYNIC', 'clean'],
    ['synic', 'clean'],
    ['stimer', 'clean'],
    ['!all', { code: 'viridian-group', at: 'all' }],
    ['Defaults', { code: 'viridian-group', at: 'Defaults' }],
    ['reference-tsc', { code: 'viridian-group', at: 'reference-tsc' }],
    ['hyperv', { code: 'viridian-group', at: 'hyperv' }],
  ],
  boot: [
    ['c', 'clean'],
    ['dc', 'clean'],
    ['cdn', 'clean'],
    ['cda', 'clean'],
    ['cc', { code: 'boot-device', at: [1, 2] }],
    ['x', { code: 'boot-device', at: 'x' }],
    ['C', { code: 'boot-device', at: 'C' }],
    ['ce', { code: 'boot-device', sev: 'warning', at: 'e' }],
  ],
  action: [
    ['destroy', 'clean'],
    ['rename-restart', 'clean'],
    ['coredump-restart', 'clean'],
    ['soft-reset', 'clean'],
    ['reboot', { code: 'bad-enum', at: 'reboot' }],
    ['Destroy', { code: 'bad-enum', at: 'Destroy' }],
    ['rename_restart', { code: 'bad-enum' }],
  ],
  tsc_mode: [
    ['default', 'clean'],
    ['ALWAYS_EMULATE', 'clean'],
    ['native', 'clean'],
    ['1', { code: 'spec-deprecated', sev: 'warning' }],
    ['native_paravirt', { code: 'bad-enum' }],
    ['3', { code: 'bad-enum' }],
    ['7', { code: 'bad-enum' }],
    ['emulate', { code: 'bad-enum', at: 'emulate' }],
  ],
  serial: [
    ['pty', 'clean'],
    ['none', 'clean'],
    ['file:/var/log/guest.log', 'clean'],
    ['/dev/ttyS0', 'clean'],
    ['tcp::4555,server=on,wait=off', 'clean'],
    ['unix:/run/g.sock,server=on', 'clean'],
    ['ptty', { code: 'serial-device', sev: 'warning' }],
    ['/var/log/x', { code: 'serial-device', sev: 'warning' }],
    ['tcp:host', { code: 'serial-device', sev: 'warning' }],
  ],
  iomem: [
    ['fe000,10', 'clean'],
    ['0xfe000,0x10@0xc0000', 'clean'],
    ['fe000', { code: 'iomem-spec' }],
    ['fe000,10@', { code: 'iomem-spec', at: '@' }],
    ['fe000,10 ', { code: 'iomem-spec', at: ' ' }],
    ['zz,10', { code: 'iomem-spec' }],
  ],
  ioports: [
    ['2f8', 'clean'],
    ['0x2f8-0x2ff', 'clean'],
    ['2f8-', { code: 'ioports-spec' }],
    ['xyz', { code: 'ioports-spec' }],
    ['2f8-2ffz', { code: 'ioports-spec' }],
    ['2f8z', { code: 'ioports-spec', sev: 'warning', at: 'z' }],
    ['2ff-2f8', { code: 'ioports-spec', sev: 'warning' }],
    ['fffffffff', { code: 'ioports-spec' }],
  ],
  irqs: [
    ['7', 'clean'],
    ['0x10', { code: 'irqs-spec' }],
    ['7a', { code: 'irqs-spec' }],
    ['99999999999', { code: 'irqs-spec' }],
  ],
  llc_colors: [
    ['0-3', 'clean'],
    ['5', 'clean'],
    ['3-1', { code: 'llc-colors' }],
    ['x', { code: 'llc-colors' }],
  ],
  xenstore_quota: [
    ['nodes=2000', 'clean'],
    ['nodes', { code: 'xenstore-quota' }],
    ['nodes=lots', { code: 'xenstore-quota', at: 'lots' }],
    ['nodes=0x100000000', { code: 'xenstore-quota' }],
  ],
  smbios: [
    ['system_manufacturer=Xen', 'clean'],
    ['OEM=hello', 'clean'],
    ['oem=', { code: 'smbios-spec' }],
    ['vendor', { code: 'smbios-spec' }],
    ['bios_vender=x', { code: 'bad-enum', at: 'bios_vender' }],
  ],
  mca_caps: [
    ['lmce', 'clean'],
    ['LMCE', { code: 'bad-enum' }],
  ],
  usbdevice: [
    ['tablet', 'clean'],
    ['host:1234:5678', 'clean'],
    ['host:1.2', 'clean'],
    ['host:01.02', { code: 'usbdevice', sev: 'warning' }],
    ['tablett', { code: 'usbdevice', sev: 'warning' }],
  ],
  dtdev: [
    ['/soc/ethernet@ff0e0000', 'clean'],
    ['soc/eth', { code: 'dtdev-path', sev: 'warning' }],
  ],
};

for (const [lang, cases] of Object.entries(table)) {
  for (const [text, expected] of cases) test(`${lang} ${JSON.stringify(text)}`, () => check(lang, text, expected));
}

describe('cStrtoul (C strtoul)', () => {
  // A reference that uses BigInt for every digit, to compare against the fast path.
  const exact = (text: string, base: number): bigint => {
    let value = 0n;
    for (const char of text) value = value * BigInt(base) + BigInt(parseInt(char, base));
    return value;
  };

  test('numbers around the switch from plain numbers to BigInt convert exactly', () => {
    for (const [text, base] of [
      ['ffffffffffff', 16], ['fffffffffff', 16], ['1000000000000', 16], ['123456789abcdef0', 16], ['ffffffffffffffff', 16],
      ['17592186044415', 10], ['17592186044416', 10], ['18446744073709551615', 10], ['99999999999999999999', 10], ['777777777777777777777', 8],
    ] as const) {
      const result = cStrtoul(text, 0, base);
      const value = exact(text, base);
      assert.equal(result.value, value > ULONG_MAX ? ULONG_MAX : value, `${text} in base ${base}`);
      assert.equal(result.overflow, value > ULONG_MAX, `${text} overflow`);
      assert.equal(result.end, text.length);
    }
  });

  test('stops at the first character that is not a digit of the base, and wraps negative values', () => {
    assert.deepEqual(cStrtoul('3e:12', 0, 16), { value: 0x3en, end: 2, ok: true, overflow: false, negative: false });
    assert.deepEqual(cStrtoul(' -1', 0, 10), { value: ULONG_MAX, end: 3, ok: true, overflow: false, negative: true });
    assert.equal(cStrtoul('0x1f', 0, 0).value, 31n);
    assert.equal(cStrtoul('017', 0, 0).value, 15n);
    assert.equal(cStrtoul('zz', 0, 10).ok, false);
  });
});

describe('spec parses: run on first read, the same with or without the memo', () => {
  const samples: [string, string][] = [
    ['disk', 'phy:/dev/vg0/guest,xvda,rw'],
    ['disk', 'format=qcow2, vdev=xvdb, access=rwx, target=/images/b.qcow2'],
    ['vif', 'mac=00:16:3e:01:02:03,bridge=xenbr0,bridge=xenbr1'],
    ['pci', '0000:03:00.0,permissive=1'],
    ['vfb', 'vnc=1,vnclisten=0.0.0.0'],
  ];
  for (const [id, text] of samples) {
    test(`${id} ${JSON.stringify(text)}`, () => {
      const language = SPEC_LANGUAGES.get(id)!;
      const remembered = language.parse(text);
      const once = language.parse(text, false);
      assert.notEqual(once, remembered, 'remember: false must not come from the memo');
      assert.deepEqual(once.problems, remembered.problems);
      assert.ok(once.parts.length > 0);
      assert.equal(once.parts, once.parts, 'parts are built once per parse');
      assert.deepEqual(once.parts, remembered.parts);
      assert.equal(language.parse(text), remembered, 'the memo answers the same text with the same parse');
    });
  }
});

describe('a value with a mistake at every character', () => {
  test('is described by its first 100 problems, in order', () => {
    const text = 'dc' + 'z'.repeat(50_000);
    const problems = SPEC_LANGUAGES.get('boot')!.parse(text, false).problems;
    assert.equal(problems.length, 100);
    assert.deepEqual([problems[0].start, problems[99].start], [2, 101]);
    assert.match(problems[0].message, /^invalid boot device "z"/);
  });
});

describe('strtok', () => {
  const split = (text: string, delims: string): [string, number, number][] => strtok(text, delims, 10).map((token) => [token.text, token.start, token.end]);
  test('empty fields vanish, offsets are shifted, with one separator or several', () => {
    assert.deepEqual(split(',a,,bc,', ','), [['a', 11, 12], ['bc', 14, 16]]);
    assert.deepEqual(split('a:b;;c', ':;'), [['a', 10, 11], ['b', 12, 13], ['c', 15, 16]]);
    assert.deepEqual(split('', ','), []);
    assert.deepEqual(split(',,,', ','), []);
    assert.deepEqual(split('abc', ','), [['abc', 10, 13]]);
  });
});
