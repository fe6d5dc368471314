// The plan of "Create Disk and Start": which steps are shown, which command makes the disk, and
// that only a disk the wizard creates can be undone. The builders here record their arguments;
// the wizard passes the xl layer's real `hostTools`.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NewGuestChoices } from '../../../client/src/newGuest/choices';
import { plannedDiskCommand, plannedSteps, undoDiskCommand, type DiskCommandBuilders } from '../../../client/src/newGuest/plan';
import type { XlCommand } from '../../../client/src/xl';

const GIB = 1024 ** 3;

/** Builders whose commands carry the builder's name and arguments, so the test sees what was asked. */
const recording: DiskCommandBuilders = {
  createVolume: (vg, name, sizeBytes) => command('createVolume', [vg, name, String(sizeBytes)]),
  removeVolume: (vg, name) => command('removeVolume', [vg, name]),
  createImage: (path, sizeBytes, format) => command('createImage', [path, String(sizeBytes), format]),
  removeImage: (path) => command('removeImage', [path]),
};

function command(builder: string, args: string[]): XlCommand<void> {
  return { args: [builder, ...args], parse: () => undefined, description: builder };
}

function choices(disk: NewGuestChoices['disk']): NewGuestChoices {
  return { kind: 'hvm', name: 'web01', memoryMiB: 1024, vcpus: 1, disk, install: { kind: 'iso', path: '/opt/isos/x.iso' }, vnc: { display: 1 } };
}

describe('plan: a new logical volume', () => {
  const planned = choices({ kind: 'new-volume', vg: 'xenvg', sizeBytes: 20 * GIB });
  test('creates it in the chosen group with the guest\'s name and size', () => {
    assert.deepEqual(plannedDiskCommand(planned, recording)?.args, ['createVolume', 'xenvg', 'web01', String(20 * GIB)]);
  });
  test('undo removes exactly that volume', () => {
    const undo = undoDiskCommand(planned, recording);
    assert.deepEqual(undo?.args, ['removeVolume', 'xenvg', 'web01']);
  });
  test('steps: the volume, then the start', () => {
    assert.deepEqual(plannedSteps(planned), [
      { id: 'create-volume', title: 'Create the logical volume /dev/xenvg/web01 (20 GiB)' },
      { id: 'start', title: 'Start the guest "web01"' },
    ]);
  });
});

describe('plan: a new image file', () => {
  test('raw: a sparse .img in the chosen folder', () => {
    const planned = choices({ kind: 'new-image', folder: '/srv/my images/', format: 'raw', sizeBytes: 8 * GIB });
    assert.deepEqual(plannedDiskCommand(planned, recording)?.args, ['createImage', '/srv/my images/web01.img', String(8 * GIB), 'raw']);
    assert.deepEqual(undoDiskCommand(planned, recording)?.args, ['removeImage', '/srv/my images/web01.img']);
    assert.deepEqual(plannedSteps(planned).map((step) => step.id), ['create-image', 'start']);
    assert.equal(plannedSteps(planned)[0].title, 'Create the sparse raw image /srv/my images/web01.img (8 GiB)');
  });
  test('qcow2: a .qcow2 in the chosen folder', () => {
    const planned = choices({ kind: 'new-image', folder: '/var/lib/xen/images', format: 'qcow2', sizeBytes: 1.5 * GIB });
    assert.deepEqual(plannedDiskCommand(planned, recording)?.args, ['createImage', '/var/lib/xen/images/web01.qcow2', String(1.5 * GIB), 'qcow2']);
    assert.deepEqual(undoDiskCommand(planned, recording)?.args, ['removeImage', '/var/lib/xen/images/web01.qcow2']);
    assert.equal(plannedSteps(planned)[0].title, 'Create the qcow2 image /var/lib/xen/images/web01.qcow2 (1.5 GiB)');
  });
});

describe('plan: an existing volume', () => {
  const planned = choices({ kind: 'existing-volume', path: '/dev/xenvg/old' });
  test('nothing to create, and nothing to undo: the wizard never removes what it did not make', () => {
    let called = 0;
    const counting: DiskCommandBuilders = {
      createVolume: (...args) => (called++, recording.createVolume(...args)),
      removeVolume: (...args) => (called++, recording.removeVolume(...args)),
      createImage: (...args) => (called++, recording.createImage(...args)),
      removeImage: (...args) => (called++, recording.removeImage(...args)),
    };
    assert.equal(plannedDiskCommand(planned, counting), undefined);
    assert.equal(undoDiskCommand(planned, counting), undefined);
    assert.equal(called, 0, 'no builder was asked for a command');
  });
  test('steps: only the start', () => {
    assert.deepEqual(plannedSteps(planned), [{ id: 'start', title: 'Start the guest "web01"' }]);
  });
});
