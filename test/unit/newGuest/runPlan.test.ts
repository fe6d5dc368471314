// Create Disk and Start's books: steps in order, the first failure stops the rest, what was made
// (and only that) is offered for removal, and a stopped create is checked before it is claimed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { failureMessage, runPlan, undoOffer, type PlanStep } from '../../../client/src/newGuest/runPlan';

const VOLUME = { description: 'the logical volume /dev/xenvg/web (20 GiB)', path: '/dev/xenvg/web', undo: 'lvremove xenvg/web' };

function step(id: string, behaviour: 'ok' | Error, extra: Partial<PlanStep<string>> = {}): PlanStep<string> & { ran: () => number } {
  let runs = 0;
  return {
    id,
    title: `do ${id}`,
    run: async () => {
      runs++;
      if (behaviour !== 'ok') throw behaviour;
    },
    ran: () => runs,
    ...extra,
  };
}

describe('runPlan', () => {
  test('all steps succeed: what they made, in order', async () => {
    const disk = step('disk', 'ok', { makes: VOLUME });
    const start = step('start', 'ok');
    const seen: string[] = [];
    const outcome = await runPlan([disk, start], (s, i) => seen.push(`${i}:${s.id}`));
    assert.deepEqual(outcome, { status: 'done', made: [VOLUME] });
    assert.deepEqual(seen, ['0:disk', '1:start']);
  });

  test('a failed start: the volume made before is reported, the step and the reason named', async () => {
    const disk = step('disk', 'ok', { makes: VOLUME });
    const start = step('start', new Error('bridge xenbr9 does not exist'));
    const after = step('console', 'ok');
    const outcome = await runPlan([disk, start, after]);
    assert.equal(outcome.status, 'failed');
    if (outcome.status !== 'failed') return;
    assert.deepEqual(outcome.failed, { id: 'start', title: 'do start' });
    assert.deepEqual(outcome.finished, ['disk']);
    assert.deepEqual(outcome.made, [VOLUME]);
    assert.deepEqual(outcome.uncertain, []);
    assert.equal(outcome.reason, 'bridge xenbr9 does not exist');
    assert.equal(after.ran(), 0, 'nothing runs after a failure');
    const message = failureMessage(outcome, 'rig', '/work/xen/web.cfg');
    assert.match(message, /^Could not do start on rig: bridge xenbr9 does not exist\./);
    assert.match(message, /Made in this run and still there: the logical volume \/dev\/xenvg\/web \(20 GiB\)\./);
    assert.match(message, /The config \/work\/xen\/web.cfg was written and stays\./);
  });

  test('a failed create that made nothing: nothing to remove', async () => {
    const disk = step('disk', new Error('Volume group "xenvg" has insufficient free space'), { makes: VOLUME, existsAfterFailure: async () => false });
    const start = step('start', 'ok');
    const outcome = await runPlan([disk, start]);
    assert.equal(outcome.status, 'failed');
    if (outcome.status !== 'failed') return;
    assert.deepEqual(outcome.made, []);
    assert.equal(start.ran(), 0);
    assert.match(failureMessage(outcome, 'rig'), /Nothing was made on the host\./);
    assert.deepEqual(undoOffer(outcome.made, 'web', false), { kind: 'none' });
  });

  test('a create stopped midway that finished anyway counts as made', async () => {
    const disk = step('disk', new Error('cancelled'), { makes: VOLUME, existsAfterFailure: async () => true });
    const outcome = await runPlan([disk]);
    assert.ok(outcome.status === 'failed');
    assert.deepEqual(outcome.made, [VOLUME]);
  });

  test('when that cannot be checked, the path is named as one that may exist, and not offered', async () => {
    const disk = step('disk', new Error('timed out'), {
      makes: VOLUME,
      existsAfterFailure: async () => {
        throw new Error('host unreachable');
      },
    });
    const outcome = await runPlan([disk]);
    assert.ok(outcome.status === 'failed');
    assert.deepEqual(outcome.made, []);
    assert.deepEqual(outcome.uncertain, [VOLUME]);
    assert.match(failureMessage(outcome, 'rig'), /\/dev\/xenvg\/web may exist/);
    assert.deepEqual(undoOffer(outcome.made, 'web', false), { kind: 'none' });
  });

  test('a non-Error rejection still has a reason', async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test: a step that rejects with a string
    const outcome = await runPlan([{ id: 'x', title: 'do x', run: () => Promise.reject('plain text') }]);
    assert.ok(outcome.status === 'failed');
    assert.equal(outcome.reason, 'plain text');
  });
});

describe('undoOffer', () => {
  test('offers exactly what was made, by path', () => {
    const offer = undoOffer([VOLUME], 'web', false);
    assert.equal(offer.kind, 'offer');
    if (offer.kind !== 'offer') return;
    assert.equal(offer.button, 'Remove /dev/xenvg/web');
    assert.match(offer.question, /the logical volume \/dev\/xenvg\/web \(20 GiB\), made by New Guest in this run/);
    assert.match(offer.detail, /exactly \/dev\/xenvg\/web/);
    assert.deepEqual(offer.things, [VOLUME]);
  });
  test('keeps the disk while the guest exists, or when that is unknown', () => {
    const exists = undoOffer([VOLUME], 'web', true);
    assert.equal(exists.kind, 'kept');
    assert.match(exists.kind === 'kept' ? exists.reason : '', /"web" exists/);
    const unknown = undoOffer([VOLUME], 'web', undefined);
    assert.equal(unknown.kind, 'kept');
    assert.match(unknown.kind === 'kept' ? unknown.reason : '', /Could not check/);
  });
});
