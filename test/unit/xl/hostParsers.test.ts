// Parsers of the host commands against output captured from real LVM (test/fixtures/host) and
// the records our scripts print; anything else must be a bad-output XlError, never a guess.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { XlError } from '../../../client/src/xl/errors';
import {
  parseAutostartEntries,
  parseHostToolFacts,
  parseIsoListing,
  parseLogicalVolumes,
  parsePathsExist,
  parseVolumeGroups,
} from '../../../client/src/xl/hostParsers';

function fixture(name: string): string {
  return readFileSync(path.resolve('test/fixtures/host', name), 'utf8');
}

function badOutput(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof XlError && error.kind === 'bad-output' && pattern.test(error.message), String(pattern));
}

/** NUL-terminated fields, as the scripts print them. */
function records(...fields: string[]): string {
  return fields.map((field) => `${field}\0`).join('');
}

describe('parseVolumeGroups', () => {
  test('real vgs output: names and byte counts (LVM prints them as strings)', () => {
    assert.deepEqual(parseVolumeGroups(fixture('vgs.json')), [
      { name: 'xenxl_small', sizeBytes: 103809024, freeBytes: 103809024, extentBytes: 1048576 },
      { name: 'xenxltestvg', sizeBytes: 205520896, freeBytes: 163577856, extentBytes: 4194304 },
    ]);
  });

  test('no volume groups is an empty list', () => {
    assert.deepEqual(parseVolumeGroups(fixture('vgs-none.json')), []);
  });

  test('numbers as JSON numbers, and a log report next to the rows, are read too', () => {
    const text = JSON.stringify({
      report: [{ vg: [{ vg_name: 'vg0', vg_size: 1000, vg_free: 0, vg_extent_size: 4194304 }] }],
      log: [{ log_seq_num: '1', log_type: 'status' }],
    });
    assert.deepEqual(parseVolumeGroups(text), [{ name: 'vg0', sizeBytes: 1000, freeBytes: 0, extentBytes: 4194304 }]);
  });

  test('anything else is bad output naming the field', () => {
    badOutput(() => parseVolumeGroups(''), /no JSON report/);
    badOutput(() => parseVolumeGroups('  VG   #PV #LV\n  vg0    1   0\n'), /not valid JSON/);
    badOutput(() => parseVolumeGroups('{"vg":[]}'), /expected \{"report"/);
    badOutput(() => parseVolumeGroups('{"report":[{"vg":{}}]}'), /report\[0\]\.vg is not an array/);
    badOutput(() => parseVolumeGroups('{"report":[{"vg":[{"vg_name":"a","vg_size":"1.5","vg_free":"0","vg_extent_size":"1"}]}]}'), /vg\[0\]\.vg_size/);
    badOutput(() => parseVolumeGroups('{"report":[{"vg":[{"vg_name":"a","vg_size":"10","vg_free":"-1","vg_extent_size":"1"}]}]}'), /vg\[0\]\.vg_free/);
    badOutput(() => parseVolumeGroups('{"report":[{"vg":[{"vg_size":"10","vg_free":"1","vg_extent_size":"1"}]}]}'), /vg\[0\]\.vg_name/);
    badOutput(() => parseVolumeGroups('{"report":[{"vg":[{"vg_name":"a","vg_size":"10","vg_free":"1"}]}]}'), /vg_extent_size/);
  });
});

describe('parseLogicalVolumes', () => {
  test('real lvs output (activation unknown: X) reads as neither active nor open', () => {
    assert.deepEqual(parseLogicalVolumes(fixture('lvs-activation-unknown.json')), [
      { name: 'guest.disk+1', vg: 'xenxl_small', path: '/dev/xenxl_small/guest.disk+1', sizeBytes: 10485760, active: false, open: false },
      { name: 'odd+name_1.x', vg: 'xenxltestvg', path: '/dev/xenxltestvg/odd+name_1.x', sizeBytes: 20971520, active: false, open: false },
      { name: 'web01', vg: 'xenxltestvg', path: '/dev/xenxltestvg/web01', sizeBytes: 20971520, active: false, open: false },
    ]);
    assert.deepEqual(parseLogicalVolumes(fixture('lvs-none.json')), []);
  });

  test('active and open come from the fifth and sixth attribute; volumes without a device path are left out', () => {
    const row = (name: string, attr: string, lvPath = `/dev/vg0/${name}`) => ({ lv_name: name, vg_name: 'vg0', lv_path: lvPath, lv_size: '4194304', lv_attr: attr });
    const text = JSON.stringify({
      report: [{ lv: [row('idle', '-wi-a-----'), row('used', '-wi-ao----'), row('off', '-wi-------'), row('pool', 'twi-a-tz--', '')] }],
    });
    assert.deepEqual(
      parseLogicalVolumes(text).map(({ name, active, open }) => ({ name, active, open })),
      [
        { name: 'idle', active: true, open: false },
        { name: 'used', active: true, open: true },
        { name: 'off', active: false, open: false },
      ],
    );
  });

  test('a short attribute string or a missing field is bad output', () => {
    badOutput(() => parseLogicalVolumes('{"report":[{"lv":[{"lv_name":"a","vg_name":"v","lv_path":"/dev/v/a","lv_size":"1","lv_attr":"-wi"}]}]}'), /lv_attr/);
    badOutput(() => parseLogicalVolumes('{"report":[{"lv":[{"lv_name":"a","vg_name":"v","lv_size":"1","lv_attr":"-wi-a-----"}]}]}'), /lv_path/);
    badOutput(() => parseLogicalVolumes('{"report":[{"lv":[{"lv_name":"a","vg_name":"v","lv_path":"/dev/v/a","lv_size":"x","lv_attr":"-wi-a-----"}]}]}'), /lv_size/);
  });
});

describe('parseIsoListing', () => {
  const folders = ['/opt/isos', '/var/lib/xen/images', '/srv/iso'];

  test('every folder in order, the ISOs sorted by path, names with newlines and spaces intact', () => {
    const output = records(
      'D', '/opt/isos',
      'I', '3', '/opt/isos/z.iso',
      'I', '7', '/opt/isos/a b\nc.ISO',
      'M', '/var/lib/xen/images',
      'D', '/srv/iso',
      'I', '1073741824', '/srv/iso/-debian.iso',
    );
    assert.deepEqual(parseIsoListing(output, folders), {
      folders: [
        { path: '/opt/isos', exists: true },
        { path: '/var/lib/xen/images', exists: false },
        { path: '/srv/iso', exists: true },
      ],
      isos: [
        { path: '/opt/isos/a b\nc.ISO', sizeBytes: 7 },
        { path: '/opt/isos/z.iso', sizeBytes: 3 },
        { path: '/srv/iso/-debian.iso', sizeBytes: 1073741824 },
      ],
    });
  });

  test('the limit marker, a vanished file (no size) and a duplicate', () => {
    const output = records('D', '/opt/isos', 'I', '', '/opt/isos/gone.iso', 'I', '5', '/opt/isos/gone.iso', 'T');
    assert.deepEqual(parseIsoListing(output, ['/opt/isos']), {
      folders: [{ path: '/opt/isos', exists: true }],
      isos: [{ path: '/opt/isos/gone.iso', sizeBytes: 0 }],
      truncated: true,
    });
    assert.deepEqual(parseIsoListing('', []), { folders: [], isos: [] });
  });

  test('output that does not fit the folders asked for is bad output', () => {
    badOutput(() => parseIsoListing(records('D', '/etc'), ['/opt/isos']), /was not asked for/);
    badOutput(() => parseIsoListing(records('D', '/opt/isos'), folders), /1 of 3 folders/);
    badOutput(() => parseIsoListing(records('M', '/opt/isos', 'I', '1', '/opt/isos/a.iso'), ['/opt/isos']), /outside the folders/);
    badOutput(() => parseIsoListing(records('D', '/opt/isos', 'I', 'big', '/opt/isos/a.iso'), ['/opt/isos']), /not a number/);
    badOutput(() => parseIsoListing(records('D', '/opt/isos', 'I', '1'), ['/opt/isos']), /cut short/);
    badOutput(() => parseIsoListing('D\0/opt/isos', ['/opt/isos']), /does not end with a NUL/);
    badOutput(() => parseIsoListing(records('X', '/opt/isos'), ['/opt/isos']), /unknown record/);
  });
});

describe('parseHostToolFacts, parsePathsExist, parseAutostartEntries', () => {
  test('bridges and tools', () => {
    assert.deepEqual(parseHostToolFacts(records('B', 'xenbr0', 'B', 'br-lan', 'T', 'lvcreate')), { bridges: ['xenbr0', 'br-lan'], tools: { lvm: true, qemuImg: false } });
    assert.deepEqual(parseHostToolFacts(records('T', 'qemu-img')), { bridges: [], tools: { lvm: false, qemuImg: true } });
    assert.deepEqual(parseHostToolFacts(''), { bridges: [], tools: { lvm: false, qemuImg: false } });
    badOutput(() => parseHostToolFacts(records('T', 'rm')), /unknown record/);
    badOutput(() => parseHostToolFacts(records('B')), /cut short/);
  });

  test('paths by number, in the order asked', () => {
    const paths = ['/a', '/b\nc', '/d'];
    assert.deepEqual(parsePathsExist('3\n1\n', paths), ['/a', '/d']);
    assert.deepEqual(parsePathsExist('', paths), []);
    badOutput(() => parsePathsExist('4\n', paths), /unexpected line "4"/);
    badOutput(() => parsePathsExist('0\n', paths), /unexpected line/);
    badOutput(() => parsePathsExist('/a\n', paths), /unexpected line/);
  });

  test('autostart entries with link targets', () => {
    assert.deepEqual(parseAutostartEntries(records('E', 'web01.cfg', 'L', '/etc/xen/web01.cfg', 'E', 'copy.cfg', 'E', 'odd\nname', 'L', '../x y.cfg\n', 'E', 'broken', 'L', '')), [
      { file: 'web01.cfg', target: '/etc/xen/web01.cfg' },
      { file: 'copy.cfg' },
      { file: 'odd\nname', target: '../x y.cfg\n' },
      { file: 'broken' },
    ]);
    assert.deepEqual(parseAutostartEntries(''), []);
    badOutput(() => parseAutostartEntries(records('L', '/x')), /unexpected record/);
    badOutput(() => parseAutostartEntries(records('E', 'a', 'L', '/x', 'L', '/y')), /unexpected record/);
  });
});
