// The extension host's half of a graphical console's transport: joins the byte stream to a VNC
// server (a Duplex from the runner's openStream) to the webview's messages (protocol.ts), with
// flow control both ways so that neither a slow webview nor a server that stops reading makes
// the extension host buffer without bound. Pure: no `vscode` import; the caller hands it a `post`
// function and passes it the webview's messages.
//
// One Relay is one session. The caller posts `session` itself (it knows the guest and the host),
// then the relay posts `open` once the stream is there, `data` and `ack` while it runs, and one
// `closed` at the end, unless the caller ended it with dispose().

import type { Duplex } from 'node:stream';
import type { HostToWebview, WebviewToHost } from './protocol';

/** What the relay runs over: a stream, and how to end it (openStream's `close`; else the stream is destroyed). */
export interface RelayStream {
  stream: Duplex;
  close?: () => Promise<void>;
}

export interface RelayOptions {
  session: number;
  /** Posts one message to the webview. If it throws, the session ends (the webview is gone). */
  post: (message: HostToWebview) => void;
  /** Stop reading the server while more than this many posted bytes wait for the webview's ack (default 2 MiB). */
  highWaterMark?: number;
  /** Read the server again once the bytes waiting for an ack are down to this (default 1 MiB). */
  lowWaterMark?: number;
  /** The largest `data` message (default 256 KiB). */
  maxChunk?: number;
  /** Fail the session when more than this many bytes wait to be written to the server (default 4 MiB). */
  serverBacklogLimit?: number;
  /**
   * Record, per `data` message, when it was posted and when the webview's ack covered it (see
   * RelayChunkTiming), with this clock (ms). Off unless given: the extension's tests and the
   * benchmark turn it on. Bounded: see RELAY_TIMING_CAPACITY.
   */
  clock?: () => number;
}

/** One `data` message: when it was posted, and when the webview's cumulative ack passed its end. */
export interface RelayChunkTiming {
  /** Its size, and the count of bytes posted up to and including it. */
  bytes: number;
  end: number;
  /** Bytes posted before it and not yet acknowledged when it was posted (0: the webview had taken everything). */
  unackedBefore: number;
  postedAt: number;
  ackedAt: number;
}

/**
 * How many chunk timings the relay keeps: the latest acked ones, and as many waiting for their
 * ack (chunks posted while that many wait are not timed, and counted in `untimedChunks`).
 */
export const RELAY_TIMING_CAPACITY = 4096;

export const RELAY_HIGH_WATER_MARK = 2 * 1024 * 1024;
export const RELAY_LOW_WATER_MARK = 1024 * 1024;
export const RELAY_MAX_CHUNK = 256 * 1024;
export const RELAY_SERVER_BACKLOG_LIMIT = 4 * 1024 * 1024;

/** Who or what ended a session. */
export type RelayCloseCause =
  /** The webview sent `close`. */
  | 'webview'
  /** The server closed its end (or the transport closed without an error). */
  | 'server'
  /** The transport failed (connection reset, ssh exited with an error). */
  | 'error'
  /** The stream could not be opened. */
  | 'open-failed'
  /** The server stopped reading and too much waited for it. */
  | 'server-stalled'
  /** The webview broke the protocol (data before `open`, an impossible ack, not bytes). */
  | 'protocol'
  /** The extension host ended it: dispose(), or a post that threw. */
  | 'host';

export interface RelayClosed {
  cause: RelayCloseCause;
  /** For the status line: says why, never contains data from the stream. */
  reason: string;
}

export interface RelayStats {
  /** Bytes posted to the webview. */
  bytesToWebview: number;
  /** `data` messages posted. */
  messagesToWebview: number;
  /** Of those, how many had to be copied out of a larger buffer. */
  copiedChunks: number;
  /** Bytes the webview sent, and how many of them were written to the server (and acked). */
  bytesFromWebview: number;
  bytesToServer: number;
  /** The most bytes posted but not yet acked by the webview. */
  maxUnacked: number;
  /** How often reading the server was paused for the webview, and resumed. */
  pauses: number;
  resumes: number;
  /** The most bytes that waited to be written to the server. */
  maxServerBacklog: number;
  /** Messages of another session (an older one), ignored. */
  staleMessages: number;
  /** With a clock: chunks posted while RELAY_TIMING_CAPACITY timings waited for their ack, not timed. */
  untimedChunks: number;
}

type State = 'idle' | 'connecting' | 'open' | 'closed';

export class Relay {
  readonly session: number;
  readonly stats: RelayStats = {
    bytesToWebview: 0,
    messagesToWebview: 0,
    copiedChunks: 0,
    bytesFromWebview: 0,
    bytesToServer: 0,
    maxUnacked: 0,
    pauses: 0,
    resumes: 0,
    maxServerBacklog: 0,
    staleMessages: 0,
    untimedChunks: 0,
  };
  /** Resolves once the session has ended and its stream has been ended (closed exactly once). */
  readonly closed: Promise<RelayClosed>;

  private readonly post: (message: HostToWebview) => void;
  private readonly highWaterMark: number;
  private readonly lowWaterMark: number;
  private readonly maxChunk: number;
  private readonly serverBacklogLimit: number;
  private state: State = 'idle';
  private connecting: 'not-called' | 'waiting' | 'done' = 'not-called';
  private handle: RelayStream | undefined;
  private outcome: RelayClosed | undefined;
  private streamEnded = false;
  private resolveClosed!: (closed: RelayClosed) => void;
  /** Bytes posted to, and acked by, the webview. */
  private posted = 0;
  private acked = 0;
  private paused = false;
  /** Bytes the webview sent, and how many of them have been written to the server. */
  private received = 0;
  private written = 0;
  private readonly listeners: { event: string; listener: (...args: never[]) => void }[] = [];
  private readonly clock: (() => number) | undefined;
  /** Timings of posted chunks that wait for their ack, oldest first (at most RELAY_TIMING_CAPACITY). */
  private readonly unackedTimings: Omit<RelayChunkTiming, 'ackedAt'>[] = [];
  /** The latest acked timings: a ring of RELAY_TIMING_CAPACITY, `timingCount` written so far. */
  private readonly ackedTimings: RelayChunkTiming[] = [];
  private timingCount = 0;

  constructor(options: RelayOptions) {
    this.session = options.session;
    this.post = options.post;
    this.highWaterMark = options.highWaterMark ?? RELAY_HIGH_WATER_MARK;
    this.lowWaterMark = Math.min(options.lowWaterMark ?? RELAY_LOW_WATER_MARK, this.highWaterMark);
    this.maxChunk = Math.max(1, options.maxChunk ?? RELAY_MAX_CHUNK);
    this.serverBacklogLimit = options.serverBacklogLimit ?? RELAY_SERVER_BACKLOG_LIMIT;
    this.clock = options.clock;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** 'idle' before connect(), then 'connecting', 'open', 'closed'. */
  get status(): State {
    return this.state;
  }

  /** Why the session ended, once it has. */
  get closeInfo(): RelayClosed | undefined {
    return this.outcome;
  }

  /** The latest acked chunk timings, oldest first (empty without a clock). */
  chunkTimings(): RelayChunkTiming[] {
    const ring = this.ackedTimings;
    if (this.timingCount <= RELAY_TIMING_CAPACITY) return ring.slice(0, this.timingCount);
    const next = this.timingCount % RELAY_TIMING_CAPACITY;
    return [...ring.slice(next), ...ring.slice(0, next)];
  }

  /**
   * Runs the session over the stream that `opening` gives: posts `open` and starts relaying, or
   * posts `closed` with the reason when it cannot be opened. If the session ended meanwhile
   * (dispose, the webview's `close`), the stream is ended as soon as it arrives. Call once.
   */
  async connect(opening: Promise<RelayStream> | RelayStream): Promise<void> {
    if (this.connecting !== 'not-called') throw new Error('Relay.connect was called twice.');
    this.connecting = 'waiting';
    if (this.state === 'idle') this.state = 'connecting';
    let handle: RelayStream;
    try {
      handle = await opening;
    } catch (error) {
      this.connecting = 'done';
      this.end('open-failed', describeStreamError(error), true);
      // Also when the session had ended before: nothing to close, so it is over now.
      this.settle();
      return;
    }
    this.connecting = 'done';
    this.handle = handle;
    if (this.state === 'closed') {
      await this.endStream();
      return;
    }
    this.state = 'open';
    const { stream } = handle;
    this.listen(stream, 'data', (chunk: Buffer | string) => this.fromServer(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    this.listen(stream, 'end', () => this.end('server', 'The server closed the connection.', true));
    this.listen(stream, 'close', () => this.end('server', 'The connection closed.', true));
    this.listen(stream, 'error', (error: Error) => {
      // After the end of the session an error is part of tearing the stream down.
      if (this.state !== 'closed') this.end('error', describeStreamError(error), true);
    });
    if (!this.postOrEnd({ type: 'open', session: this.session })) return;
    // 'data' listeners start the flow; a stream paused before (by whoever opened it) flows now.
    if (this.state === 'open') stream.resume();
  }

  /**
   * Takes one message from the webview. Returns true for the relay's own messages (`send`,
   * `ack`, `close`), also when they belong to an older session and are ignored; false for the
   * others, which are the caller's business.
   */
  receive(message: WebviewToHost): boolean {
    if (message.type !== 'send' && message.type !== 'ack' && message.type !== 'close') return false;
    if (message.session !== this.session) {
      this.stats.staleMessages++;
      return true;
    }
    if (this.state === 'closed') return true;
    switch (message.type) {
      case 'close':
        this.end('webview', 'The console closed the connection.', true);
        return true;
      case 'ack':
        this.onAck(message.bytes);
        return true;
      case 'send':
        this.toServer(message.data);
        return true;
    }
  }

  /** Ends the session from the extension host (panel closed, reconnect): no `closed` is posted. */
  dispose(reason = 'The console was closed.'): Promise<RelayClosed> {
    this.end('host', reason, false);
    return this.closed;
  }

  // --- server → webview ---

  private fromServer(chunk: Buffer): void {
    for (let offset = 0; offset < chunk.length && this.state === 'open'; offset += this.maxChunk) {
      const piece = chunk.subarray(offset, offset + this.maxChunk);
      // A view of part of a larger buffer would carry the whole buffer across postMessage.
      const whole = piece.byteOffset === 0 && piece.byteLength === piece.buffer.byteLength;
      const data = whole ? new Uint8Array(piece.buffer, 0, piece.byteLength) : new Uint8Array(piece);
      if (!whole) this.stats.copiedChunks++;
      if (this.clock !== undefined) this.timePosted(data.byteLength);
      this.posted += data.byteLength;
      this.stats.bytesToWebview += data.byteLength;
      this.stats.messagesToWebview++;
      if (!this.postOrEnd({ type: 'data', session: this.session, data })) return;
    }
    const unacked = this.posted - this.acked;
    if (unacked > this.stats.maxUnacked) this.stats.maxUnacked = unacked;
    if (this.state === 'open' && !this.paused && unacked > this.highWaterMark) {
      this.paused = true;
      this.stats.pauses++;
      this.handle?.stream.pause();
    }
  }

  private onAck(bytes: unknown): void {
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < this.acked || bytes > this.posted) {
      this.end('protocol', `The console acknowledged ${JSON.stringify(bytes)} bytes, but ${this.posted} were sent and ${this.acked} acknowledged.`, true);
      return;
    }
    this.acked = bytes;
    if (this.clock !== undefined && this.unackedTimings.length > 0) this.timeAcked();
    if (this.paused && this.posted - this.acked <= this.lowWaterMark) {
      this.paused = false;
      this.stats.resumes++;
      this.handle?.stream.resume();
    }
  }

  /** Notes a chunk about to be posted (the clock is read just before the post). */
  private timePosted(bytes: number): void {
    if (this.unackedTimings.length >= RELAY_TIMING_CAPACITY) {
      this.stats.untimedChunks++;
      return;
    }
    this.unackedTimings.push({ bytes, end: this.posted + bytes, unackedBefore: this.posted - this.acked, postedAt: this.clock!() });
  }

  /** Moves the chunks the ack now covers to the ring of acked timings. */
  private timeAcked(): void {
    const now = this.clock!();
    let covered = 0;
    while (covered < this.unackedTimings.length && this.unackedTimings[covered].end <= this.acked) {
      this.ackedTimings[this.timingCount % RELAY_TIMING_CAPACITY] = { ...this.unackedTimings[covered], ackedAt: now };
      this.timingCount++;
      covered++;
    }
    if (covered > 0) this.unackedTimings.splice(0, covered);
  }

  // --- webview → server ---

  private toServer(data: unknown): void {
    if (this.state !== 'open') {
      this.end('protocol', 'The console sent data before the connection was open.', true);
      return;
    }
    const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : undefined;
    if (bytes === undefined) {
      this.end('protocol', 'The console sent something other than bytes.', true);
      return;
    }
    const stream = this.handle!.stream;
    this.received += bytes.byteLength;
    this.stats.bytesFromWebview += bytes.byteLength;
    const length = bytes.byteLength;
    stream.write(bytes, (error) => {
      // A failed write also makes the stream emit 'error', which ends the session.
      if (error || this.state !== 'open') return;
      this.written += length;
      this.stats.bytesToServer += length;
      this.postOrEnd({ type: 'ack', session: this.session, bytes: this.written });
    });
    const backlog = stream.writableLength;
    if (backlog > this.stats.maxServerBacklog) this.stats.maxServerBacklog = backlog;
    if (backlog > this.serverBacklogLimit) {
      this.end('server-stalled', `The server stopped reading: more than ${formatBytes(this.serverBacklogLimit)} waited to be sent to it.`, true);
    }
  }

  // --- the end ---

  /** Ends the session once: records why, posts `closed` when asked, and ends the stream. */
  private end(cause: RelayCloseCause, reason: string, notify: boolean): void {
    if (this.outcome !== undefined) return;
    this.outcome = { cause, reason };
    this.state = 'closed';
    if (notify) this.postOrEnd({ type: 'closed', session: this.session, reason });
    if (this.handle !== undefined) void this.endStream();
    // While the stream is being opened, connect() ends it when it arrives, then settles.
    else if (this.connecting !== 'waiting') this.settle();
  }

  /** Ends the stream exactly once, then resolves `closed`. */
  private async endStream(): Promise<void> {
    if (this.streamEnded || this.handle === undefined) return;
    this.streamEnded = true;
    const { stream, close } = this.handle;
    for (const { event, listener } of this.listeners.splice(0)) {
      if (event !== 'error') stream.off(event, listener as (...args: unknown[]) => void);
    }
    if (close !== undefined) await close.call(this.handle);
    else stream.destroy();
    this.settle();
  }

  private settle(): void {
    this.resolveClosed(this.outcome ?? { cause: 'host', reason: 'The console was closed.' });
  }

  /** Posts a message; a post that throws (the webview is gone) ends the session. */
  private postOrEnd(message: HostToWebview): boolean {
    try {
      this.post(message);
      return true;
    } catch (error) {
      this.end('host', `The console could not be reached: ${error instanceof Error ? error.message : String(error)}`, false);
      return false;
    }
  }

  private listen(stream: Duplex, event: string, listener: (...args: never[]) => void): void {
    this.listeners.push({ event, listener });
    stream.on(event, listener as (...args: unknown[]) => void);
  }
}

/** Words for the status line about a stream that failed (the runner's XlErrors already have them). */
export function describeStreamError(error: unknown): string {
  if (!(error instanceof Error)) return `The connection failed: ${String(error)}`;
  if (error.name === 'XlError') return error.message;
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ECONNRESET':
      return 'The connection was reset by the server.';
    case 'EPIPE':
      return 'The server closed the connection while data was being sent.';
    case 'ETIMEDOUT':
      return 'The connection timed out.';
    default:
      return `The connection failed: ${error.message}`;
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
