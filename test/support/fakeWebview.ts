// The webview's side of a console session, for tests and the bench: takes the relay's posts and
// turns its `data` into a byte stream (`channel`) that an RFB client can read, and what the
// client writes on `channel` into `send` messages. It acknowledges the bytes it has handed to the
// channel, as the real webview does once noVNC has them, on a later turn of the event loop
// (postMessage is asynchronous), or only when told to (`autoAck: false`).

import { Duplex } from 'node:stream';
import type { Relay } from '../../client/src/console/relay';
import type { HostToWebview } from '../../client/src/console/protocol';

export class FakeWebview {
  /** Every message other than `data`, in order. */
  readonly messages: HostToWebview[] = [];
  /** The bytes of the `data` messages, as a stream; it ends when `closed` arrives. */
  readonly channel: Duplex;
  /** Sizes of the `data` messages. */
  readonly chunkSizes: number[] = [];
  received = 0;
  acked = 0;
  /** Called after each message was taken in (tests check invariants there). */
  onMessage: ((message: HostToWebview) => void) | undefined;
  private relay: Relay | undefined;
  private ackScheduled = false;

  constructor(
    private readonly session: number,
    private readonly options: { autoAck?: boolean } = {},
  ) {
    this.channel = new Duplex({
      read: () => undefined,
      write: (chunk: Buffer, _encoding, callback) => {
        this.relay?.receive({ type: 'send', session: this.session, data: new Uint8Array(chunk) });
        callback();
      },
      final: (callback) => {
        this.relay?.receive({ type: 'close', session: this.session });
        callback();
      },
    });
  }

  attach(relay: Relay): void {
    this.relay = relay;
  }

  readonly post = (message: HostToWebview): void => {
    if (message.type === 'data') {
      if (!(message.data instanceof Uint8Array)) throw new Error('data that is not a Uint8Array');
      this.chunkSizes.push(message.data.byteLength);
      this.received += message.data.byteLength;
      this.channel.push(message.data);
      if (this.options.autoAck !== false) this.scheduleAck();
    } else {
      this.messages.push(message);
      if (message.type === 'closed') this.channel.push(null);
    }
    this.onMessage?.(message);
  };

  /** Acknowledges everything received so far. */
  ackAll(): void {
    if (this.acked === this.received || this.relay === undefined) return;
    this.acked = this.received;
    this.relay.receive({ type: 'ack', session: this.session, bytes: this.acked });
  }

  private scheduleAck(): void {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setImmediate(() => {
      this.ackScheduled = false;
      this.ackAll();
    });
  }
}
