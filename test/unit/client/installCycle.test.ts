// The install cycle's pure decisions: the CD drives of a running guest (from real `xl list -l`
// JSON), who cannot take an ISO, what to say when the ISO folders offer nothing, and which
// configs still boot their installer (the CodeLens "Installed? Finish install").

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { bootsFromCdFirst, cdDrives, cdProblem, formatBytes, isoListingProblem } from '../../../client/src/commands/installCycle';
import { parseListLong } from '../../../client/src/xl';

const hvmWithCd = {
  type: 'hvm',
  disks: [
    { target: '/dev/vg/web', vdev: 'hda', readwrite: true },
    { target: '/opt/isos/debian.iso', vdev: 'hdc', isCdrom: true },
    { vdev: 'hdd', isCdrom: true },
  ],
};

describe('CD drives of a running guest', () => {
  test('only the drives marked is_cdrom, with their media when there is one', () => {
    assert.deepEqual(cdDrives(hvmWithCd), [{ vdev: 'hdc', media: '/opt/isos/debian.iso' }, { vdev: 'hdd' }]);
    assert.deepEqual(cdDrives({ disks: [{ target: '/x', isCdrom: true }] }), [], 'a drive without a vdev cannot be named to xl');
  });

  test('from captured xl list -l output', () => {
    const [, demo] = parseListLong(readFileSync('test/fixtures/xl/list-long.json', 'utf8'));
    assert.deepEqual(cdDrives(demo), [{ vdev: 'xvdb', media: '/srv/iso/debian.iso' }]);
    // That guest is PV: its "CD" is a plain read-only disk that cd-insert cannot change.
    assert.equal(cdProblem(demo.name, demo), '"demo" is not an HVM guest with a CD drive: it is a pv guest.');
  });

  test('an HVM guest without a CD drive, and one with', () => {
    assert.equal(cdProblem('web', hvmWithCd), undefined);
    assert.equal(cdProblem('db', { type: 'hvm', disks: [{ target: '/dev/vg/db', vdev: 'xvda' }] }), '"db" is not an HVM guest with a CD drive: its configuration has no CD drive (a disk with devtype=cdrom).');
    assert.match(cdProblem('p', { type: 'pvh', disks: hvmWithCd.disks }) ?? '', /it is a pvh guest/);
  });
});

describe('the ISO folders', () => {
  const folder = (path: string, exists: boolean) => ({ path, exists });

  test('ISOs found: nothing to say', () => {
    assert.equal(isoListingProblem({ folders: [folder('/opt/isos', true)], isos: [{ path: '/opt/isos/a.iso', sizeBytes: 1 }] }, 'dom0'), undefined);
  });

  test('every folder missing: names them and the setting', () => {
    const message = isoListingProblem({ folders: [folder('/opt/isos', false), folder('/srv/iso', false)], isos: [] }, 'dom0');
    assert.equal(message, 'None of the ISO folders exists on dom0: /opt/isos, /srv/iso. Put the ISO in one of them, or set xen.isoDirectories to the folder that holds it.');
  });

  test('folders there but empty: names the empty ones and the missing ones', () => {
    assert.equal(
      isoListingProblem({ folders: [folder('/opt/isos', true), folder('/srv/iso', false)], isos: [] }, 'dom0'),
      'No .iso files in /opt/isos on dom0 (/srv/iso does not exist). Copy the ISO there, or set xen.isoDirectories to the folder that holds it.',
    );
    assert.equal(
      isoListingProblem({ folders: [folder('/a', true), folder('/b', true)], isos: [] }, 'h'),
      'No .iso files in /a, /b on h. Copy the ISO there, or set xen.isoDirectories to the folder that holds it.',
    );
    assert.match(isoListingProblem({ folders: [], isos: [] }, 'h') ?? '', /No ISO folders are set/);
  });

  test('sizes', () => {
    assert.equal(formatBytes(512), '512 bytes');
    assert.equal(formatBytes(650 * 1024 * 1024), '650 MiB');
    assert.equal(formatBytes(Math.round(3.7 * 1024 ** 3)), '3.7 GiB');
    assert.equal(formatBytes(4 * 1024 ** 3), '4 GiB');
  });
});

describe('configs still booting their installer', () => {
  test('d before c, or d alone', () => {
    assert.deepEqual(bootsFromCdFirst('name = "a"\nboot = "dc"\n'), { line: 1, order: 'dc' });
    assert.deepEqual(bootsFromCdFirst("  boot='dnc' # install\n"), { line: 0, order: 'dnc' });
    assert.deepEqual(bootsFromCdFirst('boot = "d"\n'), { line: 0, order: 'd' });
  });

  test('disk first, no CD, or no boot line: nothing to finish', () => {
    assert.equal(bootsFromCdFirst('boot = "cd"\n'), undefined);
    assert.equal(bootsFromCdFirst('boot = "c"\n'), undefined);
    assert.equal(bootsFromCdFirst('boot = "n"\n'), undefined);
    assert.equal(bootsFromCdFirst('name = "a"\n'), undefined);
    assert.equal(bootsFromCdFirst('# boot = "dc"\n'), undefined);
  });

  test('the last boot line wins, as in xl', () => {
    assert.equal(bootsFromCdFirst('boot = "dc"\nboot = "c"\n'), undefined);
    assert.deepEqual(bootsFromCdFirst('boot = "c"\nboot = "dc"\n'), { line: 1, order: 'dc' });
  });
});
