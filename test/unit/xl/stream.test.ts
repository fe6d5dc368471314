// The runner's byte streams (the graphical console's transport): endpoint checks, the `ssh -W`
// argv, and openStream over real local TCP connections, directly and through a fake ssh that
// forwards like `ssh -W` (test/fixtures/fake-ssh-forward/ssh).

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { XlError } from '../../../client/src/xl/errors';
import {
  buildArgv,
  buildStreamArgv,
  checkStreamEndpoint,
  openStream,
  runnerStats,
  type RunLogEntry,
  type StreamTargetOptions,
} from '../../../client/src/xl/runner';
import { isAlive } from '../../support/process';
import { rejection } from '../../support/xlError';

const FAKE_SSH = path.resolve('test/fixtures/fake-ssh-forward/ssh');
let tempDir = '';

before(() => {
  chmodSync(FAKE_SSH, 0o755);
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'xl-stream-test-'));
});
after(() => rmSync(tempDir, { recursive: true, force: true }));

const local: StreamTargetOptions = { target: { kind: 'local' } };
const remote = (destination = 'root@dom0'): StreamTargetOptions => ({ target: { kind: 'ssh', destination, controlDir: '/run/user/1000/xen-xl' } });
const viaFakeSsh = (destination = 'root@dom0'): StreamTargetOptions => ({ target: { kind: 'ssh', destination, controlDir: tempDir }, sshPath: FAKE_SSH });


/** Our child processes running the fake ssh (from /proc). */
function fakeSshChildren(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && fields[0] !== 'Z' && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('fake-ssh-forward')) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}


/** A TCP server on 127.0.0.1 with its port; `onConnection` gets each socket. */
async function listen(onConnection: (socket: net.Socket) => void): Promise<{ server: net.Server; port: number; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as net.AddressInfo).port, sockets };
}

async function shut(listening: { server: net.Server; sockets: net.Socket[] }): Promise<void> {
  for (const socket of listening.sockets) socket.destroy();
  await new Promise<void>((resolve) => listening.server.close(() => resolve()));
}

/** A port on 127.0.0.1 where nothing listens (it was just free). */
async function closedPort(): Promise<number> {
  const listening = await listen(() => undefined);
  await shut(listening);
  return listening.port;
}

/** Reads from a stream until `count` bytes have arrived. */
function readBytes(stream: Duplex, count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= count) {
        stream.off('data', onData);
        stream.off('error', reject);
        stream.pause();
        const all = Buffer.concat(chunks);
        if (all.length > count) stream.unshift(all.subarray(count));
        resolve(all.subarray(0, count));
      }
    };
    stream.on('data', onData);
    stream.once('error', reject);
  });
}

/** Resolves when the stream has ended cleanly, rejects with its error. */
function endOf(stream: Duplex): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('end', resolve);
    stream.once('error', reject);
    stream.resume();
  });
}

describe('checkStreamEndpoint', () => {
  test('accepts IPv4, IPv6 (bracketed or not) and host names, with labels for messages', () => {
    assert.deepEqual(checkStreamEndpoint({ address: '127.0.0.1', port: 5900 }), { address: '127.0.0.1', port: 5900, label: '127.0.0.1:5900' });
    assert.deepEqual(checkStreamEndpoint({ address: '::1', port: 5901 }), { address: '::1', port: 5901, label: '[::1]:5901' });
    assert.deepEqual(checkStreamEndpoint({ address: '[fd00::5]', port: 1 }), { address: 'fd00::5', port: 1, label: '[fd00::5]:1' });
    assert.equal(checkStreamEndpoint({ address: 'dom0.lab_1.example.', port: 65535 }).label, 'dom0.lab_1.example.:65535');
    assert.equal(checkStreamEndpoint({ address: 'localhost', port: 5900 }).address, 'localhost');
  });

  test('refuses option-like, empty, spaced or malformed addresses', () => {
    for (const address of ['', '-oProxyCommand=touch /tmp/x', '-host', '.host', 'a b', 'host\n', 'a..b', 'x'.repeat(64), `${'a.'.repeat(127)}b`, '[127.0.0.1]', '[::1', 'host:22', 'ho$t', '::1]', 'ä.example']) {
      assert.throws(() => checkStreamEndpoint({ address, port: 5900 }), (error: unknown) => error instanceof XlError && /Invalid address/.test(error.message), address);
    }
    assert.throws(() => checkStreamEndpoint({ address: 5 as unknown as string, port: 5900 }), /Invalid address/);
  });

  test('refuses ports outside 1..65535 and non-integers', () => {
    for (const port of [0, -1, 65536, 5900.5, Number.NaN, Infinity, '5900' as unknown as number]) {
      assert.throws(() => checkStreamEndpoint({ address: '127.0.0.1', port }), (error: unknown) => error instanceof XlError && /Invalid port/.test(error.message), String(port));
    }
  });
});

describe('buildStreamArgv', () => {
  test('ssh -W ADDRESS:PORT with the options of every other ssh call, -- before the destination; it joins a master but never becomes one', () => {
    assert.deepEqual(buildStreamArgv(remote(), { address: '127.0.0.1', port: 5901 }), [
      'ssh',
      '-W',
      '127.0.0.1:5901',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '-o',
      'ServerAliveInterval=5',
      '-o',
      'ServerAliveCountMax=2',
      '-o',
      'ControlMaster=no',
      '-o',
      'ControlPersist=60',
      '-o',
      'ControlPath=/run/user/1000/xen-xl/%C',
      '--',
      'root@dom0',
    ]);
  });

  test('shares the connection master with the xl calls: the same options up to the destination, but ControlMaster=no', () => {
    const options = { ...remote('admin@host.example'), sshPath: '/opt/ssh' };
    const stream = buildStreamArgv(options, { address: 'localhost', port: 5900 });
    const xlCall = buildArgv({ ...options, xlPath: 'xl', sudo: 'never' }, ['list']);
    assert.deepEqual([stream[0], ...stream.slice(3)], xlCall.slice(0, -1).map((word) => (word === 'ControlMaster=auto' ? 'ControlMaster=no' : word)));
  });

  test('IPv6 goes in brackets, as ssh reads host:port', () => {
    assert.deepEqual(buildStreamArgv(remote(), { address: '::1', port: 5900 }).slice(1, 3), ['-W', '[::1]:5900']);
    assert.deepEqual(buildStreamArgv(remote(), { address: '[fe80::1]', port: 5902 }).slice(1, 3), ['-W', '[fe80::1]:5902']);
  });

  test('bad endpoints, destinations and local targets are refused', () => {
    assert.throws(() => buildStreamArgv(remote(), { address: '-oProxyCommand=x', port: 22 }), /Invalid address/);
    assert.throws(() => buildStreamArgv(remote(), { address: 'host', port: 0 }), /Invalid port/);
    assert.throws(() => buildStreamArgv(remote('-oProxyCommand=x'), { address: 'host', port: 22 }), /Invalid ssh destination/);
    assert.throws(() => buildStreamArgv(local, { address: 'host', port: 22 }), /for ssh hosts/);
  });
});

describe('openStream: local TCP', () => {
  test('connects, carries bytes both ways, ends cleanly and logs once', async () => {
    const echo = await listen((socket) => socket.pipe(socket));
    const entries: RunLogEntry[] = [];
    const spawned = runnerStats.spawned;
    try {
      const opened = await openStream(local, { address: '127.0.0.1', port: echo.port }, { log: (entry) => entries.push(entry) });
      assert.equal(opened.pid, undefined);
      assert.equal(opened.commandLine, `tcp 127.0.0.1:${echo.port}`);
      opened.stream.write('hello, server');
      assert.equal((await readBytes(opened.stream, 13)).toString(), 'hello, server');
      assert.equal(entries.length, 0, 'logged only when the stream ends');
      await opened.close();
      await opened.close();
      assert.equal(entries.length, 1);
      assert.equal(entries[0].outcome, 'ok');
      assert.equal(entries[0].description, `connect to 127.0.0.1:${echo.port}`);
      assert.ok(entries[0].durationMs >= 0);
      assert.equal(runnerStats.spawned, spawned, 'no process for a local stream');
    } finally {
      await shut(echo);
    }
  });

  test('a refused connection names the address and port', async () => {
    const port = await closedPort();
    const entries: RunLogEntry[] = [];
    const error = await rejection(openStream(local, { address: '127.0.0.1', port }, { log: (entry) => entries.push(entry) }), 'failed');
    assert.equal(error.message, `Could not connect to 127.0.0.1:${port}: connection refused (nothing is listening there).`);
    assert.deepEqual(
      entries.map((entry) => entry.outcome),
      ['failed'],
    );
  });

  test('serverSpeaksFirst: opens when the first byte arrives, and that byte is still there to read', async () => {
    const server = await listen((socket) => setTimeout(() => socket.write('RFB 003.008\n'), 50));
    try {
      const opened = await openStream(local, { address: '127.0.0.1', port: server.port }, { serverSpeaksFirst: true });
      assert.equal((await readBytes(opened.stream, 12)).toString(), 'RFB 003.008\n');
      await opened.close();
    } finally {
      await shut(server);
    }
  });

  test('serverSpeaksFirst: a silent server is a timeout, a server that hangs up says so', async () => {
    const silent = await listen(() => undefined);
    const hangsUp = await listen((socket) => socket.end());
    const entries: RunLogEntry[] = [];
    try {
      const timedOut = await rejection(
        openStream(local, { address: '127.0.0.1', port: silent.port }, { serverSpeaksFirst: true, connectTimeoutMs: 300, log: (entry) => entries.push(entry) }),
        'timeout',
      );
      assert.equal(timedOut.message, `No answer from 127.0.0.1:${silent.port} within 0.3 s.`);
      const closed = await rejection(openStream(local, { address: '127.0.0.1', port: hangsUp.port }, { serverSpeaksFirst: true }), 'failed');
      assert.equal(closed.message, `127.0.0.1:${hangsUp.port} closed the connection before sending anything.`);
      assert.deepEqual(
        entries.map((entry) => entry.outcome),
        ['timeout'],
      );
    } finally {
      await shut(silent);
      await shut(hangsUp);
    }
  });

  test('a cancelled signal stops before connecting; an abort later closes the stream', async () => {
    const echo = await listen((socket) => socket.pipe(socket));
    try {
      const controller = new AbortController();
      controller.abort();
      await rejection(openStream(local, { address: '127.0.0.1', port: echo.port }, { signal: controller.signal }), 'cancelled');
      const later = new AbortController();
      const opened = await openStream(local, { address: '127.0.0.1', port: echo.port }, { signal: later.signal });
      const closed = new Promise((resolve) => opened.stream.once('close', resolve));
      later.abort();
      await closed;
      assert.ok(opened.stream.destroyed);
    } finally {
      await shut(echo);
    }
  });

  test('the server closing ends the stream without an error', async () => {
    const server = await listen((socket) => socket.end('bye'));
    const entries: RunLogEntry[] = [];
    try {
      const opened = await openStream(local, { address: '127.0.0.1', port: server.port }, { log: (entry) => entries.push(entry) });
      await endOf(opened.stream);
      await opened.close();
      assert.deepEqual(
        entries.map((entry) => entry.outcome),
        ['ok'],
      );
    } finally {
      await shut(server);
    }
  });

  test('an invalid endpoint is refused before anything runs, and logged', async () => {
    const entries: RunLogEntry[] = [];
    const spawned = runnerStats.spawned;
    const error = await rejection(openStream(viaFakeSsh(), { address: '-oProxyCommand=touch /tmp/pwned', port: 22 }, { log: (entry) => entries.push(entry) }), 'failed');
    assert.match(error.message, /^Invalid address/);
    assert.equal(runnerStats.spawned, spawned);
    assert.equal(entries.length, 1);
    await rejection(openStream(local, { address: '127.0.0.1', port: 70000 }), 'failed');
  });
});

describe('openStream: ssh -W (fake ssh that forwards)', () => {
  test('forwards bytes both ways through the ssh process; close() ends it and its pid is gone', async () => {
    const echo = await listen((socket) => socket.pipe(socket));
    const argvFile = path.join(tempDir, 'argv');
    process.env.FAKE_SSH_ARGV_FILE = argvFile;
    const entries: RunLogEntry[] = [];
    const spawned = runnerStats.spawned;
    try {
      const opened = await openStream(viaFakeSsh(), { address: '127.0.0.1', port: echo.port }, { log: (entry) => entries.push(entry) });
      assert.equal(runnerStats.spawned, spawned + 1);
      assert.ok(opened.pid !== undefined && isAlive(opened.pid));
      assert.match(opened.commandLine, new RegExp(`-W 127\\.0\\.0\\.1:${echo.port} .* -- root@dom0$`));
      opened.stream.write(Buffer.from([0, 1, 2, 255, 10, 13]));
      assert.deepEqual([...(await readBytes(opened.stream, 6))], [0, 1, 2, 255, 10, 13]);
      await opened.close();
      assert.equal(isAlive(opened.pid), false);
      assert.equal(entries.length, 1);
      assert.equal(entries[0].outcome, 'ok');
      assert.equal(entries[0].description, `forward to 127.0.0.1:${echo.port} through root@dom0`);
      const argv = readFileSync(argvFile, 'utf8').split('\0').slice(0, -1);
      assert.deepEqual(argv.slice(0, 2), ['-W', `127.0.0.1:${echo.port}`]);
      assert.deepEqual(argv.slice(-2), ['--', 'root@dom0']);
    } finally {
      delete process.env.FAKE_SSH_ARGV_FILE;
      await shut(echo);
    }
  });

  test('a refused forward carries ssh\'s words: the host could not connect onwards', async () => {
    const port = await closedPort();
    const entries: RunLogEntry[] = [];
    const error = await rejection(openStream(viaFakeSsh(), { address: '127.0.0.1', port }, { serverSpeaksFirst: true, log: (entry) => entries.push(entry) }), 'failed');
    assert.equal(error.message, `root@dom0 could not connect to 127.0.0.1:${port}: connect failed: Connection refused (nothing is listening there).`);
    assert.match(error.detail, /^channel 0: open failed: connect failed: Connection refused\nstdio forwarding failed$/);
    assert.equal(error.exitCode, 255);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].exitCode, 255);
    assert.match(entries[0].stderr, /stdio forwarding failed/);
  });

  test('a refused forward after opening (no serverSpeaksFirst) fails the stream with the same words', async () => {
    const port = await closedPort();
    const opened = await openStream(viaFakeSsh(), { address: '127.0.0.1', port });
    const error = await endOf(opened.stream).then(
      () => assert.fail('the stream ended cleanly'),
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof XlError);
    assert.match(error.message, /could not connect to 127\.0\.0\.1:\d+: connect failed: Connection refused/);
    await opened.close();
  });

  test('ssh that cannot reach the host is an ssh error', async () => {
    const error = await rejection(openStream(viaFakeSsh('unreachable.example'), { address: '127.0.0.1', port: 5900 }, { serverSpeaksFirst: true }), 'ssh');
    assert.equal(error.message, 'ssh could not connect to unreachable.example: ssh: connect to host unreachable.example port 22: Connection refused.');
  });

  test('serverSpeaksFirst over ssh: the first bytes arrive intact; the server closing ends the stream cleanly (exit 0)', async () => {
    const server = await listen((socket) => socket.end('RFB 003.008\n'));
    const entries: RunLogEntry[] = [];
    try {
      const opened = await openStream(viaFakeSsh(), { address: 'localhost', port: server.port }, { serverSpeaksFirst: true, log: (entry) => entries.push(entry) });
      assert.equal((await readBytes(opened.stream, 12)).toString(), 'RFB 003.008\n');
      await endOf(opened.stream);
      await opened.close();
      assert.deepEqual(
        entries.map((entry) => [entry.outcome, entry.exitCode]),
        [['ok', 0]],
      );
    } finally {
      await shut(server);
    }
  });

  test('an ssh that ignores SIGTERM is killed, and close() waits for it', async () => {
    const echo = await listen((socket) => socket.pipe(socket));
    process.env.FAKE_SSH_IGNORE_TERM = '1';
    try {
      const opened = await openStream(viaFakeSsh(), { address: '127.0.0.1', port: echo.port });
      opened.stream.write('x');
      await readBytes(opened.stream, 1);
      assert.ok(opened.pid !== undefined && isAlive(opened.pid));
      await opened.close();
      assert.equal(isAlive(opened.pid), false);
    } finally {
      delete process.env.FAKE_SSH_IGNORE_TERM;
      await shut(echo);
    }
  });

  test('a missing ssh is not-found', async () => {
    const error = await rejection(openStream({ ...viaFakeSsh(), sshPath: path.join(tempDir, 'no-such-ssh') }, { address: '127.0.0.1', port: 5900 }), 'not-found');
    assert.match(error.message, /ssh was not found/);
  });

  test('a silent forward times out and the ssh process is ended', async () => {
    const silent = await listen(() => undefined);
    const spawned = runnerStats.spawned;
    try {
      const error = await rejection(openStream(viaFakeSsh(), { address: '127.0.0.1', port: silent.port }, { serverSpeaksFirst: true, connectTimeoutMs: 500 }), 'timeout');
      assert.match(error.message, /^No answer from 127\.0\.0\.1:\d+ within 0\.5 s\.$/);
      assert.equal(runnerStats.spawned, spawned + 1);
      assert.deepEqual(fakeSshChildren(), []);
    } finally {
      await shut(silent);
    }
  });
});
