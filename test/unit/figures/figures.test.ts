// The pure parts of the live figures: rates and words, the bounded history, the dashboard's rows
// and sparklines, and the sampler's demand, frames, failures and back-off with a fake clock and
// fake streams.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { figuresDescription, figuresTooltipLines, formatCpuPercent, formatKiB, guestFigures, type TimedRow } from '../../../client/src/figures/format';
import { FiguresHistory } from '../../../client/src/figures/history';
import { FiguresSampler, RETRY_FIRST_MS, figuresIntervalSeconds, type SamplerClock, type SamplerStatus } from '../../../client/src/figures/sampler';
import { dashboardUpdate, shownWindowMs, sparklinePoints, statusText } from '../../../client/src/dashboard/rows';
import { dashboardHtml } from '../../../client/src/dashboard/html';
import { XentopParser, type XentopFrame, type XentopRow } from '../../../client/src/xl/xentop';
import { XlError } from '../../../client/src/xl/errors';
import type { RunningStream, StreamEnd, StreamHandlers } from '../../../client/src/xl/runner';

const rigFrames = (): XentopFrame[] => {
  let at = 0;
  const parser = new XentopParser(() => (at += 5000));
  const frames = parser.feed(readFileSync('test/fixtures/xl/rig-xentop-full.txt', 'utf8'));
  const last = parser.flush();
  return last === undefined ? frames : [...frames, last];
};

const row = (overrides: Partial<XentopRow> = {}): XentopRow => ({
  name: 'web',
  state: 'running',
  cpuSeconds: 10,
  memKiB: 524288,
  vcpus: 2,
  nets: 1,
  netTxKiB: 100,
  netRxKiB: 1000,
  vbds: 1,
  vbdRd: 50,
  vbdWr: 10,
  vbdRsect: 0,
  vbdWsect: 0,
  ...overrides,
});

describe('guest figures', () => {
  test('rates from two samples; none from one', () => {
    const first: TimedRow = { at: 0, row: row() };
    const second: TimedRow = { at: 2000, row: row({ cpuPercent: 3.4, netTxKiB: 120, netRxKiB: 3048, vbdRd: 60, vbdWr: 30 }) };
    assert.deepEqual(guestFigures(first), { memKiB: 524288, vcpus: 2 });
    assert.deepEqual(guestFigures(second, first), { cpuPercent: 3.4, memKiB: 524288, vcpus: 2, netTxKiBps: 10, netRxKiBps: 1024, diskReadsPerS: 5, diskWritesPerS: 10 });
  });
  test('a counter that went back (a restart under the same name) gives no rate', () => {
    const figures = guestFigures({ at: 2000, row: row({ netTxKiB: 5 }) }, { at: 0, row: row({ netTxKiB: 500 }) });
    assert.equal(figures.netTxKiBps, undefined);
    assert.equal(figures.netRxKiBps, 0);
  });
  test('words: "…" before the second frame, percentages, sizes', () => {
    assert.equal(figuresDescription({ memKiB: 1, vcpus: 1 }), 'CPU …');
    assert.equal(figuresDescription({ cpuPercent: 3.04, memKiB: 1, vcpus: 1 }), 'CPU 3%');
    assert.equal(formatCpuPercent(0.44), '0.4%');
    assert.equal(formatCpuPercent(0), '0%');
    assert.equal(formatCpuPercent(152.4), '152%');
    assert.equal(formatKiB(524288), '512 MiB');
    assert.equal(formatKiB(1572864), '1.5 GiB');
    assert.equal(formatKiB(800), '800 KiB');
    const lines = figuresTooltipLines({ memKiB: 131072, maxMemKiB: 132096, vcpus: 1, netTxKiBps: 2 });
    assert.match(lines.join('\n'), /CPU: … \(known after the second sample\)/);
    assert.match(lines.join('\n'), /Memory: 128 MiB of at most 129 MiB/);
    assert.match(lines.join('\n'), /sent 2 KiB\/s, received …/);
  });
  test('the interval setting', () => {
    assert.equal(figuresIntervalSeconds(undefined), 2);
    assert.equal(figuresIntervalSeconds('5'), 2);
    assert.equal(figuresIntervalSeconds(0), 1);
    assert.equal(figuresIntervalSeconds(7.4), 7);
    assert.equal(figuresIntervalSeconds(1e9), 60);
  });
});

describe('FiguresHistory', () => {
  test('latest figures follow the frames; a guest missing from a frame is dropped', () => {
    const history = new FiguresHistory();
    const frames = rigFrames();
    history.addFrame('h', frames[0]);
    assert.equal(history.figures('h', 'rig-pv')?.cpuPercent, undefined);
    history.addFrame('h', frames[1]);
    assert.equal(history.figures('h', 'rig-hvm')?.cpuPercent, 45.1);
    history.addFrame('h', { at: frames[1].at + 5000, guests: frames[1].guests.filter((guest) => guest.name !== 'rig-pv') });
    assert.equal(history.figures('h', 'rig-pv'), undefined);
    assert.deepEqual(history.latest('h').map((entry) => entry.name), ['Domain-0', 'rig-hvm']);
    assert.equal(history.guestHistory('h', 'rig-hvm').length, 3);
    assert.equal(history.figures('other', 'rig-hvm'), undefined);
  });
  test('bounded by the window; frames closer than window / samples are not all kept', () => {
    // A 10 s window of about 4 points: one every 2.5 s, or a bit sooner.
    const history = new FiguresHistory(10_000, 4);
    for (let at = 0; at <= 20_000; at += 1000) history.addFrame('h', { at, guests: [row({ cpuSeconds: at, cpuPercent: at / 1000 })] });
    const points = history.guestHistory('h', 'web');
    assert.deepEqual(points.map((point) => point.at), [10_000, 12_000, 14_000, 16_000, 18_000, 20_000]);
    assert.deepEqual(points.map((point) => point.cpuPercent), [10, 12, 14, 16, 18, 20]);
    assert.equal(history.figures('h', 'web')?.cpuPercent, 20, 'the latest figures take every frame');
    for (let at = 30_000; at <= 31_000; at += 1000) history.addFrame('h', { at, guests: [row({ name: 'other' })] });
    assert.deepEqual(history.guestHistory('h', 'web'), [], 'a guest gone for the whole window is forgotten');
  });
  test('the ring keeps the newest points when frames come faster than the window can hold', () => {
    const history = new FiguresHistory(1_000_000, 3);
    for (let at = 0; at <= 9_000_000; at += 400_000) history.addFrame('h', { at, guests: [row()] });
    const points = history.guestHistory('h', 'web');
    assert.equal(points.at(-1)?.at, 8_800_000);
    assert.ok(points.length <= 5 && points.every((point) => point.at >= 8_000_000), JSON.stringify(points.map((point) => point.at)));
    assert.equal(points[0].cpuPercent, undefined, 'no CPU % stays none');
  });
  test('host memory from xl info; clearLatest keeps the history', () => {
    const history = new FiguresHistory();
    history.addHostMemory('h', { at: 1000, freeKiB: 2048, totalKiB: 8192 });
    history.addHostMemory('h', { at: 1000, freeKiB: 4096 });
    assert.equal(history.hostMemory('h').length, 1);
    history.addFrame('h', rigFrames()[0]);
    history.clearLatest('h');
    assert.equal(history.figures('h', 'rig-pv'), undefined);
    assert.equal(history.guestHistory('h', 'rig-pv').length, 1);
  });
});

describe('the dashboard in dist/ (scripts/build.mjs builds it before the tests)', () => {
  test('a browser ES module of our code only, with its style sheet', () => {
    const bundle = readFileSync('dist/webview/dashboard.js', 'utf8');
    assert.match(bundle, /Waiting for the first sample/);
    assert.doesNotMatch(bundle, /\brequire\(/, 'no CommonJS require left in a browser bundle');
    assert.doesNotMatch(bundle, /noVNC|RFB 003/);
    assert.match(readFileSync('dist/webview/dashboard.css', 'utf8'), /--vscode-charts-blue/);
  });
});

describe('dashboard rows', () => {
  test('sparkline points span the window; values without a reading are left out', () => {
    assert.equal(
      sparklinePoints([{ at: 0, value: 0 }, { at: 500, value: undefined }, { at: 1000, value: 50 }], 1000, 1000, 100, 100, 20),
      '0,20 100,10',
    );
    assert.equal(sparklinePoints([{ at: -5, value: 1 }], 1000, 1000, 1, 10, 10), '');
  });
  test('one row per guest of the last frame, with texts and sparklines', () => {
    const history = new FiguresHistory();
    const frames = rigFrames();
    for (const frame of frames) history.addFrame('h', frame);
    history.addHostMemory('h', { at: frames[2].at, freeKiB: 1048576, totalKiB: 2097152 });
    const update = dashboardUpdate({ hostLabel: 'rig', history, hostId: 'h', now: frames[2].at, windowMs: 600_000, status: 'live', unavailable: false });
    assert.deepEqual(update.rows.map((entry) => [entry.name, entry.state, entry.text.cpu, entry.text.mem]), [
      ['Domain-0', 'running', '82%', '768 MiB'],
      ['rig-hvm', 'idle', '45%', '128 MiB'],
      ['rig-pv', 'blocked', '0.4%', '128 MiB'],
    ]);
    assert.equal(update.rows[1].cpuSpark.split(' ').length, 2, 'two of the three samples have a CPU %');
    assert.equal(update.rows[1].memSpark.split(' ').length, 3);
    assert.equal(update.memoryText, '1 GiB free of 2 GiB');
    // Three samples a few seconds apart: the lines span the last minute, not a sliver of ten.
    assert.equal(update.windowText, 'last minute');
    const xs = update.rows[1].memSpark.split(' ').map((point) => Number(point.split(',')[0]));
    assert.ok(xs[0] < xs[2] - 5, `the samples are spread over the width: ${update.rows[1].memSpark}`);
  });
  test('the span the sparklines show: since the oldest sample, whole minutes, between a minute and the window', () => {
    assert.equal(shownWindowMs(1_000_000, 600_000, []), 60_000);
    assert.equal(shownWindowMs(1_000_000, 600_000, [999_000, undefined]), 60_000);
    assert.equal(shownWindowMs(1_000_000, 600_000, [1_000_000 - 61_000, 990_000]), 120_000);
    assert.equal(shownWindowMs(1_000_000, 600_000, [0]), 600_000);
  });
  test('the status line', () => {
    assert.equal(statusText({ kind: 'live' }, 2), 'live, a sample every 2 s');
    assert.equal(statusText({ kind: 'unavailable', reason: 'xentop must run as root.', errorKind: 'not-root' }, 2), 'Figures unavailable: xentop must run as root. Open the dashboard again or press Refresh to try again.');
    assert.equal(statusText({ kind: 'unavailable', reason: 'ssh failed.', retryAt: 5 }, 2, (at) => `t${at}`), 'Figures unavailable: ssh failed. Trying again at t5.');
  });
  test('the page: strict CSP, escaped title, nonce on the one script', () => {
    const html = dashboardHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'abcdefghijklmnopqrstuvwx', scriptUri: 'https://s/dashboard.js', styleUri: 'https://s/dashboard.css', title: 'Dashboard: <b>host</b>' });
    assert.match(html, /content="default-src &#39;none&#39;; script-src &#39;nonce-abcdefghijklmnopqrstuvwx&#39;; style-src https:\/\/x.vscode-cdn.net;/);
    assert.ok(!html.includes('<b>host</b>'));
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script type="module" nonce="abcdefghijklmnopqrstuvwx" src="https:\/\/s\/dashboard.js">/);
  });
});

/** A stream the test drives: data and an end whenever it likes. */
class FakeStream implements RunningStream {
  stopped = false;
  private resolve!: (end: StreamEnd) => void;
  readonly ended = new Promise<StreamEnd>((resolve) => (this.resolve = resolve));
  constructor(readonly handlers: StreamHandlers) {}
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.resolve({ stoppedByUs: true, stderr: '' });
  }
  end(end: StreamEnd): void {
    this.resolve(end);
  }
}

class FakeClock implements SamplerClock {
  time = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private next = 0;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.next;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = until;
  }
  get pending(): number {
    return this.timers.length;
  }
}

function samplerRig() {
  const clock = new FakeClock();
  const streams: { hostId: string; stream: FakeStream }[] = [];
  const frames: { hostId: string; frame: XentopFrame }[] = [];
  const statuses: { hostId: string; status: SamplerStatus }[] = [];
  const sampler = new FiguresSampler({
    start: (hostId, _command, handlers) => {
      const stream = new FakeStream(handlers);
      streams.push({ hostId, stream });
      return stream;
    },
    command: () => ({ args: ['-b', '-f', '-d', '2'], program: 'xentop', description: 'xentop' }),
    onFrame: (hostId, frame) => frames.push({ hostId, frame }),
    onStatus: (hostId, status) => statuses.push({ hostId, status }),
    clock,
  });
  return { clock, streams, frames, statuses, sampler };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FiguresSampler', () => {
  test('one stream per host in demand; none once the demand is gone', () => {
    const { sampler, streams } = samplerRig();
    sampler.setDemand(['a', 'b']);
    sampler.setDemand(['a', 'b']);
    assert.deepEqual(streams.map((entry) => entry.hostId), ['a', 'b']);
    sampler.setDemand(['b']);
    assert.equal(streams[0].stream.stopped, true);
    assert.equal(streams[1].stream.stopped, false);
    assert.equal(sampler.running, 1);
    sampler.setDemand([]);
    assert.equal(streams[1].stream.stopped, true);
    assert.equal(sampler.status('b').kind, 'off');
  });

  test('frames complete at the next header or when the output goes quiet', () => {
    const { sampler, streams, frames, clock } = samplerRig();
    sampler.setDemand(['a']);
    const text = readFileSync('test/fixtures/xl/rig-xentop-full.txt', 'utf8');
    const firstFrame = text.slice(0, text.indexOf('NAME', 20) - 6);
    streams[0].stream.handlers.onData(firstFrame);
    assert.equal(frames.length, 0);
    clock.advance(200);
    assert.equal(frames.length, 1);
    assert.deepEqual(frames[0].frame.guests.map((guest) => guest.name), ['Domain-0', 'rig-hvm', 'rig-pv']);
    assert.equal(sampler.status('a').kind, 'live');
  });

  test('a failing stream: unavailable with the reason, retried after a back-off, never at once', async () => {
    const { sampler, streams, statuses, clock } = samplerRig();
    sampler.setDemand(['a']);
    streams[0].stream.end({ stoppedByUs: false, exitCode: 127, error: new XlError('not-found', 'xentop is not installed on dom0 (package xen-utils).'), stderr: '' });
    await settle();
    const status = sampler.status('a');
    assert.equal(status.kind, 'unavailable');
    assert.match(status.kind === 'unavailable' ? status.reason : '', /xentop is not installed/);
    assert.equal(streams.length, 1);
    clock.advance(RETRY_FIRST_MS - 1);
    assert.equal(streams.length, 1);
    clock.advance(1);
    assert.equal(streams.length, 2);
    // The second failure waits twice as long.
    streams[1].stream.end({ stoppedByUs: false, exitCode: 1, error: new XlError('failed', 'xentop failed'), stderr: '' });
    await settle();
    clock.advance(RETRY_FIRST_MS * 2 - 1);
    assert.equal(streams.length, 2);
    clock.advance(1);
    assert.equal(streams.length, 3);
    assert.ok(statuses.some((entry) => entry.status.kind === 'unavailable'));
  });

  test('refused by sudo or root: not retried, also when the view is hidden and shown again, until forgotten', async () => {
    const { sampler, streams, clock } = samplerRig();
    sampler.setDemand(['a']);
    streams[0].stream.end({ stoppedByUs: false, exitCode: 1, error: new XlError('not-root', 'xentop must run as root'), stderr: '' });
    await settle();
    clock.advance(60 * 60_000);
    assert.equal(streams.length, 1);
    assert.equal(clock.pending, 0);
    // A focus change or hiding the view takes the demand away and brings it back: no new try
    // (each would be a line in the dom0's auth log).
    sampler.setDemand([]);
    sampler.setDemand(['a']);
    assert.equal(streams.length, 1);
    assert.equal(sampler.status('a').kind, 'unavailable');
    // Refresh, a settings change or opening the dashboard forgets it.
    sampler.retryNow('a');
    assert.equal(streams.length, 2);
  });

  test('a host backing off keeps its back-off across a demand change', async () => {
    const { sampler, streams, clock } = samplerRig();
    sampler.setDemand(['a']);
    streams[0].stream.end({ stoppedByUs: false, exitCode: 255, error: new XlError('ssh', 'host down'), stderr: '' });
    await settle();
    clock.advance(RETRY_FIRST_MS / 2);
    sampler.setDemand([]);
    sampler.setDemand(['a']);
    assert.equal(streams.length, 1, 'not tried again at once');
    clock.advance(RETRY_FIRST_MS / 2);
    assert.equal(streams.length, 2, 'tried when its back-off ends');
    sampler.dispose();
  });

  test('a retry pending when the demand goes is cancelled', async () => {
    const { sampler, streams, clock } = samplerRig();
    sampler.setDemand(['a']);
    streams[0].stream.end({ stoppedByUs: false, exitCode: 255, error: new XlError('ssh', 'host down'), stderr: '' });
    await settle();
    sampler.setDemand([]);
    clock.advance(RETRY_FIRST_MS * 10);
    assert.equal(streams.length, 1);
  });

  test('a start that throws (untrusted workspace) is unavailable and not retried by itself', () => {
    const clock = new FakeClock();
    const sampler = new FiguresSampler({
      start: () => {
        throw new Error('This workspace is not trusted');
      },
      command: () => ({ args: [], description: 'x' }),
      onFrame: () => undefined,
      onStatus: () => undefined,
      clock,
    });
    sampler.setDemand(['a']);
    assert.equal(sampler.status('a').kind, 'unavailable');
    assert.equal(clock.pending, 0);
  });
});
