// The refresh policy with a fake clock: polling only while visible and focused, coalesced
// requests, no overlapping refreshes, `xl info` at most once a minute, manual mode, trust.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RefreshManager, backoffDelayMs, type Clock, type HostOutcome, type RefreshScope } from '../../../client/src/tree/refreshManager';

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
    calls.push({ list: scope.list, info: scope.info });
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

/**
 * Two hosts, a and b, whose answers the test sets: `fail.b = 'ssh'` makes b fail with that kind.
 * Records, per refresh, the time and which hosts were tried.
 */
function hostsSetup(intervalSeconds = 5) {
  const clock = new FakeClock();
  const fail: Record<string, string | undefined> = {};
  const tries: { at: number; hosts: string[] }[] = [];
  const manager = new RefreshManager({
    refresh: async (scope: RefreshScope): Promise<HostOutcome[]> => {
      const hosts = ['a', 'b'].filter((id) => !scope.skip?.has(id));
      tries.push({ at: clock.now(), hosts });
      return hosts.map((hostId) => ({ hostId, errorKind: fail[hostId] }));
    },
    intervalSeconds,
    clock,
    debounceMs: 250,
  });
  /** The times (relative to `from`) at which host `id` was tried. */
  const triesOf = (id: string, from = 0): number[] => tries.filter((entry) => entry.at >= from && entry.hosts.includes(id)).map((entry) => entry.at - from);
  return { clock, fail, tries, manager, triesOf };
}

describe('RefreshManager: back-off of failing hosts', () => {
  test('the schedule: 10 s after one failure, then 20, 40, and 60 s at most', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 20].map((failures) => backoffDelayMs(failures, 5000)), [10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
    // A long poll interval is never shortened by the back-off.
    assert.equal(backoffDelayMs(1, 120_000), 120_000);
  });

  test('a failing host is tried after 10, 20, 40, 60, 60 s while the healthy one keeps its 5 s poll', async () => {
    const { clock, fail, manager, triesOf } = hostsSetup();
    fail.b = 'ssh';
    manager.setDemand({ list: true, info: false });
    await clock.advance(250); // the first refresh runs at once (nothing fetched yet): b fails
    const first = 0;
    await clock.advance(240_000);
    const gaps = triesOf('b').map((at, index, all) => (index === 0 ? at : at - all[index - 1]));
    assert.equal(gaps[0], first);
    // Polls come every 5 s, so a retry happens at the first poll at or after its time.
    assert.deepEqual(gaps.slice(1, 6), [10_000, 20_000, 40_000, 60_000, 60_000]);
    const aGaps = triesOf('a').slice(1).map((at, index) => at - triesOf('a')[index]);
    assert.ok(aGaps.every((gap) => gap === 5000), `a polled every 5 s: ${aGaps.join(',')}`);
    const health = manager.healthOf('b');
    assert.equal(health.kind, 'backoff');
    assert.equal(health.kind === 'backoff' && health.errorKind, 'ssh');
    assert.equal(manager.healthOf('a').kind, 'ok');
  });

  test('when every host fails, the poll sleeps until the first retry instead of waking every 5 s', async () => {
    const { clock, fail, tries, manager } = hostsSetup();
    fail.a = 'timeout';
    fail.b = 'ssh';
    manager.setDemand({ list: true, info: false });
    await clock.advance(250);
    await clock.advance(100_000);
    assert.deepEqual(
      tries.map((entry) => entry.at),
      [0, 10_000, 30_000, 70_000],
      'no empty refreshes between the retries',
    );
  });

  test('a success resets the count: the next failure waits 10 s again', async () => {
    const { clock, fail, manager, triesOf } = hostsSetup();
    fail.b = 'ssh';
    manager.setDemand({ list: true, info: false });
    await clock.advance(250 + 10_000 + 20_000); // failures at 0, 10 000, 30 000
    const health = manager.healthOf('b');
    assert.equal(health.kind === 'backoff' && health.failures, 3);
    fail.b = undefined;
    await clock.advance(40_000); // tried at 70 000: success
    assert.equal(manager.healthOf('b').kind, 'ok');
    const after = clock.now();
    await clock.advance(5000);
    fail.b = 'ssh';
    await clock.advance(30_000);
    const retries = triesOf('b', after);
    // Healthy again: polled every 5 s until it fails, then 10 s later.
    const failedAt = retries.find((at) => at > 5000) ?? NaN;
    assert.ok(retries.includes(failedAt + 10_000), `retry 10 s after the new failure: ${retries.join(',')}`);
    assert.ok(!retries.includes(failedAt + 5000));
  });

  test('the Refresh button tries a backing-off host at once and resets its count', async () => {
    const { clock, fail, manager, triesOf } = hostsSetup();
    fail.b = 'ssh';
    manager.setDemand({ list: true, info: false });
    await clock.advance(250 + 10_000 + 20_000 + 1000); // 3 failures, next try at 70 000
    const before = triesOf('b').length;
    const done = manager.request('user');
    await clock.advance(250);
    await done;
    assert.equal(triesOf('b').length, before + 1, 'tried at once');
    const health = manager.healthOf('b');
    assert.equal(health.kind === 'backoff' && health.failures, 1, 'counted from one again');
    assert.equal(health.kind === 'backoff' && health.nextTryAt, clock.now() + 10_000);
  });

  test('sudo refusing stops polling that host (no auth-log entry every 5 s) until a manual refresh or a settings change', async () => {
    for (const kind of ['sudo-password', 'not-root']) {
      const { clock, fail, manager, triesOf } = hostsSetup();
      fail.b = kind;
      manager.setDemand({ list: true, info: false });
      await clock.advance(250);
      await clock.advance(600_000);
      assert.deepEqual(triesOf('b'), [0], `${kind}: tried once only`);
      assert.deepEqual(manager.healthOf('b'), { kind: 'stopped', errorKind: kind });
      assert.ok(triesOf('a').length > 100, 'the other host is still polled');
      // Refresh: tried again once, and stopped again by the same refusal.
      const done = manager.request('user');
      await clock.advance(250);
      await done;
      await clock.advance(60_000);
      assert.equal(triesOf('b').length, 2);
      // Fixed (e.g. a sudoers rule) and the settings changed: reset() tries it and polls again.
      fail.b = undefined;
      manager.reset();
      await clock.advance(20_000);
      assert.ok(triesOf('b').length >= 5, `polled again: ${triesOf('b').length}`);
      assert.equal(manager.healthOf('b').kind, 'ok');
      manager.dispose();
    }
  });

  test('a single host whose sudo refuses: no timer is left polling at all', async () => {
    const { clock, fail, manager, tries } = hostsSetup();
    fail.a = 'sudo-password';
    fail.b = 'sudo-password';
    manager.setDemand({ list: true, info: false });
    await clock.advance(250);
    await clock.advance(300_000);
    assert.equal(tries.length, 1);
    assert.equal(clock.pending, 0);
    assert.equal(manager.anyHostUnhealthy, true);
  });

  test('manual refresh only (interval 0): a failure announces no next try', async () => {
    const { clock, fail, manager, tries } = hostsSetup(0);
    fail.b = 'ssh';
    manager.setDemand({ list: true, info: false });
    await clock.advance(250);
    assert.equal(tries.length, 1);
    assert.equal(manager.healthOf('b').kind, 'ok');
    await clock.advance(120_000);
    assert.equal(tries.length, 1);
  });

  test('a cancelled call (the window closing) is not a failure', async () => {
    const { clock, fail, manager } = hostsSetup();
    fail.b = 'cancelled';
    manager.setDemand({ list: true, info: false });
    await clock.advance(250);
    assert.equal(manager.healthOf('b').kind, 'ok');
  });
});
