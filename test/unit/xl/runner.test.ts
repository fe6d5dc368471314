// runXl against a fake `xl` (test/fixtures/fake-xl/xl): real processes, real timeouts and
// signals, no Xen. The fake picks its behaviour from its first argument.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as xl from '../../../client/src/xl/commands';
import { runXl, runnerStats, stopRemoteProcess, type RunLogEntry, type RunOptions } from '../../../client/src/xl/runner';
import type { XlCommand } from '../../../client/src/xl/types';
import { isAlive } from '../../support/process';
import { rejection } from '../../support/xlError';

const FAKE_DIR = path.resolve('test/fixtures/fake-xl');
const FAKE_XL = path.join(FAKE_DIR, 'xl');

let tempDir = '';

before(() => {
  // Git may not keep the executable bit.
  for (const file of ['xl', 'ssh', 'sudo-password/sudo']) chmodSync(path.join(FAKE_DIR, file), 0o755);
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'xl-runner-test-'));
});

after(() => rmSync(tempDir, { recursive: true, force: true }));

function options(overrides: Partial<RunOptions> = {}): RunOptions {
  return { target: { kind: 'local' }, xlPath: FAKE_XL, sudo: 'never', timeoutMs: 10_000, ...overrides };
}

/** A command for one of the fake's modes, returning raw stdout. */
function fakeCommand(args: string[]): XlCommand<string> {
  return { args, parse: (stdout) => stdout, description: `fake ${args[0]}` };
}

/** Makes any built command return its raw argv as the fake xl echoed it. */
function echoing<T>(command: XlCommand<T>): XlCommand<string[]> {
  return { ...command, parse: (stdout) => stdout.split('\0').slice(0, -1) };
}



async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

/** Runs with PATH temporarily prefixed, for the fake sudo and for xl found on PATH. */
async function withPath<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${saved ?? ''}`;
  try {
    return await run();
  } finally {
    process.env.PATH = saved;
  }
}

describe('runXl with a fake xl', () => {
  test('parses the output of a real builder', async () => {
    const domains = await runXl(xl.list(), options());
    assert.deepEqual(
      domains.map((domain) => domain.name),
      ['Domain-0', 'web01', 'db-test', 'crashed'],
    );
    const info = await runXl(xl.info(), options());
    assert.equal(info.xenVersion, '4.17.3');
  });

  test('finds xl on PATH when xlPath is "xl"', async () => {
    const domains = await withPath(FAKE_DIR, () => runXl(xl.list(), options({ xlPath: 'xl' })));
    assert.equal(domains.length, 4);
  });

  test('hostile arguments reach xl verbatim', async () => {
    const hostile = ['; rm -rf /', '$(id)', '`id`', '-leading', '--help', 'two\nlines', "it's", 'gäst 虚拟机', ' '];
    for (const name of hostile) {
      assert.deepEqual(await runXl(echoing(xl.destroy(name)), options()), ['destroy', '--', name]);
    }
    const created = await runXl(echoing(xl.create('-weird=$(id).cfg')), options());
    assert.deepEqual(created, ['create', '-f', '-weird=$(id).cfg']);
  });

  test('hostile arguments reach xl verbatim through ssh (fake ssh runs the remote string with sh -c)', async () => {
    const hostile = ['; rm -rf /', '$(id)', '`id`', '-leading', 'two\nlines', "it's", '"q"', 'gäst 虚拟机', ''];
    const sshOptions = options({
      target: { kind: 'ssh', destination: 'root@dom0', controlDir: tempDir },
      sshPath: path.join(FAKE_DIR, 'ssh'),
    });
    for (const name of hostile.filter((value) => value !== '')) {
      assert.deepEqual(await runXl(echoing(xl.pause(name)), sshOptions), ['pause', '--', name]);
    }
    assert.deepEqual(await runXl(fakeCommand(['echo', ...hostile]), sshOptions), ['echo', ...hostile].join('\0') + '\0');
  });

  test('ssh failing with 255 is an ssh error naming the destination', async () => {
    const error = await rejection(
      runXl(xl.list(), options({ target: { kind: 'ssh', destination: 'unreachable.example', controlDir: tempDir }, sshPath: path.join(FAKE_DIR, 'ssh') })),
      'ssh',
    );
    assert.match(error.message, /unreachable\.example/);
    assert.match(error.detail, /Connection refused/);
  });

  test('a hanging xl times out within the timeout and its process group is killed', async () => {
    const pidFile = path.join(tempDir, 'hang.pids');
    const started = Date.now();
    const error = await rejection(runXl(fakeCommand(['hang', pidFile]), options({ timeoutMs: 400 })), 'timeout');
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 400 + 1500, `took ${elapsed} ms`);
    assert.match(error.message, /0\.4 s/);
    const pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    assert.equal(pids.length, 2);
    assert.ok(await waitUntil(() => pids.every((pid) => !isAlive(pid)), 3000), `still alive: ${pids.filter(isAlive).join(' ')}`);
  });

  test('cancellation through AbortSignal', async () => {
    const controller = new AbortController();
    const pidFile = path.join(tempDir, 'cancel.pids');
    const running = runXl(fakeCommand(['hang', pidFile]), options({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 150);
    await rejection(running, 'cancelled');
    const pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    assert.ok(await waitUntil(() => pids.every((pid) => !isAlive(pid)), 3000));
  });

  test('an already aborted signal spawns nothing', async () => {
    const before = runnerStats.spawned;
    await rejection(runXl(xl.list(), options({ signal: AbortSignal.abort() })), 'cancelled');
    assert.equal(runnerStats.spawned, before);
  });

  test('garbage output is bad-output', async () => {
    const error = await rejection(runXl({ ...xl.list(), args: ['garbage'] }, options()), 'bad-output');
    assert.match(error.detail, /not what xl prints/);
    await rejection(runXl({ ...xl.listLong(), args: ['garbage'] }, options()), 'bad-output');
  });

  test('"cannot init xl context" is no-hypervisor', async () => {
    const error = await rejection(runXl(fakeCommand(['no-xen']), options()), 'no-hypervisor');
    assert.equal(error.exitCode, 1);
    assert.match(error.detail, /cannot init xl context/);
    assert.match(error.commandLine ?? '', /no-xen$/);
  });

  test('permission denied is not-root', async () => {
    await rejection(runXl(fakeCommand(['denied']), options()), 'not-root');
  });

  test('a plain non-zero exit is failed with stderr', async () => {
    const error = await rejection(runXl(fakeCommand(['fail']), options()), 'failed');
    assert.match(error.message, /destroy failed \(rc=-3\)/);
  });

  test('exit 0 with a libxl error is a failure for pause', async () => {
    await rejection(runXl({ ...xl.pause('9'), args: ['pause-fails'] }, options()), 'failed');
  });

  test('a missing binary is not-found', async () => {
    const missing = path.join(tempDir, 'no-such-xl');
    const error = await rejection(runXl(xl.list(), options({ xlPath: missing })), 'not-found');
    assert.match(error.message, /no-such-xl/);
  });

  test('sudo -n asking for a password is sudo-password', async () => {
    const error = await withPath(path.join(FAKE_DIR, 'sudo-password'), () =>
      rejection(runXl(xl.list(), options({ sudo: 'always' })), 'sudo-password'),
    );
    assert.match(error.message, /NOPASSWD/);
  });

  test('interactive commands are refused', async () => {
    const before = runnerStats.spawned;
    await rejection(runXl(xl.console('web01'), options()), 'failed');
    assert.equal(runnerStats.spawned, before);
  });

  test('every call is logged once, with a pasteable command line', async () => {
    const entries: RunLogEntry[] = [];
    const log = (entry: RunLogEntry) => entries.push(entry);
    await runXl(xl.list(), options({ log }));
    await rejection(runXl(fakeCommand(['no-xen']), options({ log })), 'no-hypervisor');
    await runXl(echoing(xl.destroy('; rm -rf /')), options({ log }));
    assert.equal(entries.length, 3);
    assert.equal(entries[0].outcome, 'ok');
    assert.equal(entries[0].exitCode, 0);
    assert.equal(entries[0].commandLine, `${FAKE_XL} list`);
    assert.ok(entries[0].durationMs >= 0);
    assert.equal(entries[1].outcome, 'no-hypervisor');
    assert.equal(entries[1].exitCode, 1);
    assert.match(entries[1].stderr, /cannot init xl context/);
    assert.equal(entries[2].commandLine, `${FAKE_XL} destroy -- '; rm -rf /'`);
    assert.equal(entries[2].description, 'destroy domain "; rm -rf /"');
  });

  test('runnerStats counts one process per call', async () => {
    const before = runnerStats.spawned;
    await runXl(xl.list(), options());
    await runXl(xl.info(), options());
    assert.equal(runnerStats.spawned - before, 2);
  });
});

/** The process group of a live process, from /proc (field 5 of stat, after the command name). */
function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

async function waitForFile(file: string, timeoutMs: number): Promise<string> {
  let text = '';
  const found = await waitUntil(() => {
    try {
      text = readFileSync(file, 'utf8');
      return text.endsWith('\n');
    } catch {
      return false;
    }
  }, timeoutMs);
  assert.ok(found, `${file} was not written`);
  return text;
}

// The fake ssh runs the remote string with `sh -c` in the local ssh client's process group. The
// runner stops only the client on a timeout or cancel: like a real remote, xl survives that unless
// the runner ends it with a second ssh call.
describe('runXl over ssh: the remote xl of a timed-out or cancelled call', () => {
  const sshOptions = (overrides: Partial<RunOptions> = {}): RunOptions =>
    options({ target: { kind: 'ssh', destination: 'root@dom0', controlDir: tempDir }, sshPath: path.join(FAKE_DIR, 'ssh'), ...overrides });

  test('a hanging remote xl runs in its own process group and is ended with it on timeout', async () => {
    const pidFile = path.join(tempDir, 'remote-hang.pids');
    const started = Date.now();
    const running = runXl(fakeCommand(['hang', pidFile]), sshOptions({ timeoutMs: 1500 }));
    const [xlPid, childPid] = (await waitForFile(pidFile, 3000)).trim().split(' ').map(Number);
    // Its own group (so the local kill cannot reach it), and its child in that group.
    assert.equal(processGroupOf(xlPid), xlPid);
    assert.equal(processGroupOf(childPid), xlPid);
    const error = await rejection(running, 'timeout');
    assert.equal(error.remoteStop, 'ended');
    assert.match(error.message, /did not finish within 1\.5 s on root@dom0 and was stopped\. xl on root@dom0 was ended too\./);
    assert.ok(await waitUntil(() => !isAlive(xlPid) && !isAlive(childPid), 3000), 'the remote xl or its child survived');
    assert.ok(Date.now() - started < 1500 + 5000, `took ${Date.now() - started} ms`);
    assert.doesNotMatch(error.detail, /xen-xl-remote/);
  });

  test("a timed-out call leaves the host's shared connection (a master it opened, in its process group) running", async () => {
    const pidFile = path.join(tempDir, 'remote-master.pids');
    const masterFile = path.join(tempDir, 'master.pid');
    process.env.FAKE_SSH_MASTER_PIDFILE = masterFile;
    try {
      const running = runXl(fakeCommand(['hang', pidFile]), sshOptions({ timeoutMs: 800 }));
      await waitForFile(pidFile, 3000);
      const master = Number((await waitForFile(masterFile, 3000)).trim());
      assert.ok(isAlive(master));
      const error = await rejection(running, 'timeout');
      assert.equal(error.remoteStop, 'ended');
      // Past the kill grace: nothing signalled the master.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.ok(isAlive(master), 'the timed-out call took the shared connection down with it');
      // The next call to the host works (it would join the master).
      assert.equal(await runXl(fakeCommand(['echo', 'after']), sshOptions()), 'echo\0after\0');
      process.kill(master, 'SIGKILL');
    } finally {
      delete process.env.FAKE_SSH_MASTER_PIDFILE;
    }
  });

  test('cancelling ends the remote xl and its group too', async () => {
    const pidFile = path.join(tempDir, 'remote-cancel.pids');
    const controller = new AbortController();
    const running = runXl(fakeCommand(['hang', pidFile]), sshOptions({ signal: controller.signal }));
    const pids = (await waitForFile(pidFile, 3000)).trim().split(' ').map(Number);
    controller.abort();
    const error = await rejection(running, 'cancelled');
    assert.equal(error.remoteStop, 'ended');
    assert.match(error.message, /^The xl command was cancelled\. xl on root@dom0 was ended too\.$/);
    assert.ok(await waitUntil(() => pids.every((pid) => !isAlive(pid)), 3000), `still alive: ${pids.filter(isAlive).join(' ')}`);
  });

  test('a remote xl that ignores SIGTERM is killed after the grace', async () => {
    const pidFile = path.join(tempDir, 'remote-stubborn.pids');
    const running = runXl(fakeCommand(['hang-ignoring-term', pidFile]), sshOptions({ timeoutMs: 800 }));
    const pids = (await waitForFile(pidFile, 3000)).trim().split(' ').map(Number);
    const error = await rejection(running, 'timeout');
    assert.equal(error.remoteStop, 'killed');
    assert.match(error.message, /ignored SIGTERM and was killed/);
    assert.ok(await waitUntil(() => pids.every((pid) => !isAlive(pid)), 3000), `still alive: ${pids.filter(isAlive).join(' ')}`);
  });

  test("the launcher's pid line never reaches stderr, stdout or the log; exit statuses pass through", async () => {
    const entries: RunLogEntry[] = [];
    const error = await rejection(runXl(fakeCommand(['fail']), sshOptions({ log: (entry) => entries.push(entry) })), 'failed');
    assert.equal(error.detail, 'destroy failed (rc=-3)');
    assert.equal(error.exitCode, 1);
    assert.equal(error.remoteStop, undefined);
    assert.doesNotMatch(entries[0].stderr, /xen-xl-remote/);
    assert.equal(await runXl(fakeCommand(['echo', 'a b']), sshOptions()), 'echo\0a b\0');
    const list = await runXl(xl.list(), sshOptions());
    assert.equal(list[0].name, 'Domain-0');
  });

  test('when the host cannot be reached to end it, the call still settles and says xl may still run there', async () => {
    const pidFile = path.join(tempDir, 'remote-unreachable.pids');
    process.env.FAKE_SSH_STOP_FAILS = '1';
    let pids: number[] = [];
    try {
      const started = Date.now();
      const running = runXl(fakeCommand(['hang', pidFile]), sshOptions({ timeoutMs: 800 }));
      pids = (await waitForFile(pidFile, 3000)).trim().split(' ').map(Number);
      const error = await rejection(running, 'timeout');
      assert.equal(error.remoteStop, 'unreachable');
      assert.match(error.message, /root@dom0 could not be reached to end xl there, so it may still be running\.$/);
      // Not held until the remote process ends (30 s) by the pipes the "master" keeps open.
      assert.ok(Date.now() - started < 800 + 6000, `took ${Date.now() - started} ms`);
      assert.ok(pids.every(isAlive), 'the remote process is indeed still there');
    } finally {
      delete process.env.FAKE_SSH_STOP_FAILS;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  });

  test('stopRemoteProcess says "unreachable" when the host does not answer', async () => {
    const outcome = await stopRemoteProcess(
      { target: { kind: 'ssh', destination: 'unreachable.example', controlDir: tempDir }, xlPath: 'xl', sudo: 'never', sshPath: path.join(FAKE_DIR, 'ssh') },
      { pid: 12345, group: true },
    );
    assert.equal(outcome, 'unreachable');
  });
});
