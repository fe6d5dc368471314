// The bookkeeping of the multi-step input: the next step for the answers so far, Back, and the
// "step N of M" numbers as a choice adds or removes steps ahead.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StepTrail, stepTitle, type StepRule } from '../../../client/src/newGuest/stepTrail';

interface Answers {
  kind?: 'hvm' | 'pvh';
  disk?: 'volume' | 'image';
}

const STEPS: StepRule<Answers>[] = [
  { id: 'kind' },
  { id: 'name' },
  { id: 'disk' },
  { id: 'volume-group', applies: (a) => a.disk === 'volume' },
  { id: 'image-folder', applies: (a) => a.disk === 'image' },
  { id: 'iso', applies: (a) => a.kind === 'hvm' },
  { id: 'summary' },
];

describe('StepTrail', () => {
  test('walks the steps that apply and counts those ahead from the current answers', () => {
    const answers: Answers = {};
    const trail = new StepTrail(STEPS);
    assert.equal(trail.start(answers)?.id, 'kind');
    assert.deepEqual(trail.position(answers), { number: 1, total: 4 }, 'kind, name, disk, summary: nothing chosen yet');
    assert.equal(trail.canGoBack, false);
    answers.kind = 'hvm';
    assert.deepEqual(trail.position(answers), { number: 1, total: 5 }, 'HVM brings the ISO step');
    assert.equal(trail.next(answers)?.id, 'name');
    assert.equal(trail.canGoBack, true);
    assert.equal(trail.next(answers)?.id, 'disk');
    answers.disk = 'image';
    assert.deepEqual(trail.position(answers), { number: 3, total: 6 });
    assert.equal(trail.next(answers)?.id, 'image-folder');
    assert.equal(trail.next(answers)?.id, 'iso');
    assert.equal(trail.next(answers)?.id, 'summary');
    assert.deepEqual(trail.position(answers), { number: 6, total: 6 });
    assert.equal(trail.next(answers), undefined, 'the end');
  });

  test('Back returns along the path taken, and a changed answer changes the way forward', () => {
    const answers: Answers = { kind: 'hvm', disk: 'volume' };
    const trail = new StepTrail(STEPS);
    trail.start(answers);
    trail.next(answers); // name
    trail.next(answers); // disk
    assert.equal(trail.next(answers)?.id, 'volume-group');
    assert.equal(trail.back()?.id, 'disk');
    answers.disk = 'image';
    answers.kind = 'pvh';
    assert.equal(trail.next(answers)?.id, 'image-folder');
    assert.deepEqual(trail.position(answers), { number: 4, total: 5 }, 'no ISO step for PVH');
    assert.equal(trail.back()?.id, 'disk');
    assert.equal(trail.back()?.id, 'name');
    assert.equal(trail.back()?.id, 'kind');
    assert.equal(trail.canGoBack, false);
    assert.equal(trail.back()?.id, 'kind', 'Back on the first step stays there');
  });

  test('a first step that does not apply is skipped; no step at all ends at once', () => {
    const trail = new StepTrail<{ many: boolean }>([{ id: 'host', applies: (a) => a.many }, { id: 'kind' }]);
    assert.equal(trail.start({ many: false })?.id, 'kind');
    assert.deepEqual(trail.position({ many: false }), { number: 1, total: 1 });
    assert.equal(new StepTrail<object>([{ id: 'x', applies: () => false }]).start({}), undefined);
  });

  test('step ids must be unique', () => {
    assert.throws(() => new StepTrail([{ id: 'a' }, { id: 'a' }]), /own id/);
  });

  test('the title names the wizard, the step and the numbers', () => {
    assert.equal(stepTitle('New Guest', 'Disk', { number: 3, total: 9 }), 'New Guest — Disk (step 3 of 9)');
  });
});
