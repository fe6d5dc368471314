// The console webview's WebSocket look-alike over postMessage: what noVNC needs of it, the ready
// states, acknowledgements both ways, the outgoing window and queue cap, and closing in every order.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WebviewToHost } from '../../../client/src/console/protocol';
import { CLOSED, CLOSING, CONNECTING, OPEN, PostMessageChannel, type ChannelCloseEvent, type ChannelOptions } from '../../../client/src/console/webview/channel';

/** A channel whose posts are collected, with its events recorded in order. */
function harness(options?: ChannelOptions) {
  const posted: WebviewToHost[] = [];
  const events: string[] = [];
  const received: number[][] = [];
  const closes: ChannelCloseEvent[] = [];
  const channel = new PostMessageChannel(7, (message) => posted.push(message), options);
  channel.onopen = () => events.push('open');
  channel.onmessage = (event) => {
    events.push('message');
    received.push([...new Uint8Array(event.data)]);
  };
  channel.onerror = (event) => events.push(`error: ${event.message}`);
  channel.onclose = (event) => {
    events.push('close');
    closes.push(event);
  };
  const sends = () => posted.filter((m): m is Extract<WebviewToHost, { type: 'send' }> => m.type === 'send');
  const acks = () => posted.filter((m) => m.type === 'ack').map((m) => (m as { bytes: number }).bytes);
  return { channel, posted, events, received, closes, sends, acks };
}

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PostMessageChannel: the shape noVNC checks', () => {
  test('every property noVNC requires is an own property or on the class prototype', () => {
    const { channel } = harness();
    const names = [...Object.keys(channel), ...Object.getOwnPropertyNames(Object.getPrototypeOf(channel))];
    for (const name of ['send', 'close', 'binaryType', 'onerror', 'onmessage', 'onopen', 'protocol', 'readyState']) {
      assert.ok(names.includes(name), name);
    }
    assert.equal(channel.protocol, '');
    assert.equal(channel.binaryType, 'arraybuffer');
    assert.equal(channel.readyState, CONNECTING);
  });
  test('window sizes must be positive integers', () => {
    assert.throws(() => new PostMessageChannel(1, () => {}, { windowBytes: 0 }), /windowBytes/);
    assert.throws(() => new PostMessageChannel(1, () => {}, { maxQueuedBytes: 1.5 }), /maxQueuedBytes/);
    assert.throws(() => new PostMessageChannel(1, () => {}, { chunkBytes: -1 }), /chunkBytes/);
  });
});

describe('PostMessageChannel: incoming bytes', () => {
  test('open, then data reaches onmessage as an ArrayBuffer and is acknowledged cumulatively', () => {
    const h = harness();
    h.channel.handleOpen();
    assert.equal(h.channel.readyState, OPEN);
    h.channel.handleData(new Uint8Array([1, 2, 3]));
    h.channel.handleData(new Uint8Array([4, 5]).buffer);
    assert.deepEqual(h.received, [[1, 2, 3], [4, 5]]);
    assert.deepEqual(h.acks(), [3, 5]);
    assert.deepEqual(h.events, ['open', 'message', 'message']);
    assert.equal(h.channel.stats.received, 5);
    for (const message of h.posted) assert.equal((message as { session?: number }).session, 7);
  });
  test('a view into a larger buffer is delivered as exactly its own bytes', () => {
    const h = harness();
    h.channel.handleOpen();
    const big = new Uint8Array([9, 9, 1, 2, 3, 9]);
    let delivered: ArrayBuffer | undefined;
    h.channel.onmessage = (event) => (delivered = event.data);
    h.channel.handleData(big.subarray(2, 5));
    assert.deepEqual([...new Uint8Array(delivered!)], [1, 2, 3]);
    assert.deepEqual(h.acks(), [3]);
  });
  test('empty data is neither delivered nor acknowledged', () => {
    const h = harness();
    h.channel.handleOpen();
    h.channel.handleData(new Uint8Array(0));
    assert.deepEqual(h.events, ['open']);
    assert.deepEqual(h.acks(), []);
  });
  test('data before open fails the channel with a reason', async () => {
    const h = harness();
    h.channel.handleData(new Uint8Array([1]));
    assert.deepEqual(h.received, []);
    assert.match(h.events[0], /^error: .*data before opening/);
    assert.equal(h.channel.readyState, CLOSING);
    assert.deepEqual(h.posted, [{ type: 'close', session: 7 }]);
    await nextTurn();
    assert.equal(h.channel.readyState, CLOSED);
    assert.match(h.closes[0].reason, /data before opening/);
    assert.equal(h.closes[0].wasClean, false);
  });
  test('a throwing onmessage fails the channel and the bytes are not acknowledged', async () => {
    const h = harness();
    h.channel.handleOpen();
    h.channel.onmessage = () => {
      throw new Error('receive queue full');
    };
    h.channel.handleData(new Uint8Array([1, 2]));
    assert.deepEqual(h.acks(), []);
    await nextTurn();
    assert.equal(h.channel.readyState, CLOSED);
    assert.match(h.channel.closeReason!, /could not take the server's data: receive queue full/);
  });
  test('data that is not binary (a JSON array, a string) fails the channel instead of reaching noVNC', async () => {
    for (const data of [[1, 2, 3], 'abc', { 0: 1, length: 1 }]) {
      const h = harness();
      h.channel.handleOpen();
      h.channel.handleData(data as unknown as Uint8Array);
      assert.deepEqual(h.received, []);
      await nextTurn();
      assert.equal(h.channel.readyState, CLOSED);
      assert.match(h.channel.closeReason!, /not binary/);
    }
  });
  test('a second open is a protocol error', async () => {
    const h = harness();
    h.channel.handleOpen();
    h.channel.handleOpen();
    await nextTurn();
    assert.equal(h.channel.readyState, CLOSED);
    assert.match(h.channel.closeReason!, /opened the console channel twice/);
  });
});

describe('PostMessageChannel: outgoing bytes and flow control', () => {
  test('send before open throws, as a WebSocket does', () => {
    const h = harness();
    assert.throws(() => h.channel.send(new Uint8Array([1])), /not open yet/);
  });
  test('send copies the bytes: the caller may reuse its buffer at once', () => {
    const h = harness();
    h.channel.handleOpen();
    const buffer = new Uint8Array([1, 2, 3, 4]);
    h.channel.send(new Uint8Array(buffer.buffer, 0, 2));
    buffer.fill(0);
    const [send] = h.sends();
    assert.ok(send.data instanceof Uint8Array);
    assert.deepEqual([...send.data], [1, 2]);
    assert.equal(send.data.byteLength, send.data.buffer.byteLength, 'the posted array owns its whole buffer');
    h.channel.send(new Uint8Array([5]).buffer);
    assert.deepEqual([...h.sends()[1].data], [5]);
  });
  test('at most windowBytes stay unacknowledged; acks release the queue in order', () => {
    const h = harness({ windowBytes: 10, chunkBytes: 4 });
    h.channel.handleOpen();
    h.channel.send(new Uint8Array(Array.from({ length: 25 }, (_, i) => i)));
    // 10 bytes posted in chunks of at most 4, 15 queued.
    assert.deepEqual(h.sends().map((m) => m.data.length), [4, 4, 2]);
    assert.deepEqual(h.channel.stats, { received: 0, posted: 10, acked: 0, queued: 15 });
    h.channel.handleAck(4);
    assert.deepEqual(h.sends().map((m) => m.data.length), [4, 4, 2, 4]);
    h.channel.handleAck(14);
    h.channel.handleAck(24);
    assert.equal(h.channel.stats.queued, 0);
    const all = h.sends().flatMap((m) => [...m.data]);
    assert.deepEqual(all, Array.from({ length: 25 }, (_, i) => i), 'bytes arrive whole and in order');
    h.channel.handleAck(25);
    assert.deepEqual(h.channel.stats, { received: 0, posted: 25, acked: 25, queued: 0 });
  });
  test('a repeated ack is harmless; one that goes back or beyond what was sent fails the channel', async () => {
    const h = harness();
    h.channel.handleOpen();
    h.channel.send(new Uint8Array(8));
    h.channel.handleAck(8);
    h.channel.handleAck(8);
    assert.equal(h.channel.readyState, OPEN);
    h.channel.handleAck(9);
    await nextTurn();
    assert.equal(h.channel.readyState, CLOSED);
    assert.match(h.channel.closeReason!, /acknowledged 9 bytes of input, but 8 were acknowledged and 8 sent/);

    const back = harness();
    back.channel.handleOpen();
    back.channel.send(new Uint8Array(8));
    back.channel.handleAck(6);
    back.channel.handleAck(5);
    await nextTurn();
    assert.equal(back.channel.readyState, CLOSED);
  });
  test('a host that stops acknowledging: the queue is capped and the channel fails with a clear reason', async () => {
    const h = harness({ windowBytes: 4, maxQueuedBytes: 10 });
    h.channel.handleOpen();
    h.channel.send(new Uint8Array(4)); // posted
    h.channel.send(new Uint8Array(6)); // queued: 6
    h.channel.send(new Uint8Array(4)); // queued: 10, the cap
    assert.equal(h.channel.readyState, OPEN);
    assert.equal(h.channel.stats.queued, 10);
    h.channel.send(new Uint8Array(1)); // one more byte: fails
    assert.equal(h.channel.readyState, CLOSING);
    assert.equal(h.channel.stats.queued, 0, 'the queue is dropped');
    assert.match(h.events.find((e) => e.startsWith('error'))!, /stopped taking the console's input \(4 bytes unacknowledged, 11 queued\)/);
    assert.equal(h.posted.at(-1)!.type, 'close');
    await nextTurn();
    assert.equal(h.channel.readyState, CLOSED);
    assert.equal(h.closes.length, 1);
    // Sending after the failure does nothing.
    h.channel.send(new Uint8Array(1));
    assert.equal(h.sends().length, 1);
  });
});

describe('PostMessageChannel: closing in every order', () => {
  test('close() tells the host once and reports close on the next turn, not inside the call', async () => {
    const h = harness();
    h.channel.handleOpen();
    h.channel.close();
    assert.equal(h.channel.readyState, CLOSING);
    assert.deepEqual(h.events, ['open'], 'no close event during close()');
    h.channel.close();
    await nextTurn();
    assert.equal(h.channel.readyState, CLOSED);
    assert.deepEqual(h.events, ['open', 'close']);
    assert.equal(h.posted.filter((m) => m.type === 'close').length, 1);
    assert.equal(h.closes[0].wasClean, true);
    assert.equal(h.closes[0].code, 1000);
    assert.equal(h.channel.closeReason, undefined);
  });
  test('the host closes while open: close with its reason, no close message back', () => {
    const h = harness();
    h.channel.handleOpen();
    h.channel.handleClosed('the VNC server closed the connection');
    assert.equal(h.channel.readyState, CLOSED);
    assert.deepEqual(h.events, ['open', 'close']);
    assert.equal(h.closes[0].reason, 'the VNC server closed the connection');
    assert.equal(h.closes[0].code, 1006);
    assert.equal(h.posted.filter((m) => m.type === 'close').length, 0);
  });
  test('the host closes before open (connection refused)', () => {
    const h = harness();
    h.channel.handleClosed('connection refused');
    assert.equal(h.channel.readyState, CLOSED);
    assert.deepEqual(h.events, ['close']);
    assert.equal(h.channel.closeReason, 'connection refused');
  });
  test('we close, then the host confirms: one close event, at once', () => {
    const h = harness();
    h.channel.handleOpen();
    h.channel.close();
    h.channel.handleClosed();
    assert.equal(h.channel.readyState, CLOSED);
    assert.deepEqual(h.events, ['open', 'close']);
    assert.equal(h.closes[0].wasClean, true);
  });
  test('close before open, then a late open: nothing opens', async () => {
    const h = harness();
    h.channel.close();
    h.channel.handleOpen();
    h.channel.handleData(new Uint8Array([1]));
    await nextTurn();
    assert.deepEqual(h.events, ['close']);
    assert.deepEqual(h.acks(), []);
  });
  test('after close, data, acks and a second closed are ignored', async () => {
    const h = harness();
    h.channel.handleOpen();
    h.channel.send(new Uint8Array(3));
    h.channel.handleClosed('gone');
    h.channel.handleData(new Uint8Array([1]));
    h.channel.handleAck(99);
    h.channel.handleClosed('again');
    await nextTurn();
    assert.deepEqual(h.events, ['open', 'close']);
    assert.equal(h.channel.closeReason, 'gone');
  });
  test('data arriving while our close is pending is dropped, not acknowledged', async () => {
    const h = harness();
    h.channel.handleOpen();
    h.channel.close();
    h.channel.handleData(new Uint8Array([1, 2]));
    assert.deepEqual(h.received, []);
    assert.deepEqual(h.acks(), []);
    await nextTurn();
    assert.equal(h.channel.readyState, CLOSED);
  });
});
