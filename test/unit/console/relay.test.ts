// The console relay: chunking, credit-based flow control both ways, close in every order, errors
// and stale sessions. Most tests run over an in-memory Duplex whose reads and writes the test
// drives; two run over real local TCP connections opened by the runner (directly and through
// the fake forwarding ssh).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { describe, test } from 'node:test';
import { RELAY_TIMING_CAPACITY, Relay, describeStreamError, type RelayStream } from '../../../client/src/console/relay';
import type { HostToWebview } from '../../../client/src/console/protocol';
import { XlError } from '../../../client/src/xl/errors';
import { openStream } from '../../../client/src/xl/runner';
import { FakeWebview } from '../../support/fakeWebview';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A server end the test drives: `push` sends bytes to the relay; writes are kept, and held when asked. */
class FakeServer extends Duplex {
  readonly written: Buffer[] = [];
  holdWrites = false;
  readonly heldCallbacks: (() => void)[] = [];
  reads = 0;
  constructor() {
    super({ allowHalfOpen: false });
  }
  override _read(): void {
    this.reads++;
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.written.push(Buffer.from(chunk));
    if (this.holdWrites) this.heldCallbacks.push(() => callback());
    else callback();
  }
  releaseWrites(): void {
    this.holdWrites = false;
    for (const callback of this.heldCallbacks.splice(0)) callback();
  }
}

/** A RelayStream over `stream` that counts close() calls. */
function handleOf(stream: Duplex): RelayStream & { closes: number } {
  const handle = {
    stream,
    closes: 0,
    close: async (): Promise<void> => {
      handle.closes++;
      stream.destroy();
    },
  };
  return handle;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function until(condition: () => boolean, what: string, turns = 100_000): Promise<void> {
  for (let turn = 0; turn < turns; turn++) {
    if (condition()) return;
    await tick();
  }
  assert.fail(`never happened: ${what}`);
}

function pattern(length: number, seed = 1): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

function setup(options: { autoAck?: boolean; session?: number; relay?: Partial<ConstructorParameters<typeof Relay>[0]> } = {}) {
  const session = options.session ?? 7;
  const webview = new FakeWebview(session, { autoAck: options.autoAck });
  const relay = new Relay({ session, post: webview.post, ...options.relay });
  webview.attach(relay);
  const server = new FakeServer();
  const handle = handleOf(server);
  return { session, webview, relay, server, handle };
}

const types = (messages: HostToWebview[]): string[] => messages.map((message) => message.type);
const closedMessages = (webview: FakeWebview) => webview.messages.filter((message) => message.type === 'closed');

describe('relay: server → webview', () => {
  test('posts open, then the bytes in order as plain Uint8Arrays of at most 256 KiB', async () => {
    const { webview, relay, server, handle } = setup();
    await relay.connect(handle);
    assert.deepEqual(webview.messages, [{ type: 'open', session: 7 }]);
    const sent = pattern(MiB + 5);
    const received: Buffer[] = [];
    webview.channel.on('data', (chunk: Buffer) => received.push(chunk));
    const posted: Uint8Array[] = [];
    webview.onMessage = (message) => {
      if (message.type === 'data') posted.push(message.data);
    };
    server.push(sent);
    await until(() => webview.received === sent.length, 'all bytes posted');
    assert.deepEqual(webview.chunkSizes, [256 * KiB, 256 * KiB, 256 * KiB, 256 * KiB, 5]);
    for (const data of posted) {
      assert.equal(Object.getPrototypeOf(data), Uint8Array.prototype, 'a plain Uint8Array, not a Buffer');
      // Each carries only its own bytes across postMessage, not the buffer it was cut from.
      assert.equal(data.buffer.byteLength, data.byteLength);
    }
    await tick();
    assert.ok(Buffer.concat(received).equals(sent));
    assert.equal(relay.stats.bytesToWebview, sent.length);
    assert.equal(relay.stats.messagesToWebview, 5);
    assert.equal(relay.stats.copiedChunks, 5);
    await relay.dispose();
  });

  test('a chunk that owns its whole buffer is posted without a copy', async () => {
    const { webview, relay, server, handle } = setup();
    await relay.connect(handle);
    const own = Buffer.from(new Uint8Array(1000).fill(3).buffer);
    server.push(own);
    await until(() => webview.received === 1000, 'posted');
    assert.equal(relay.stats.copiedChunks, 0);
    await relay.dispose();
  });

  test('a webview that stops acking pauses the source: at most the high-water mark plus one chunk is unacked', async () => {
    const { webview, relay, server, handle } = setup({ autoAck: false, relay: { highWaterMark: 2 * MiB, lowWaterMark: MiB } });
    await relay.connect(handle);
    let worst = 0;
    webview.onMessage = () => (worst = Math.max(worst, webview.received - webview.acked));
    const chunk = 64 * KiB;
    // The server offers 16 MiB; nothing is acked.
    for (let index = 0; index < 256; index++) server.push(pattern(chunk, index));
    await until(() => relay.stats.pauses === 1, 'paused');
    assert.equal(server.isPaused(), true);
    const postedAtPause = webview.received;
    // Everything the server offered is still in the source, not in the relay or the webview.
    await until(() => server.readableLength > 0, 'source holds the rest');
    for (let turn = 0; turn < 50; turn++) await tick();
    assert.equal(webview.received, postedAtPause, 'nothing more was posted while paused');
    assert.ok(postedAtPause > 2 * MiB && postedAtPause <= 2 * MiB + chunk, `posted ${postedAtPause}`);
    assert.equal(server.readableLength, 16 * MiB - postedAtPause);
    // An ack that leaves more than the low-water mark unacked does not resume…
    relay.receive({ type: 'ack', session: 7, bytes: postedAtPause - MiB - 1 });
    webview.acked = postedAtPause - MiB - 1;
    assert.equal(server.isPaused(), true);
    // …one that reaches it does, and then every byte arrives.
    while (webview.received < 16 * MiB) {
      webview.ackAll();
      await tick();
    }
    webview.ackAll();
    assert.ok(worst <= 2 * MiB + chunk, `unacked reached ${worst}`);
    assert.equal(relay.stats.maxUnacked, worst);
    assert.ok(relay.stats.pauses >= 6, `pauses ${relay.stats.pauses}`);
    assert.equal(relay.stats.resumes, relay.stats.pauses);
    await relay.dispose();
  });

  test('an ack of more than was sent, or going backwards, ends the session as a protocol error', async () => {
    for (const bytes of [11, 4, -1, 1.5, Number.NaN, '5' as unknown as number]) {
      const { webview, relay, server, handle } = setup({ autoAck: false });
      await relay.connect(handle);
      server.push(pattern(10));
      await until(() => webview.received === 10, 'posted');
      relay.receive({ type: 'ack', session: 7, bytes: 5 });
      relay.receive({ type: 'ack', session: 7, bytes });
      const closed = await relay.closed;
      assert.equal(closed.cause, 'protocol', String(bytes));
      assert.equal(handle.closes, 1);
      assert.equal(closedMessages(webview).length, 1);
    }
  });
});

describe('relay: chunk timings (tests and the benchmark)', () => {
  test('without a clock nothing is timed', async () => {
    const { webview, relay, server, handle } = setup();
    await relay.connect(handle);
    server.push(pattern(100));
    await until(() => webview.acked === 100, 'acked');
    assert.deepEqual(relay.chunkTimings(), []);
    await relay.dispose();
  });

  test('each chunk: when it was posted, when the cumulative ack passed its end, and what was unacked before it', async () => {
    let now = 1000;
    const { webview, relay, server, handle } = setup({ autoAck: false, relay: { clock: () => now, maxChunk: 100 } });
    await relay.connect(handle);
    server.push(pattern(250)); // three chunks: 100, 100, 50
    await until(() => webview.received === 250, 'posted');
    now = 1010;
    relay.receive({ type: 'ack', session: 7, bytes: 150 }); // covers the first chunk only
    assert.deepEqual(relay.chunkTimings(), [{ bytes: 100, end: 100, unackedBefore: 0, postedAt: 1000, ackedAt: 1010 }]);
    now = 1025;
    relay.receive({ type: 'ack', session: 7, bytes: 250 });
    now = 1030;
    server.push(pattern(10, 2));
    await until(() => webview.received === 260, 'posted');
    now = 1031;
    relay.receive({ type: 'ack', session: 7, bytes: 260 });
    assert.deepEqual(relay.chunkTimings(), [
      { bytes: 100, end: 100, unackedBefore: 0, postedAt: 1000, ackedAt: 1010 },
      { bytes: 100, end: 200, unackedBefore: 100, postedAt: 1000, ackedAt: 1025 },
      { bytes: 50, end: 250, unackedBefore: 200, postedAt: 1000, ackedAt: 1025 },
      { bytes: 10, end: 260, unackedBefore: 0, postedAt: 1030, ackedAt: 1031 },
    ]);
    assert.equal(relay.stats.untimedChunks, 0);
    await relay.dispose();
  });

  test(`bounded: at most ${RELAY_TIMING_CAPACITY} chunks wait for their ack with a timing, and the latest ${RELAY_TIMING_CAPACITY} acked ones are kept`, async () => {
    let now = 0;
    const { webview, relay, server, handle } = setup({ autoAck: false, relay: { clock: () => ++now, maxChunk: 1 } });
    await relay.connect(handle);
    const extra = 5;
    server.push(pattern(RELAY_TIMING_CAPACITY + extra)); // one-byte chunks, none acked yet
    await until(() => webview.received === RELAY_TIMING_CAPACITY + extra, 'posted');
    assert.equal(relay.stats.untimedChunks, extra);
    relay.receive({ type: 'ack', session: 7, bytes: RELAY_TIMING_CAPACITY + extra });
    const first = relay.chunkTimings();
    assert.equal(first.length, RELAY_TIMING_CAPACITY);
    assert.deepEqual([first[0].end, first.at(-1)!.end], [1, RELAY_TIMING_CAPACITY]);
    // Another 10 chunks, each acked: the ring drops the 10 oldest and keeps the order.
    for (let index = 0; index < 10; index++) {
      server.push(pattern(1, index));
      await until(() => webview.received === RELAY_TIMING_CAPACITY + extra + index + 1, 'posted');
      relay.receive({ type: 'ack', session: 7, bytes: webview.received });
    }
    const latest = relay.chunkTimings();
    assert.equal(latest.length, RELAY_TIMING_CAPACITY);
    assert.equal(latest[0].end, 11);
    assert.equal(latest.at(-1)!.end, RELAY_TIMING_CAPACITY + extra + 10);
    assert.ok(latest.every((timing, index) => index === 0 || timing.end > latest[index - 1].end), 'oldest first');
    assert.equal(relay.stats.untimedChunks, extra);
    await relay.dispose();
  });
});

describe('relay: webview → server', () => {
  test('writes the bytes in order and acks the cumulative count once each write is done', async () => {
    const { webview, relay, server, handle } = setup();
    await relay.connect(handle);
    server.holdWrites = true;
    relay.receive({ type: 'send', session: 7, data: new Uint8Array([1, 2, 3]) });
    relay.receive({ type: 'send', session: 7, data: new Uint8Array([4, 5]) });
    await tick();
    assert.deepEqual(types(webview.messages), ['open'], 'no ack before the write is done');
    server.releaseWrites();
    await until(() => webview.messages.length === 3, 'acks');
    assert.deepEqual(webview.messages.slice(1), [
      { type: 'ack', session: 7, bytes: 3 },
      { type: 'ack', session: 7, bytes: 5 },
    ]);
    assert.deepEqual([...Buffer.concat(server.written)], [1, 2, 3, 4, 5]);
    assert.equal(relay.stats.bytesToServer, 5);
    await relay.dispose();
  });

  test('a server that stops reading: the backlog stays bounded, then the session fails with the reason', async () => {
    const { webview, relay, server, handle } = setup({ relay: { serverBacklogLimit: MiB } });
    await relay.connect(handle);
    server.holdWrites = true;
    const chunk = new Uint8Array(64 * KiB);
    // A webview that ignores its credit keeps sending.
    for (let index = 0; index < 1000 && relay.status === 'open'; index++) relay.receive({ type: 'send', session: 7, data: chunk });
    const closed = await relay.closed;
    assert.equal(closed.cause, 'server-stalled');
    assert.equal(closed.reason, 'The server stopped reading: more than 1 MiB waited to be sent to it.');
    assert.ok(relay.stats.maxServerBacklog <= MiB + chunk.length, `backlog ${relay.stats.maxServerBacklog}`);
    assert.ok(relay.stats.bytesFromWebview <= MiB + 2 * chunk.length);
    assert.deepEqual(closedMessages(webview), [{ type: 'closed', session: 7, reason: closed.reason }]);
    assert.equal(handle.closes, 1);
  });

  test('data before open, or something other than bytes, is a protocol error', async () => {
    const early = setup();
    const opening = new Promise<RelayStream>(() => undefined);
    void early.relay.connect(opening);
    early.relay.receive({ type: 'send', session: 7, data: new Uint8Array([1]) });
    assert.equal(early.relay.closeInfo?.cause, 'protocol');
    assert.equal(early.relay.closeInfo?.reason, 'The console sent data before the connection was open.');

    const wrong = setup();
    await wrong.relay.connect(wrong.handle);
    wrong.relay.receive({ type: 'send', session: 7, data: 'text' as unknown as Uint8Array });
    assert.equal((await wrong.relay.closed).cause, 'protocol');
    assert.equal(wrong.server.written.length, 0);
  });

  test('an ArrayBuffer is taken as bytes too', async () => {
    const { relay, server, handle } = setup();
    await relay.connect(handle);
    relay.receive({ type: 'send', session: 7, data: new Uint8Array([9, 8]).buffer as unknown as Uint8Array });
    await until(() => relay.stats.bytesToServer === 2, 'written');
    assert.deepEqual([...server.written[0]], [9, 8]);
    await relay.dispose();
  });
});

describe('relay: close in every order', () => {
  test('the webview closes first: one closed, the stream ended once, later messages and data ignored', async () => {
    const { webview, relay, server, handle } = setup();
    await relay.connect(handle);
    assert.equal(relay.receive({ type: 'close', session: 7 }), true);
    const closed = await relay.closed;
    assert.deepEqual(closed, { cause: 'webview', reason: 'The console closed the connection.' });
    assert.equal(handle.closes, 1);
    relay.receive({ type: 'send', session: 7, data: new Uint8Array([1]) });
    relay.receive({ type: 'close', session: 7 });
    server.push(Buffer.from('late'));
    await relay.dispose();
    await tick();
    assert.equal(handle.closes, 1);
    assert.deepEqual(types(webview.messages), ['open', 'closed']);
    assert.equal(server.written.length, 0);
  });

  test('the server closes first: closed with the reason, the stream ended once, a later dispose changes nothing', async () => {
    const { webview, relay, server, handle } = setup();
    await relay.connect(handle);
    server.push(Buffer.from('bye'));
    server.push(null);
    const closed = await relay.closed;
    assert.deepEqual(closed, { cause: 'server', reason: 'The server closed the connection.' });
    assert.equal(webview.received, 3, 'the last bytes arrived before the end');
    await relay.dispose();
    assert.equal(handle.closes, 1);
    assert.deepEqual(closedMessages(webview), [{ type: 'closed', session: 7, reason: 'The server closed the connection.' }]);
  });

  test('a stream error ends the session with its words (the runner\'s XlError as it is, a reset in plain words)', async () => {
    const runnerError = setup();
    await runnerError.relay.connect(runnerError.handle);
    runnerError.server.destroy(new XlError('failed', 'root@dom0 could not connect to 127.0.0.1:5901: connect failed: Connection refused.'));
    assert.deepEqual(await runnerError.relay.closed, { cause: 'error', reason: 'root@dom0 could not connect to 127.0.0.1:5901: connect failed: Connection refused.' });
    assert.equal(runnerError.handle.closes, 1);

    const reset = setup();
    await reset.relay.connect(reset.handle);
    reset.server.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    assert.deepEqual(await reset.relay.closed, { cause: 'error', reason: 'The connection was reset by the server.' });
    assert.deepEqual(closedMessages(reset.webview), [{ type: 'closed', session: 7, reason: 'The connection was reset by the server.' }]);
    assert.equal(describeStreamError('odd'), 'The connection failed: odd');
  });

  test('the stream is destroyed by someone else: the session ends once', async () => {
    const { webview, relay, server, handle } = setup();
    await relay.connect(handle);
    server.destroy();
    assert.equal((await relay.closed).cause, 'server');
    assert.equal(closedMessages(webview).length, 1);
    assert.equal(handle.closes, 1);
  });

  test('disposed while connecting: nothing is posted, the stream is ended once when it arrives', async () => {
    const { webview, relay, handle } = setup();
    let arrive!: (stream: RelayStream) => void;
    const connecting = relay.connect(new Promise<RelayStream>((resolve) => (arrive = resolve)));
    assert.equal(relay.status, 'connecting');
    const disposed = relay.dispose('Panel closed.');
    arrive(handle);
    await connecting;
    assert.deepEqual(await disposed, { cause: 'host', reason: 'Panel closed.' });
    assert.equal(handle.closes, 1);
    assert.deepEqual(webview.messages, []);
  });

  test('disposed while connecting, and the connection then fails: the session is over, nothing to end', async () => {
    const { webview, relay } = setup();
    let fail!: (error: Error) => void;
    const connecting = relay.connect(new Promise<RelayStream>((_resolve, reject) => (fail = reject)));
    const disposed = relay.dispose();
    fail(new XlError('failed', 'Could not connect to 127.0.0.1:5901: connection refused (nothing is listening there).'));
    await connecting;
    assert.equal((await disposed).cause, 'host');
    assert.deepEqual(webview.messages, []);
  });

  test('the webview closes while connecting: one closed, no open, the stream ended once when it arrives', async () => {
    const { webview, relay, handle } = setup();
    let arrive!: (stream: RelayStream) => void;
    const connecting = relay.connect(new Promise<RelayStream>((resolve) => (arrive = resolve)));
    relay.receive({ type: 'close', session: 7 });
    arrive(handle);
    await connecting;
    assert.equal((await relay.closed).cause, 'webview');
    assert.deepEqual(types(webview.messages), ['closed']);
    assert.equal(handle.closes, 1);
  });

  test('the connection cannot be opened: closed with the runner\'s reason', async () => {
    const { webview, relay } = setup();
    await relay.connect(Promise.reject(new XlError('timeout', 'No answer from 127.0.0.1:5901 within 20 s.')));
    assert.deepEqual(await relay.closed, { cause: 'open-failed', reason: 'No answer from 127.0.0.1:5901 within 20 s.' });
    assert.deepEqual(webview.messages, [{ type: 'closed', session: 7, reason: 'No answer from 127.0.0.1:5901 within 20 s.' }]);
  });

  test('disposed before connect: settled at once; a stream connected afterwards is ended once', async () => {
    const { webview, relay, handle } = setup();
    assert.equal((await relay.dispose()).cause, 'host');
    await relay.connect(handle);
    assert.equal(handle.closes, 1);
    assert.deepEqual(webview.messages, []);
    await assert.rejects(relay.connect(handle), /called twice/);
  });

  test('a post that throws (the webview is gone) ends the session without more posts', async () => {
    const server = new FakeServer();
    const handle = handleOf(server);
    let posts = 0;
    const relay = new Relay({
      session: 1,
      post: (message) => {
        posts++;
        if (message.type === 'data') throw new Error('Webview is disposed');
      },
    });
    await relay.connect(handle);
    server.push(Buffer.from('x'));
    assert.deepEqual(await relay.closed, { cause: 'host', reason: 'The console could not be reached: Webview is disposed' });
    assert.equal(posts, 2, 'open, then the data that threw');
    assert.equal(handle.closes, 1);
  });

  test('without a close function the stream is destroyed', async () => {
    const { relay, server } = setup();
    await relay.connect({ stream: server });
    await relay.dispose();
    assert.equal(server.destroyed, true);
  });
});

describe('relay: sessions', () => {
  test('messages of another session are ignored and counted; other message types are not the relay\'s', async () => {
    const { webview, relay, server, handle } = setup({ session: 8 });
    await relay.connect(handle);
    assert.equal(relay.receive({ type: 'send', session: 7, data: new Uint8Array([1]) }), true);
    assert.equal(relay.receive({ type: 'ack', session: 7, bytes: 1000 }), true);
    assert.equal(relay.receive({ type: 'close', session: 7 }), true);
    assert.equal(relay.stats.staleMessages, 3);
    assert.equal(relay.status, 'open');
    assert.equal(server.written.length, 0);
    assert.equal(relay.receive({ type: 'ready' }), false);
    assert.equal(relay.receive({ type: 'credentials', session: 8 }), false);
    assert.equal(relay.receive({ type: 'connected', session: 8, width: 1, height: 1, name: 'x' }), false);
    assert.deepEqual(types(webview.messages), ['open']);
    await relay.dispose();
  });
});

describe('relay over real connections', () => {
  test('64 MiB from a TCP server to a webview that acks in bursts: bounded, in order, complete', async () => {
    const total = 64 * MiB;
    const source = pattern(total, 99);
    const digest = createHash('sha256').update(source).digest('hex');
    let serverSocket: net.Socket | undefined;
    const server = net.createServer((socket) => {
      serverSocket = socket;
      socket.on('error', () => undefined);
      socket.end(source);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const webview = new FakeWebview(3, { autoAck: false });
      const relay = new Relay({ session: 3, post: webview.post });
      webview.attach(relay);
      const hash = createHash('sha256');
      webview.channel.on('data', (chunk: Buffer) => hash.update(chunk));
      let worst = 0;
      webview.onMessage = () => (worst = Math.max(worst, webview.received - webview.acked));
      const opened = await openStream({ target: { kind: 'local' } }, { address: '127.0.0.1', port });
      await relay.connect(opened);
      // The webview acks only once the relay has paused, so every burst runs into the high-water mark.
      await until(() => relay.stats.pauses === 1, 'first pause');
      // While paused, the socket stops reading: the server's own buffer backs up, not ours.
      await until(() => (serverSocket?.writableLength ?? 0) > 0 && opened.stream.readableLength >= opened.stream.readableHighWaterMark, 'source backed up');
      assert.ok(opened.stream.readableLength <= opened.stream.readableHighWaterMark + 64 * KiB);
      while (relay.status === 'open') {
        await until(() => relay.stats.pauses > relay.stats.resumes || relay.status !== 'open', 'paused or ended');
        webview.ackAll();
      }
      webview.ackAll();
      assert.equal((await relay.closed).cause, 'server');
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(webview.received, total);
      assert.equal(hash.digest('hex'), digest);
      assert.ok(worst <= 2 * MiB + 256 * KiB, `unacked reached ${worst}`);
      assert.ok(relay.stats.pauses >= 20, `pauses ${relay.stats.pauses}`);
    } finally {
      server.close();
    }
  });

  test('disposing the relay ends the ssh process of the stream (pid gone)', async () => {
    const fakeSsh = path.resolve('test/fixtures/fake-ssh-forward/ssh');
    chmodSync(fakeSsh, 0o755);
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('RFB 003.008\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const webview = new FakeWebview(1);
      const relay = new Relay({ session: 1, post: webview.post });
      webview.attach(relay);
      const opened = await openStream({ target: { kind: 'ssh', destination: 'root@dom0', controlDir: '/tmp' }, sshPath: fakeSsh }, { address: '127.0.0.1', port }, { serverSpeaksFirst: true });
      await relay.connect(opened);
      await until(() => webview.received === 12, 'the version arrived');
      const pid = opened.pid!;
      assert.equal(alive(pid), true);
      await relay.dispose();
      assert.equal(alive(pid), false);
    } finally {
      server.close();
    }
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
