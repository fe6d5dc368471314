// The pure decisions of Save to File…, Restore from File… and Migrate to Host…: file names, the
// room check, time limits, the folders offered, which disks are looked for on a target and what
// the target's answers mean, and what the questions name.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  defaultMigrationAddress,
  migrationAddressInputProblem,
  migrationConfirmation,
  migrationDisks,
  migrationTargets,
  migrationVerdict,
} from '../../../client/src/commands/migratePlan';
import {
  elapsedText,
  folderChoices,
  folderProblem,
  restoreConfirmation,
  saveConfirmation,
  saveFileDescription,
  saveFileName,
  saveSpaceNeededKiB,
  spaceShortage,
  TRANSFER_TIMEOUT_MS,
} from '../../../client/src/commands/savePlan';
import type { XenHost } from '../../../client/src/xenService';
import { parseListLong } from '../../../client/src/xl/records';

const at = new Date(2026, 11, 7, 5, 30);

function sshHost(destination: string): XenHost {
  return { id: `ssh:${destination}`, label: destination, isLocal: false, target: { kind: 'ssh', destination, controlDir: '' } };
}
const localHost: XenHost = { id: 'local', label: 'dom0-a', isLocal: true, target: { kind: 'local' } };

describe('save files', () => {
  test('named after the guest and the minute, made safe as a file name, never one that is taken', () => {
    assert.equal(saveFileName('web01', at, new Set()), 'web01-20261207-0530.save');
    assert.equal(saveFileName('web01', at, new Set(['web01-20261207-0530.save'])), 'web01-20261207-0530-2.save');
    assert.equal(saveFileName('web01', at, new Set(['web01-20261207-0530.save', 'web01-20261207-0530-2.save'])), 'web01-20261207-0530-3.save');
    assert.equal(saveFileName('a/../b c$(id)', at, new Set()), 'a_.._b_c__id_-20261207-0530.save');
    assert.equal(saveFileName('-rf', at, new Set()), '_-rf-20261207-0530.save');
    assert.equal(saveFileName('.hidden', at, new Set()), '_.hidden-20261207-0530.save');
    assert.equal(saveFileName('', at, new Set()), '_-20261207-0530.save');
    assert.ok(saveFileName('x'.repeat(500), at, new Set()).length < 255);
  });

  test('room: memory plus 10%, checked against df; silent when df said nothing', () => {
    assert.equal(saveSpaceNeededKiB(1024), 1_153_434);
    const listing = { folder: '/var/lib/xen/save', space: { availableKiB: 1_000_000, totalKiB: 9_000_000 } };
    const short = spaceShortage(listing, 1024, 'xen1');
    assert.match(short ?? '', /Not enough room in \/var\/lib\/xen\/save on xen1: the save needs about 1\.1 GiB \(the guest's 1 GiB of memory and 10% more\), and 977 MiB are free there/);
    assert.equal(spaceShortage(listing, 512, 'xen1'), undefined);
    assert.equal(spaceShortage({ folder: '/x', space: undefined }, 1_000_000, 'xen1'), undefined);
  });

  test('no time limit on transfers; elapsed time in words', () => {
    // No kill timer: stopping xl halfway through a transfer can leave the guest suspended.
    assert.equal(TRANSFER_TIMEOUT_MS, Number.POSITIVE_INFINITY);
    assert.equal(elapsedText(0), '0:00');
    assert.equal(elapsedText(65_400), '1:05');
    assert.equal(elapsedText(3_725_000), '1:02:05');
  });

  test('folders: the remembered one first, each once; typed folders must be absolute', () => {
    assert.deepEqual(folderChoices(undefined, '/var/lib/xen/save'), ['/var/lib/xen/save']);
    assert.deepEqual(folderChoices('/srv/save', '/var/lib/xen/save'), ['/srv/save', '/var/lib/xen/save']);
    assert.deepEqual(folderChoices('/var/lib/xen/save', '/var/lib/xen/save'), ['/var/lib/xen/save']);
    assert.deepEqual(folderChoices('relative', '/var/lib/xen/save'), ['/var/lib/xen/save']);
    assert.equal(folderProblem('/srv/save'), undefined);
    assert.ok(folderProblem('srv/save'));
    assert.ok(folderProblem('-rf'));
    assert.ok(folderProblem('/a\0b'));
  });

  test('the questions name the file, the host, what stops, and that it cannot be cancelled', () => {
    const save = saveConfirmation({ name: 'web01', hostLabel: 'xen1', file: '/var/lib/xen/save/web01-20261207-0530.save', memoryMiB: 512, freeKiB: 10 * 1024 * 1024 });
    assert.equal(save.message, 'Save "web01" to /var/lib/xen/save/web01-20261207-0530.save on xen1?');
    assert.match(save.detail, /about 512 MiB/);
    assert.match(save.detail, /10 GiB are free there/);
    assert.match(save.detail, /Save and Stop: the guest stops/);
    assert.match(save.detail, /cannot be cancelled/);
    assert.match(saveConfirmation({ name: 'a', hostLabel: 'h', file: '/f', memoryMiB: 1 }).detail, /could not be read/);
    const restore = restoreConfirmation({ name: 'a.save', path: '/s/a.save' }, 'xen1');
    assert.equal(restore.message, 'Restore a guest from /s/a.save on xen1?');
    assert.match(restore.detail, /corrupt its file systems/);
    assert.match(saveFileDescription({ name: 'a', path: '/a', sizeBytes: 536_870_912, modifiedMs: at.getTime() }), /^512 MiB · 2026-12-07 05:30$/);
    assert.equal(saveFileDescription({ name: 'a', path: '/a' }), '');
  });
});

describe('migration', () => {
  const demo = parseListLong(readFileSync('test/fixtures/xl/list-long.json', 'utf8')).find((entry) => entry.name === 'demo');
  if (demo === undefined) throw new Error('fixture lacks the guest "demo"');

  test('targets: every other host; the address proposed is the ssh destination, or the host name here', () => {
    const hosts = [localHost, sshHost('root@xen2'), sshHost('xen3')];
    assert.deepEqual(migrationTargets(hosts, 'local').map((host) => host.id), ['ssh:root@xen2', 'ssh:xen3']);
    assert.deepEqual(migrationTargets(hosts, 'ssh:xen3').map((host) => host.id), ['local', 'ssh:root@xen2']);
    assert.equal(defaultMigrationAddress(sshHost('root@xen2')), 'root@xen2');
    assert.equal(defaultMigrationAddress(localHost), 'dom0-a');
  });

  test('the typed address is checked by the builder\'s rule', () => {
    assert.equal(migrationAddressInputProblem('root@xen2'), undefined);
    assert.equal(migrationAddressInputProblem(' xen2 '), undefined);
    assert.match(migrationAddressInputProblem('xen2; reboot') ?? '', /^Not usable: the host must be/);
  });

  test('disks looked for: absolute targets once each, empty CD drives skipped, other targets named as unchecked', () => {
    assert.deepEqual(migrationDisks(demo), { paths: ['/dev/vg/demo', '/srv/iso/debian.iso'], unchecked: [] });
    assert.deepEqual(
      migrationDisks({ disks: [{ target: '/dev/vg0/a', vdev: 'xvda' }, { vdev: 'hdc', isCdrom: true }, { target: '', isCdrom: true }, { target: 'iqn.2001-04.com.example:disk', vdev: 'xvdb' }, { target: '/dev/vg0/a', vdev: 'xvdc' }] }),
      { paths: ['/dev/vg0/a'], unchecked: ['iqn.2001-04.com.example:disk'] },
    );
  });

  test('verdict: missing disks or a taken name stop it; the guest itself seen through another alias does not', () => {
    const source = { name: 'demo', id: 7, uuid: '5a3b', hostLabel: 'xen1' };
    const paths = ['/dev/vg/demo', '/srv/iso/debian.iso'];
    assert.deepEqual(migrationVerdict(source, 'xen2', paths, { existing: paths }), { sameHost: false, missing: [] });
    const missing = migrationVerdict(source, 'xen2', paths, { existing: ['/dev/vg/demo'] });
    assert.deepEqual(missing.missing, ['/srv/iso/debian.iso']);
    assert.match(missing.problem ?? '', /This disk is not on xen2: \/srv\/iso\/debian\.iso\. .*same paths \(shared storage/);
    const taken = migrationVerdict(source, 'xen2', paths, { existing: paths, sameName: { id: 3, uuid: 'other' } });
    assert.match(taken.problem ?? '', /A guest named "demo" already exists on xen2 \(id 3\)/);
    assert.ok(migrationVerdict(source, 'xen2', paths, { existing: paths, sameName: { id: 7, uuid: 'other' } }).problem, 'same id, other UUID: another guest');
    assert.ok(migrationVerdict(source, 'xen2', paths, { existing: paths, sameName: { id: 7 } }).problem, 'UUID unknown: counted as taken');
    assert.deepEqual(migrationVerdict(source, 'xen1b', paths, { existing: paths, sameName: { id: 7, uuid: '5a3b' } }), { sameHost: true, missing: [] });
  });

  test('the question names the paths, shared storage, the address and the same-host case', () => {
    const question = migrationConfirmation({ name: 'demo', sourceLabel: 'xen1', targetLabel: 'xen2', address: 'root@10.0.0.2', paths: ['/dev/vg/demo'], unchecked: ['iqn.x:1'], sameHost: false });
    assert.equal(question.message, 'Migrate "demo" from xen1 to xen2?');
    assert.match(question.detail, /to root@10\.0\.0\.2 over ssh/);
    assert.match(question.detail, /Shared storage: the disks are NOT copied/);
    assert.match(question.detail, /Found on xen2: \/dev\/vg\/demo\./);
    assert.match(question.detail, /Not checked \(not paths\): iqn\.x:1\./);
    assert.doesNotMatch(question.detail, /same dom0/);
    assert.match(migrationConfirmation({ name: 'd', sourceLabel: 'a', targetLabel: 'b', address: 'localhost', paths: [], unchecked: [], sameHost: true }).detail, /no disks[\s\S]*b is the same dom0 as a/);
  });
});
