// When drift checks run: one at a time per guest, requests during a check fold into exactly one
// more, edits wait for a pause (a newer edit restarts it), a save drops the waiting edit, and
// `settled` waits for all of it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CheckQueue, type Timers } from '../../../../client/src/drift/checkQueue';

/** Timers that fire only when the test says so. */
function manualTimers(): Timers & { fire(): void; count(): number } {
  let next = 0;
  const waiting = new Map<number, () => void>();
  return {
    setTimeout: (callback) => {
      next += 1;
      waiting.set(next, callback);
      return next;
    },
    clearTimeout: (handle) => {
      waiting.delete(handle as number);
    },
    fire: () => {
      const callbacks = [...waiting.values()];
      waiting.clear();
      for (const callback of callbacks) callback();
    },
    count: () => waiting.size,
  };
}

/** A check whose runs the test finishes one by one. */
function controlledCheck(): { check: (key: string) => Promise<void>; runs: string[]; finish(): void; open(): number } {
  const runs: string[] = [];
  const open: (() => void)[] = [];
  return {
    runs,
    check: (key) => {
      runs.push(key);
      return new Promise<void>((resolve) => open.push(resolve));
    },
    finish: () => open.shift()?.(),
    open: () => open.length,
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('drift: check queue', () => {
  test('requests during a check fold into one more check after it', async () => {
    const control = controlledCheck();
    const queue = new CheckQueue(control.check, manualTimers());
    const first = queue.request('web');
    const second = queue.request('web');
    const third = queue.request('web');
    assert.equal(second, third, 'the same follow-up');
    assert.deepEqual(control.runs, ['web']);
    assert.equal(queue.isRunning('web'), true);
    control.finish();
    await first;
    await tick();
    assert.deepEqual(control.runs, ['web', 'web'], 'exactly one more');
    control.finish();
    await second;
    assert.equal(queue.isRunning('web'), false);
    assert.deepEqual(control.runs, ['web', 'web']);
  });

  test('different guests run side by side', async () => {
    const control = controlledCheck();
    const queue = new CheckQueue(control.check, manualTimers());
    void queue.request('web');
    void queue.request('db');
    assert.deepEqual(control.runs, ['web', 'db']);
    control.finish();
    control.finish();
    await queue.settled();
  });

  test('a follow-up still runs after a check that failed', async () => {
    const runs: string[] = [];
    let fail = true;
    const queue = new CheckQueue(async (key) => {
      runs.push(key);
      await tick();
      if (fail) {
        fail = false;
        throw new Error('xl failed');
      }
    }, manualTimers());
    const first = queue.request('web');
    const second = queue.request('web');
    await assert.rejects(first, /xl failed/);
    await second;
    assert.deepEqual(runs, ['web', 'web']);
  });

  test('edits wait for a pause; a newer edit restarts the wait; settled waits for the timer and the check', async () => {
    const control = controlledCheck();
    const timers = manualTimers();
    const queue = new CheckQueue(control.check, timers);
    queue.debounce('file:///web.cfg', 1000, () => queue.request('web'));
    queue.debounce('file:///web.cfg', 1000, () => queue.request('web'));
    assert.equal(timers.count(), 1, 'the first wait was replaced');
    let settled = false;
    const waiting = queue.settled().then(() => {
      settled = true;
    });
    await tick();
    assert.equal(settled, false, 'a waiting edit counts as pending');
    assert.deepEqual(control.runs, []);
    timers.fire();
    assert.deepEqual(control.runs, ['web']);
    await tick();
    assert.equal(settled, false, 'the check it started counts too');
    control.finish();
    await waiting;
    assert.equal(settled, true);
  });

  test('cancel drops a waiting edit (a save checks at once instead)', async () => {
    const control = controlledCheck();
    const timers = manualTimers();
    const queue = new CheckQueue(control.check, timers);
    queue.debounce('file:///web.cfg', 1000, () => queue.request('web'));
    queue.cancel('file:///web.cfg');
    assert.equal(timers.count(), 0);
    await queue.settled();
    assert.deepEqual(control.runs, []);
  });

  test('after dispose nothing starts', async () => {
    const control = controlledCheck();
    const timers = manualTimers();
    const queue = new CheckQueue(control.check, timers);
    queue.debounce('a', 1000, () => queue.request('web'));
    queue.dispose();
    assert.equal(timers.count(), 0);
    await queue.request('web');
    assert.deepEqual(control.runs, []);
    await queue.settled();
  });
});

describe('drift: turns per host', () => {
  test('at most the limit at once, the rest in order, a failure frees its turn', async () => {
    const { Semaphore } = await import('../../../../client/src/drift/checkQueue');
    const turns = new Semaphore(2);
    const started: number[] = [];
    const finishers = new Map<number, (fail?: boolean) => void>();
    const task = (id: number) => () =>
      new Promise<number>((resolve, reject) => {
        started.push(id);
        finishers.set(id, (fail) => (fail ? reject(new Error(`task ${id}`)) : resolve(id)));
      });
    const results = [1, 2, 3, 4].map((id) => turns.run(task(id)));
    await tick();
    assert.deepEqual(started, [1, 2]);
    finishers.get(1)?.(true);
    await assert.rejects(results[0], /task 1/);
    await tick();
    assert.deepEqual(started, [1, 2, 3], 'the failed one gave its turn to the next');
    const late = turns.run(task(5));
    finishers.get(2)?.();
    await tick();
    assert.deepEqual(started, [1, 2, 3, 4], 'waiters before newcomers');
    finishers.get(3)?.();
    await tick();
    assert.deepEqual(started, [1, 2, 3, 4, 5]);
    finishers.get(4)?.();
    finishers.get(5)?.();
    assert.deepEqual(await Promise.all([results[1], results[2], results[3], late]), [2, 3, 4, 5]);
  });
});
