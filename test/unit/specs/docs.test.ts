import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPEC_LANGUAGES, SPEC_ALIASES } from '../../../server/src/specs/index';

const EXPECTED = [
  'disk', 'vif', 'pci', 'rdm', 'cpus', 'vnuma', 'cpuid', 'cpuid-xend', 'vfb', 'vkb', 'vdispl', 'vsnd', 'channel', 'vtpm',
  'p9', 'pvcalls', 'usbctrl', 'usbdev', 'virtio', 'arm_sci', 'viridian', 'boot', 'action', 'tsc_mode', 'serial',
  'iomem', 'ioports', 'irqs', 'llc_colors', 'xenstore_quota', 'smbios', 'mca_caps', 'usbdevice', 'dtdev',
];

test('every expected language is registered under its id', () => {
  for (const id of EXPECTED) assert.equal(SPEC_LANGUAGES.get(id)?.id, id, id);
  for (const [alias, id] of SPEC_ALIASES) assert.ok(SPEC_LANGUAGES.has(id), `${alias} -> ${id}`);
});

test('every language documents its keys, each doc at least 20 characters', () => {
  for (const [id, lang] of SPEC_LANGUAGES) {
    assert.ok(lang.keys.length > 0, `${id} has no keys`);
    const seen = new Set<string>();
    for (const k of lang.keys) {
      assert.ok(!seen.has(k.name), `${id}: duplicate key ${k.name}`);
      seen.add(k.name);
      assert.ok(k.doc.length >= 20, `${id}.${k.name}: doc too short`);
      assert.ok(k.doc.length <= 400, `${id}.${k.name}: doc too long`);
      if (k.valueDocs) {
        for (const [v, d] of Object.entries(k.valueDocs)) {
          assert.ok(k.values?.includes(v), `${id}.${k.name}: valueDocs for unlisted value ${v}`);
          assert.ok(d.length >= 5, `${id}.${k.name}=${v}: value doc too short`);
        }
      }
    }
  }
});

test('every part key a parse produces is a documented key', () => {
  const samples: Record<string, string[]> = {
    disk: ['phy:/dev/vg/lv,xvda,rw', 'file:/iso,xvdb:cdrom,r', 'format=raw, vdev=xvda, access=rw, target=/x', 'vdev=xvda,cdrom,discard,script=x,backend=d,backendtype=phy,specification=xen,grant_usage=1'],
    vif: ['mac=00:16:3e:00:00:01,bridge=xenbr0,rate=1Mb/s,trusted,colo_compare_out=x'],
    pci: ['0000:03:00.0@2,permissive=1,rdm_policy=strict'],
    cpus: ['0-3,^2,node:1,all'],
    cpuid: ['host,sse3=0,family=6'],
    'cpuid-xend': ['7,0:ebx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    viridian: ['!base', 'all', 'defaults', 'SYNIC'],
    vsnd: ['CARD, backend=dom0', 'STREAM, unique-id=0, type=p'],
  };
  for (const [id, texts] of Object.entries(samples)) {
    const lang = SPEC_LANGUAGES.get(id)!;
    const names = new Set(lang.keys.map((k) => k.name));
    for (const t of texts) {
      for (const p of lang.parse(t).parts) assert.ok(names.has(p.key), `${id}: part key ${p.key} from ${t} is not documented`);
    }
  }
});

test('enumerated keys list their values', () => {
  const want: [string, string, string[]][] = [
    ['disk', 'format', ['raw', 'qcow', 'qcow2', 'vhd', 'qed', 'empty']],
    ['disk', 'access', ['r', 'ro', 'w', 'rw']],
    ['disk', 'devtype', ['cdrom', 'disk']],
    ['disk', 'backendtype', ['phy', 'tap', 'qdisk', 'standalone']],
    ['vif', 'type', ['ioemu', 'vif']],
    ['channel', 'connection', ['pty', 'socket']],
    ['usbctrl', 'type', ['auto', 'pv', 'qusb', 'devicemodel']],
    ['usbctrl', 'version', ['1', '2', '3']],
    ['vkb', 'backend-type', ['qemu', 'linux']],
  ];
  for (const [id, key, values] of want) {
    const k = SPEC_LANGUAGES.get(id)!.keys.find((x) => x.name === key);
    assert.deepEqual([...(k?.values ?? [])].sort(), [...values].sort(), `${id}.${key}`);
  }
  const formats = SPEC_LANGUAGES.get('vsnd')!.keys.find((k) => k.name === 'sample-formats')!.values!;
  assert.ok(formats.includes('f32_le') && !formats.includes('float_le'));
});

test('parsers never throw and stay fast on hostile input', () => {
  const big = 'a,'.repeat(20000) + '='.repeat(20000) + ':'.repeat(20000);
  for (const [id, lang] of SPEC_LANGUAGES) {
    for (const t of ['', ',', '=', ':', '@', '^', ',,,,', ' ', 'x'.repeat(5000), '\u0000', 'é=ü,ß']) {
      assert.doesNotThrow(() => lang.parse(t), id);
    }
    const t0 = Date.now();
    lang.parse(big);
    assert.ok(Date.now() - t0 < 2000, `${id} is too slow on a 100k character input`);
  }
});
