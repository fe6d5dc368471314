// The refresh policy with a fake clock: polling only while visible and focused, coalesced
// requests, no overlapping refreshes, `xl info` at most once a minute, manual mode, trust.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RefreshManager, type Clock, type RefreshScope } from '../../../client/src/tree/refreshManager';

/** A clock whose timers fire only when the test advances time. */
class FakeClock implements Clock {
  time = 0;
  private timers: { at: number; callback: () => void; handle: number }[] = [];
  private nextHandle = 1;

  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.timers.push({ at: this.time + ms, callback, handle });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.handle !== handle);
  }
  get pending(): number {
    return this.timers.length;
  }
  /** Moves time forward, firing due timers in order and letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > end) break;
      this.timers.shift();
      this.time = next.at;
      next.callback();
    }
    this.time = end;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** A refresh function that records its scopes and finishes when the test says so (or at once). */
function recorder(auto = true) {
  const calls: RefreshScope[] = [];
  let active = 0;
  let maxActive = 0;
  const finishers: (() => void)[] = [];
  const refresh = (scope: RefreshScope): Promise<void> => {
    calls.push(scope);
    active++;
    maxActive = Math.max(maxActive, active);
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        active--;
        resolve();
      };
      if (auto) finish();
      else finishers.push(finish);
    });
  };
  return {
    calls,
    refresh,
    get maxActive() {
      return maxActive;
    },
    finishOne: () => finishers.shift()?.(),
  };
}

function setup(intervalSeconds = 5, auto = true) {
  const clock = new FakeClock();
  const rec = recorder(auto);
  const manager = new RefreshManager({ refresh: rec.refresh, intervalSeconds, clock, debounceMs: 250, infoEveryMs: 60_000 });
  return { clock, rec, manager };
}

describe('RefreshManager', () => {
  test('nothing runs while no view is visible', async () => {
    const { clock, rec } = setup();
    await clock.advance(60_000);
    assert.equal(rec.calls.length, 0);
  });

  test('a visible list view refreshes at once and then every interval, info once a minute', async () => {
    const { clock, rec, manager } = setup();
    manager.setDemand({ list: true, info: true });
    await clock.advance(250);
    assert.deepEqual(rec.calls, [{ list: true, info: true }]);
    await clock.advance(5000);
    assert.deepEqual(rec.calls[1], { list: true, info: false });
    await clock.advance(60_000);
    const infoRuns = rec.calls.filter((scope) => scope.info).length;
    assert.equal(infoRuns, 2, 'xl info at 0 s and 60 s only');
    assert.ok(rec.calls.length >= 13 && rec.calls.length <= 14, `about one list per 5 s, got ${rec.calls.length}`);
  });

  test('hiding the views stops polling', async () => {
    const { clock, rec, manager } = setup();
    manager.setDemand({ list: true, info: false });
    await clock.advance(10_300);
    const before = rec.calls.length;
    manager.setDemand({ list: false, info: false });
    await clock.advance(60_000);
    assert.equal(rec.calls.length, before);
    assert.equal(clock.pending, 0);
  });

  test('an unfocused window pauses polling, and focus catches up when stale', async () => {
    const { clock, rec, manager } = setup();
    manager.setDemand({ list: true, info: false });
    await clock.advance(300);
    manager.setFocused(false);
    await clock.advance(60_000);
    assert.equal(rec.calls.length, 1);
    manager.setFocused(true);
    await clock.advance(250);
    assert.equal(rec.calls.length, 2);
  });

  test('focus with fresh data does not refresh early', async () => {
    const { clock, rec, manager } = setup();
    manager.setDemand({ list: true, info: false });
    await clock.advance(300);
    manager.setFocused(false);
    await clock.advance(1000);
    manager.setFocused(true);
    await clock.advance(1000);
    assert.equal(rec.calls.length, 1);
  });

  test('requests within the debounce window share one refresh and all resolve', async () => {
    const { clock, rec, manager } = setup(0);
    let resolved = 0;
    for (let i = 0; i < 5; i++) void manager.request('action').then(() => resolved++);
    await clock.advance(250);
    assert.equal(rec.calls.length, 1);
    assert.equal(resolved, 5);
  });

  test('refreshes never overlap; requests during one run once afterwards', async () => {
    const { clock, rec, manager } = setup(5, false);
    manager.setDemand({ list: true, info: false });
    await clock.advance(250);
    assert.equal(rec.calls.length, 1);
    let second = false;
    void manager.request('action').then(() => (second = true));
    void manager.request('user');
    await clock.advance(30_000);
    assert.equal(rec.calls.length, 1, 'nothing starts while the first is running, not even the poll');
    rec.finishOne();
    await clock.advance(0);
    assert.equal(rec.calls.length, 2, 'the queued requests run together');
    assert.equal(second, false, 'a request resolves only after a refresh that started after it');
    rec.finishOne();
    await clock.advance(0);
    assert.equal(second, true);
    assert.equal(rec.maxActive, 1);
  });

  test('the Refresh button fetches xl info even when not due; actions do not', async () => {
    const { clock, rec, manager } = setup(0);
    manager.setDemand({ list: false, info: true });
    await clock.advance(250);
    assert.deepEqual(rec.calls, [{ list: false, info: true }]);
    void manager.request('action');
    await clock.advance(250);
    assert.deepEqual(rec.calls[1], { list: true, info: false });
    void manager.request('user');
    await clock.advance(250);
    assert.deepEqual(rec.calls[2], { list: true, info: true });
  });

  test('info only is not fetched when nobody shows it', async () => {
    const { clock, rec, manager } = setup(0);
    void manager.request('user');
    await clock.advance(250);
    assert.deepEqual(rec.calls, [{ list: true, info: false }]);
  });

  test('status bar only: xl info once a minute, no xl list', async () => {
    const { clock, rec, manager } = setup();
    manager.setDemand({ list: false, info: true });
    await clock.advance(180_000);
    assert.deepEqual(rec.calls, [
      { list: false, info: true },
      { list: false, info: true },
      { list: false, info: true },
      { list: false, info: true },
    ]);
  });

  test('interval 0: manual only, but a first look still loads once', async () => {
    const { clock, rec, manager } = setup(0);
    manager.setDemand({ list: true, info: false });
    await clock.advance(250);
    assert.equal(rec.calls.length, 1);
    await clock.advance(600_000);
    assert.equal(rec.calls.length, 1);
    manager.setDemand({ list: false, info: false });
    manager.setDemand({ list: true, info: false });
    await clock.advance(1000);
    assert.equal(rec.calls.length, 1, 'manual data is never stale');
    manager.setIntervalSeconds(10);
    await clock.advance(5000);
    assert.equal(rec.calls.length, 2, 'changing the interval starts polling (the data is older than 10 s)');
    await clock.advance(5000);
    assert.equal(rec.calls.length, 3, 'then every 10 s');
  });

  test('requestIfStale runs only when the list is older than one interval', async () => {
    const { clock, rec, manager } = setup(5);
    void manager.requestIfStale('lens');
    await clock.advance(250);
    assert.equal(rec.calls.length, 1);
    void manager.requestIfStale('lens');
    await clock.advance(250);
    assert.equal(rec.calls.length, 1);
    await clock.advance(5000);
    void manager.requestIfStale('lens');
    await clock.advance(250);
    assert.equal(rec.calls.length, 2);
  });

  test('disabled (untrusted): nothing runs, requests resolve at once; enabling loads what is visible', async () => {
    const { clock, rec, manager } = setup();
    manager.setEnabled(false);
    manager.setDemand({ list: true, info: true });
    let resolved = false;
    await manager.request('user').then(() => (resolved = true));
    await clock.advance(60_000);
    assert.equal(resolved, true);
    assert.equal(rec.calls.length, 0);
    manager.setEnabled(true);
    await clock.advance(250);
    assert.deepEqual(rec.calls, [{ list: true, info: true }]);
  });

  test('a refresh that throws does not stop polling', async () => {
    const clock = new FakeClock();
    let runs = 0;
    const manager = new RefreshManager({
      refresh: async () => {
        runs++;
        throw new Error('boom');
      },
      intervalSeconds: 5,
      clock,
    });
    manager.setDemand({ list: true, info: false });
    await clock.advance(10_300);
    assert.equal(runs, 3);
  });

  test('dispose clears every timer and resolves waiters', async () => {
    const { clock, rec, manager } = setup();
    manager.setDemand({ list: true, info: false });
    const pending = manager.request('action');
    manager.dispose();
    await pending;
    await clock.advance(60_000);
    assert.equal(rec.calls.length, 0);
    assert.equal(clock.pending, 0);
  });
});
