// The console's transport inside the webview: an object shaped like a WebSocket, which noVNC's RFB
// accepts in place of a real socket, whose bytes travel over the webview's postMessage instead of
// a network connection (protocol.ts has the messages).
//
// noVNC checks that the object has `send`, `close`, `binaryType`, `readyState`, `protocol` and the
// four `on…` handlers, either as the object's own properties or on its class's prototype; so this
// is one class, not a subclass of anything, and the handlers are fields.
//
// Flow control. Incoming: after each `data` message has been handed to noVNC, the channel posts
// `ack` with the running total of bytes received, and the host reads no further from the server
// while too much is unacknowledged. Outgoing: the channel posts at most `windowBytes` that the host
// has not acknowledged yet; more waits in a queue, and a queue that grows past `maxQueuedBytes`
// (a host that has stopped reading) fails the channel with a reason instead of growing for ever.
//
// No DOM types: the same file is unit tested under Node.

import type { WebviewToHost } from '../protocol';

/** WebSocket's numeric ready states, which noVNC compares against. */
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;
export type ReadyState = typeof CONNECTING | typeof OPEN | typeof CLOSING | typeof CLOSED;

/** What `onmessage` receives: noVNC reads `data` only. */
export interface ChannelMessageEvent {
  readonly type: 'message';
  readonly data: ArrayBuffer;
}

/** What `onclose` receives: noVNC reads `code` and `reason`. */
export interface ChannelCloseEvent {
  readonly type: 'close';
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

export interface ChannelEvent {
  readonly type: 'open' | 'error';
  /** For `error`: what went wrong. */
  readonly message?: string;
}

export interface ChannelOptions {
  /** Bytes posted to the host that it may leave unacknowledged before the rest waits. Default 256 KiB. */
  windowBytes?: number;
  /** Bytes the outgoing queue may hold; one more fails the channel. Default 8 MiB. */
  maxQueuedBytes?: number;
  /** Largest `send` message posted. Default 64 KiB. */
  chunkBytes?: number;
}

/** Close codes as WebSocket uses them: a close we asked for, and one we did not. */
const NORMAL_CLOSURE = 1000;
const ABNORMAL_CLOSURE = 1006;

export class PostMessageChannel {
  /** Set by noVNC to "arraybuffer"; `onmessage` always delivers ArrayBuffers. */
  binaryType = 'arraybuffer';
  /** No sub-protocol: the stream is raw RFB. */
  readonly protocol = '';
  onopen: ((event: ChannelEvent) => void) | null = null;
  onmessage: ((event: ChannelMessageEvent) => void) | null = null;
  onclose: ((event: ChannelCloseEvent) => void) | null = null;
  onerror: ((event: ChannelEvent) => void) | null = null;

  private state: ReadyState = CONNECTING;
  private reason: string | undefined;
  private closePosted = false;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  private received = 0;
  private posted = 0;
  private acked = 0;
  private readonly queue: Uint8Array[] = [];
  private queued = 0;

  private readonly windowBytes: number;
  private readonly maxQueuedBytes: number;
  private readonly chunkBytes: number;

  constructor(
    readonly session: number,
    private readonly post: (message: WebviewToHost) => void,
    options: ChannelOptions = {},
  ) {
    this.windowBytes = positive(options.windowBytes ?? 256 * 1024, 'windowBytes');
    this.maxQueuedBytes = positive(options.maxQueuedBytes ?? 8 * 1024 * 1024, 'maxQueuedBytes');
    this.chunkBytes = positive(options.chunkBytes ?? 64 * 1024, 'chunkBytes');
  }

  get readyState(): ReadyState {
    return this.state;
  }

  /** Why the channel closed (the host's reason, or the failure that closed it); undefined while open or after a plain close. */
  get closeReason(): string | undefined {
    return this.reason;
  }

  /** Counters, for the view's state and tests. */
  get stats(): { received: number; posted: number; acked: number; queued: number } {
    return { received: this.received, posted: this.posted, acked: this.acked, queued: this.queued };
  }

  /**
   * Queues bytes for the server. They are copied at once (noVNC reuses its buffer after the call)
   * and posted as binary, as far as the window allows.
   */
  send(data: ArrayBufferLike | ArrayBufferView): void {
    if (this.state === CONNECTING) throw new Error('The console channel is not open yet');
    if (this.state !== OPEN) return; // like a WebSocket: bytes sent while closing are dropped
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice() : new Uint8Array(data).slice();
    if (bytes.length === 0) return;
    if (this.queued + bytes.length > this.maxQueuedBytes) {
      this.fail(`the extension host stopped taking the console's input (${this.posted - this.acked} bytes unacknowledged, ${this.queued + bytes.length} queued)`);
      return;
    }
    this.queue.push(bytes);
    this.queued += bytes.length;
    this.pump();
  }

  /** Closes the channel from this side: tells the host, and reports `close` to noVNC right after. */
  close(): void {
    if (this.state === CLOSING || this.state === CLOSED) return;
    this.beginClose(NORMAL_CLOSURE, undefined, true);
  }

  // ---- messages from the extension host (main.ts routes those of this session here) ----

  /** The host's transport is connected. */
  handleOpen(): void {
    if (this.state === CONNECTING) {
      this.state = OPEN;
      this.onopen?.({ type: 'open' });
    } else if (this.state === OPEN) {
      this.fail('the extension host opened the console channel twice');
    }
    // Closing or closed: the open came after our close; nothing to do.
  }

  /** Bytes from the server: handed to noVNC, then acknowledged. */
  handleData(data: Uint8Array | ArrayBuffer): void {
    if (this.state === CLOSING || this.state === CLOSED) return;
    if (this.state === CONNECTING) {
      this.fail('the extension host sent data before opening the console channel');
      return;
    }
    if (!(data instanceof ArrayBuffer) && !(data instanceof Uint8Array)) {
      // E.g. a JSON array from a host that does not transfer binary: noVNC would misread it.
      this.fail(`the extension host sent console data that is not binary (${Object.prototype.toString.call(data)})`);
      return;
    }
    const buffer = ownBuffer(data);
    if (buffer.byteLength === 0) return;
    try {
      this.onmessage?.({ type: 'message', data: buffer });
    } catch (error) {
      // noVNC threw while taking the bytes (a malformed stream, or its receive buffer is full):
      // the session cannot go on. The reason goes to the status line.
      this.fail(`the viewer could not take the server's data: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.received += buffer.byteLength;
    if (this.state === OPEN) this.post({ type: 'ack', session: this.session, bytes: this.received });
  }

  /** The host wrote our bytes up to `bytes` (cumulative) to the server. */
  handleAck(bytes: number): void {
    if (this.state === CLOSED) return;
    if (!Number.isSafeInteger(bytes) || bytes < this.acked || bytes > this.posted) {
      this.fail(`the extension host acknowledged ${bytes} bytes of input, but ${this.acked} were acknowledged and ${this.posted} sent`);
      return;
    }
    this.acked = bytes;
    this.pump();
  }

  /** The host's transport ended. */
  handleClosed(reason?: string): void {
    if (this.state === CLOSED) return;
    const asked = this.state === CLOSING;
    if (reason !== undefined && this.reason === undefined) this.reason = reason;
    this.closePosted = true; // the host knows
    this.finish(asked ? NORMAL_CLOSURE : ABNORMAL_CLOSURE, asked);
  }

  // ---- internals ----

  /** Posts queued bytes while the window has room, in chunks of at most `chunkBytes`. */
  private pump(): void {
    while (this.state === OPEN && this.queue.length > 0) {
      const room = this.windowBytes - (this.posted - this.acked);
      if (room <= 0) return;
      const head = this.queue[0];
      const size = Math.min(head.length, room, this.chunkBytes);
      const chunk = size === head.length ? head : head.slice(0, size);
      if (size === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(size);
      this.queued -= size;
      this.posted += size;
      this.post({ type: 'send', session: this.session, data: ownView(chunk) });
    }
  }

  /** Fails the channel: `error`, then `close` with the reason. */
  private fail(reason: string): void {
    if (this.state === CLOSED) return;
    if (this.reason === undefined) this.reason = reason;
    this.onerror?.({ type: 'error', message: reason });
    this.beginClose(ABNORMAL_CLOSURE, reason, false);
  }

  /**
   * Tells the host (once) and reports `close` on the next turn of the event loop: noVNC may be in
   * the middle of a call into the channel (`send` from its flush, `close` from its disconnect) and
   * expects the event afterwards, as from a real socket.
   */
  private beginClose(code: number, reason: string | undefined, wasClean: boolean): void {
    if (reason !== undefined && this.reason === undefined) this.reason = reason;
    this.state = CLOSING;
    this.dropQueue();
    if (!this.closePosted) {
      this.closePosted = true;
      this.post({ type: 'close', session: this.session });
    }
    if (this.closeTimer === undefined) this.closeTimer = setTimeout(() => this.finish(code, wasClean), 0);
  }

  private finish(code: number, wasClean: boolean): void {
    if (this.state === CLOSED) return;
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    this.state = CLOSED;
    this.dropQueue();
    this.onclose?.({ type: 'close', code, reason: this.reason ?? '', wasClean });
  }

  private dropQueue(): void {
    this.queue.length = 0;
    this.queued = 0;
  }
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, not ${value}`);
  return value;
}

/** An ArrayBuffer holding exactly these bytes (the data's own buffer when it has no other bytes). */
function ownBuffer(data: Uint8Array | ArrayBuffer): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) return data.buffer;
  return data.slice().buffer;
}

/**
 * A Uint8Array that owns its whole buffer: structured cloning copies a view's entire buffer, so a
 * small view of a large buffer would carry the large buffer across.
 */
function ownView(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}
