// Create Disk and Start against a fake runner: a stand-in host that keeps its volumes and image
// files as a set of paths, answers the commands the steps send (pathsExist, lvcreate, the image
// script, xl list) and fails where a test tells it to. Checked: the order of commands, what is
// reported as made, and that removal is offered only for what this run made.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { XlError, type XlCommand } from '../../../client/src/xl';
import type { NewGuestChoices } from '../../../client/src/newGuest/choices';
import { diskAndStartSteps, diskWords, guestExists } from '../../../client/src/newGuest/diskAndStart';
import { failureMessage, runPlan, undoOffer } from '../../../client/src/newGuest/runPlan';

const GIB = 1024 ** 3;
const CHOICES: NewGuestChoices = {
  kind: 'hvm',
  name: 'web',
  memoryMiB: 1024,
  vcpus: 1,
  disk: { kind: 'new-volume', vg: 'xenvg', sizeBytes: 20 * GIB },
  install: { kind: 'iso', path: '/opt/isos/x.iso' },
  network: { bridge: 'xenbr0', mac: '00:16:3e:00:00:01' },
  vnc: { display: 1 },
};

interface FakeHost {
  paths: Set<string>;
  guests: string[];
  ran: string[];
  /** Makes the command whose words start with this fail (after `effect` ran, when given). */
  failing?: { prefix: string; error: Error; effect?: () => void };
  /** Makes every pathsExist fail after this many calls. */
  pathsExistWorks?: number;
}

function fakeRun(host: FakeHost) {
  let pathChecks = 0;
  return async <T>(command: XlCommand<T>): Promise<T> => {
    const words = [command.program ?? 'xl', ...command.args].join(' ');
    host.ran.push(words);
    if (host.failing && words.startsWith(host.failing.prefix)) {
      host.failing.effect?.();
      throw host.failing.error;
    }
    const program = command.program ?? 'xl';
    if (program === 'sh' && command.args.includes('/dev/xenvg/web') && !command.privileged) {
      pathChecks++;
      if (host.pathsExistWorks !== undefined && pathChecks > host.pathsExistWorks) throw new XlError('ssh', 'the host stopped answering');
      return [...host.paths].filter((path) => command.args.includes(path)) as T;
    }
    if (program === 'lvcreate') {
      host.paths.add('/dev/xenvg/web');
      return undefined as T;
    }
    if (program === 'xl' && command.args[0] === 'list') return host.guests.map((name) => ({ name })) as T;
    throw new Error(`the fake host does not know ${words}`);
  };
}

function deps(host: FakeHost, start: () => Promise<string | undefined>) {
  return {
    run: fakeRun(host),
    withProgress: <T>(_title: string, task: (signal: AbortSignal) => Promise<T>) => task(new AbortController().signal),
    start,
  };
}

describe('Create Disk and Start', () => {
  test('all goes well: the path is checked, the volume made, the guest started', async () => {
    const host: FakeHost = { paths: new Set(), guests: [], ran: [] };
    let started = 0;
    const steps = diskAndStartSteps(CHOICES, 'rig', deps(host, async () => {
      started++;
      return undefined;
    }));
    assert.deepEqual(steps.map((step) => step.id), ['create-volume', 'start']);
    const outcome = await runPlan(steps);
    assert.equal(outcome.status, 'done');
    assert.deepEqual(outcome.made.map((thing) => thing.path), ['/dev/xenvg/web']);
    assert.equal(started, 1);
    assert.equal(host.ran.length, 2);
    assert.match(host.ran[0], /^sh /);
    assert.match(host.ran[1], /^lvcreate .* -n web .* -- xenvg$/);
  });

  test('an existing volume of that name: refused before lvcreate, nothing made, no start', async () => {
    const host: FakeHost = { paths: new Set(['/dev/xenvg/web']), guests: [], ran: [] };
    let started = 0;
    const outcome = await runPlan(diskAndStartSteps(CHOICES, 'rig', deps(host, async () => {
      started++;
      return undefined;
    })));
    assert.ok(outcome.status === 'failed');
    assert.equal(outcome.failed.id, 'create-volume');
    assert.match(outcome.reason, /\/dev\/xenvg\/web already exists on rig; New Guest never overwrites it/);
    assert.deepEqual(outcome.made, [], 'a volume that was there before is never this run\'s');
    assert.ok(!host.ran.some((words) => words.startsWith('lvcreate')));
    assert.equal(started, 0);
  });

  test('a full volume group: lvcreate\'s reason, nothing made', async () => {
    const host: FakeHost = { paths: new Set(), guests: [], ran: [], failing: { prefix: 'lvcreate', error: new XlError('failed', 'Volume group "xenvg" has insufficient free space (10 extents): 5120 required.') } };
    const outcome = await runPlan(diskAndStartSteps(CHOICES, 'rig', deps(host, async () => undefined)));
    assert.ok(outcome.status === 'failed');
    assert.deepEqual(outcome.made, []);
    assert.match(failureMessage(outcome, 'rig', '/w/web.cfg'), /^Could not create the logical volume \/dev\/xenvg\/web \(20 GiB\) on rig: Volume group "xenvg" has insufficient free space .* Nothing was made on the host\. The config \/w\/web\.cfg was written and stays\.$/);
  });

  test('lvcreate missing on the host: the runner\'s not-found message', async () => {
    const host: FakeHost = { paths: new Set(), guests: [], ran: [], failing: { prefix: 'lvcreate', error: new XlError('not-found', 'lvcreate is not installed on rig (package lvm2).') } };
    const outcome = await runPlan(diskAndStartSteps(CHOICES, 'rig', deps(host, async () => undefined)));
    assert.ok(outcome.status === 'failed');
    assert.equal(outcome.reason, 'lvcreate is not installed on rig (package lvm2).');
    assert.deepEqual(outcome.made, []);
  });

  test('lvcreate cancelled after it made the volume: found, counted as made, offered', async () => {
    const host: FakeHost = { paths: new Set(), guests: [], ran: [] };
    host.failing = { prefix: 'lvcreate', error: new XlError('cancelled', 'The command was cancelled.'), effect: () => host.paths.add('/dev/xenvg/web') };
    const outcome = await runPlan(diskAndStartSteps(CHOICES, 'rig', deps(host, async () => undefined)));
    assert.ok(outcome.status === 'failed');
    assert.deepEqual(outcome.made.map((thing) => thing.path), ['/dev/xenvg/web']);
    const offer = undoOffer(outcome.made, 'web', await guestExists(fakeRun(host), 'web'));
    assert.ok(offer.kind === 'offer');
    assert.deepEqual(offer.things.map((thing) => thing.undo.args), [['--yes', '--', 'xenvg/web']], 'lvremove of exactly that volume');
  });

  test('a volume that appeared between the check and lvcreate (lvcreate refused it) is not this run\'s', async () => {
    const host: FakeHost = { paths: new Set(), guests: [], ran: [] };
    host.failing = { prefix: 'lvcreate', error: new XlError('failed', 'Logical Volume "web" already exists in volume group "xenvg"'), effect: () => host.paths.add('/dev/xenvg/web') };
    const outcome = await runPlan(diskAndStartSteps(CHOICES, 'rig', deps(host, async () => undefined)));
    assert.ok(outcome.status === 'failed');
    assert.deepEqual(outcome.made, [], 'never offered for removal');
    assert.deepEqual(outcome.uncertain, []);
    assert.equal(undoOffer(outcome.made, 'web', false).kind, 'none');
  });

  test('lvcreate timed out and the host stopped answering: the volume may exist, nothing offered', async () => {
    const host: FakeHost = { paths: new Set(), guests: [], ran: [], pathsExistWorks: 1, failing: { prefix: 'lvcreate', error: new XlError('timeout', 'lvcreate did not finish within 30 s.') } };
    const outcome = await runPlan(diskAndStartSteps(CHOICES, 'rig', deps(host, async () => undefined)));
    assert.ok(outcome.status === 'failed');
    assert.deepEqual(outcome.made, []);
    assert.deepEqual(outcome.uncertain.map((thing) => thing.path), ['/dev/xenvg/web']);
  });

  test('the start fails: the new volume is offered for removal, unless the guest exists after all', async () => {
    const host: FakeHost = { paths: new Set(), guests: [], ran: [] };
    const outcome = await runPlan(diskAndStartSteps(CHOICES, 'rig', deps(host, async () => 'bridge xenbr0 does not exist on rig.')));
    assert.ok(outcome.status === 'failed');
    assert.equal(outcome.failed.id, 'start');
    assert.match(failureMessage(outcome, 'rig'), /^Could not start the guest "web" on rig: bridge xenbr0 does not exist on rig\. Made in this run and still there: the logical volume \/dev\/xenvg\/web \(20 GiB\)\./);
    assert.equal(undoOffer(outcome.made, 'web', await guestExists(fakeRun(host), 'web')).kind, 'offer');
    host.guests.push('web');
    assert.equal(undoOffer(outcome.made, 'web', await guestExists(fakeRun(host), 'web')).kind, 'kept');
    host.failing = { prefix: 'xl list', error: new XlError('ssh', 'connection refused') };
    assert.equal(await guestExists(fakeRun(host), 'web'), undefined);
  });

  test('an existing volume: nothing to make, nothing ever offered', async () => {
    const choices: NewGuestChoices = { ...CHOICES, disk: { kind: 'existing-volume', path: '/dev/xenvg/old' } };
    const host: FakeHost = { paths: new Set(['/dev/xenvg/old']), guests: [], ran: [] };
    const steps = diskAndStartSteps(choices, 'rig', deps(host, async () => 'no'));
    assert.deepEqual(steps.map((step) => step.id), ['start']);
    const outcome = await runPlan(steps);
    assert.ok(outcome.status === 'failed');
    assert.deepEqual(undoOffer(outcome.made, 'web', false), { kind: 'none' });
    assert.deepEqual(host.ran, []);
  });

  test('a new image: its own words and path', () => {
    const choices: NewGuestChoices = { ...CHOICES, disk: { kind: 'new-image', folder: '/srv/img', format: 'qcow2', sizeBytes: 8 * GIB } };
    assert.equal(diskWords(choices), 'the qcow2 image /srv/img/web.qcow2 (8 GiB)');
    const [create] = diskAndStartSteps(choices, 'rig', deps({ paths: new Set(), guests: [], ran: [] }, async () => undefined));
    assert.equal(create.id, 'create-image');
    assert.equal(create.makes?.path, '/srv/img/web.qcow2');
    assert.deepEqual(create.makes?.undo.args.slice(2), ['xen-xl-remove-image', '/srv/img/web.qcow2']);
  });
});
