// startStream against a fake xl and a fake xentop (test/fixtures/fake-xl): real processes read
// as they print, stopped by us (with their children), failing, and through the fake ssh.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runnerStats, startStream, type RunLogEntry, type RunOptions, type StreamCommand } from '../../../client/src/xl/runner';
import { XentopParser, xentopStream, type XentopFrame } from '../../../client/src/xl/xentop';
import { isAlive } from '../../support/process';

const FAKE_DIR = path.resolve('test/fixtures/fake-xl');
const FAKE_XL = path.join(FAKE_DIR, 'xl');
let tempDir = '';

before(() => {
  for (const file of ['xl', 'ssh', 'xentop']) chmodSync(path.join(FAKE_DIR, file), 0o755);
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'xl-stream-test-'));
});
after(() => rmSync(tempDir, { recursive: true, force: true }));

type StreamOptions = Omit<RunOptions, 'timeoutMs' | 'signal'>;
const local = (overrides: Partial<StreamOptions> = {}): StreamOptions => ({ target: { kind: 'local' }, xlPath: FAKE_XL, sudo: 'never', ...overrides });
const viaSsh = (overrides: Partial<StreamOptions> = {}): StreamOptions =>
  local({ target: { kind: 'ssh', destination: 'root@dom0', controlDir: tempDir }, sshPath: path.join(FAKE_DIR, 'ssh'), xlPath: FAKE_XL, ...overrides });

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

async function withPath<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${saved ?? ''}`;
  try {
    return await run();
  } finally {
    process.env.PATH = saved;
  }
}

function pidsFrom(file: string): number[] {
  return readFileSync(file, 'utf8').trim().split(' ').map(Number);
}

const streamCommand = (pidFile: string): StreamCommand => ({ args: ['stream', pidFile], description: 'fake stream' });

describe('startStream', () => {
  test('hands output over as it comes, and stop() ends the process and its children', async () => {
    const pidFile = path.join(tempDir, 'local.pids');
    const entries: RunLogEntry[] = [];
    const chunks: string[] = [];
    const before = runnerStats.spawned;
    const running = startStream(streamCommand(pidFile), local({ log: (entry) => entries.push(entry) }), { onData: (chunk) => chunks.push(chunk) });
    // Several lines arrive while the process still runs: the data is not held until the end.
    assert.ok(await waitUntil(() => chunks.join('').split('\n').length > 3, 5000), 'lines arrived while running');
    assert.equal(runnerStats.spawned, before + 1);
    const pids = pidsFrom(pidFile);
    assert.ok(pids.every(isAlive));
    running.stop();
    running.stop();
    const end = await running.ended;
    assert.equal(end.stoppedByUs, true);
    assert.equal(end.error, undefined);
    assert.ok(await waitUntil(() => !pids.some(isAlive), 4000), 'the program and its child ended');
    assert.match(chunks.join(''), /^tick 1\ntick 2\n/);
    assert.equal(entries.length, 1, 'logged once, at the end');
    assert.equal(entries[0].outcome, 'ok');
    assert.match(entries[0].commandLine, /xl stream/);
    // Settles once: a later stop changes nothing.
    running.stop();
    assert.deepEqual(await running.ended, end);
  });

  test('a missing program ends with a not-found XlError naming it', { skip: existsSync('/usr/sbin/xentop') || existsSync('/sbin/xentop') ? 'this machine has xentop' : false }, async () => {
    // Nothing on this machine's PATH is called xentop (the fakes' folder is not on it here).
    const end = await startStream({ args: ['-b'], program: 'xentop', description: 'read live figures' }, local(), { onData: () => undefined }).ended;
    assert.equal(end.stoppedByUs, false);
    assert.equal(end.error?.kind, 'not-found');
    assert.match(end.error?.message ?? '', /xentop is not installed on this machine/);
  });

  test('xentop without root ends with a not-root XlError', async () => {
    process.env.FAKE_XENTOP = 'denied';
    try {
      const end = await withPath(FAKE_DIR, async () => startStream(xentopStream(1), local(), { onData: () => undefined }).ended);
      assert.equal(end.error?.kind, 'not-root');
      assert.match(end.error?.message ?? '', /xentop could not read the hypervisor's figures: it must run as root/);
      assert.equal(end.exitCode, 1);
    } finally {
      delete process.env.FAKE_XENTOP;
    }
  });

  test('xentop is found on PATH and its frames parse as they arrive', async () => {
    const frames: XentopFrame[] = [];
    const parser = new XentopParser();
    const running = await withPath(FAKE_DIR, async () => startStream(xentopStream(2), local(), { onData: (chunk) => frames.push(...parser.feed(chunk)) }));
    assert.ok(await waitUntil(() => frames.length >= 2, 5000), 'two frames completed while running');
    running.stop();
    assert.equal((await running.ended).stoppedByUs, true);
    assert.deepEqual(frames[0].guests.map((row) => row.name), ['Domain-0', 'debian-installer-test', 'web01']);
    assert.equal(frames[0].guests[1].cpuPercent, undefined);
    assert.equal(frames[1].guests[1].cpuPercent, 101.5);
  });

  test('over ssh: the argv goes through the launcher, data streams, and stop() ends the remote group', async () => {
    const pidFile = path.join(tempDir, 'ssh.pids');
    const entries: RunLogEntry[] = [];
    const chunks: string[] = [];
    const running = startStream(streamCommand(pidFile), viaSsh({ log: (entry) => entries.push(entry) }), { onData: (chunk) => chunks.push(chunk) });
    assert.ok(await waitUntil(() => chunks.join('').includes('tick 3'), 8000), 'lines arrived over ssh');
    const pids = pidsFrom(pidFile);
    running.stop();
    const end = await running.ended;
    assert.equal(end.stoppedByUs, true);
    assert.doesNotMatch(end.stderr, /xen-xl-remote/, 'the launcher line is not stderr');
    assert.ok(await waitUntil(() => !pids.some(isAlive), 6000), 'the remote program and its child ended');
    const line = entries[0].commandLine;
    assert.match(line, /BatchMode=yes/);
    // Stopping a stream ends its process group: a connection master started there would go too.
    assert.match(line, /ControlMaster=no/);
    assert.match(line, /-- root@dom0 /);
    assert.match(line, /export LC_ALL=C; set -- .*xl stream/);
    assert.match(line, /xen-xl-remote pgid/);
  });

  test('over ssh, an unreachable host ends with an ssh XlError', async () => {
    const end = await startStream(streamCommand(path.join(tempDir, 'x')), viaSsh({ target: { kind: 'ssh', destination: 'unreachable.example', controlDir: tempDir } }), { onData: () => undefined }).ended;
    assert.equal(end.error?.kind, 'ssh');
  });

  test('a bad ssh destination ends at once without spawning', async () => {
    const before = runnerStats.spawned;
    const end = await startStream(streamCommand('x'), viaSsh({ target: { kind: 'ssh', destination: '-oProxyCommand=evil', controlDir: tempDir } }), { onData: () => undefined }).ended;
    assert.equal(end.error?.kind, 'ssh');
    assert.equal(runnerStats.spawned, before);
  });

  test('a program that exits by itself ends with its status and no error', async () => {
    process.env.FAKE_XENTOP = 'args';
    try {
      let output = '';
      const end = await withPath(FAKE_DIR, async () => startStream(xentopStream(3), local(), { onData: (chunk) => (output += chunk) }).ended);
      assert.deepEqual(end, { stoppedByUs: false, exitCode: 0, error: undefined, stderr: '' });
      assert.equal(output, '-b\n-f\n-d\n3\n');
    } finally {
      delete process.env.FAKE_XENTOP;
    }
  });
});
