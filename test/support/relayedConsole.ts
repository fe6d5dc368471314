// The console's transport as the extension host builds it, for tests against real VNC servers:
// the runner's openStream (a TCP connection, or `ssh -W` for an ssh target) with
// `serverSpeaksFirst`, the relay in front of it, and a fake webview end (FakeWebview) whose
// channel the test RFB client reads and writes. Only the webview is fake.

import assert from 'node:assert/strict';
import { Relay } from '../../client/src/console/relay';
import { openStream, type OpenedStream, type OpenStreamOptions, type StreamEndpoint, type StreamTargetOptions } from '../../client/src/xl/runner';
import { FakeWebview } from './fakeWebview';
import { RfbClient } from './rfbClient';

export interface RelayedConsole {
  client: RfbClient;
  relay: Relay;
  webview: FakeWebview;
  /** What openStream returned: the ssh client's pid for an ssh target, the command line. */
  opened: OpenedStream;
}

let lastSession = 0;

/**
 * Opens the stream to `endpoint` as the console does, connects a relay to it, and puts a fake
 * webview and an RFB client (with `rfbTimeoutMs` for each read) at the other end. The relay is
 * open when this resolves; `relay.dispose()` ends the session and the stream.
 */
export async function openRelayedConsole(
  target: StreamTargetOptions,
  endpoint: StreamEndpoint,
  options: Pick<OpenStreamOptions, 'connectTimeoutMs' | 'log'> & { rfbTimeoutMs?: number } = {},
): Promise<RelayedConsole> {
  const session = ++lastSession;
  const webview = new FakeWebview(session);
  const relay = new Relay({ session, post: webview.post });
  webview.attach(relay);
  const opened = await openStream(target, endpoint, { serverSpeaksFirst: true, connectTimeoutMs: options.connectTimeoutMs ?? 10_000, log: options.log });
  await relay.connect(opened);
  assert.equal(relay.status, 'open', `the relay did not open: ${relay.closeInfo?.reason ?? 'no reason'}`);
  return { client: new RfbClient(webview.channel, options.rfbTimeoutMs), relay, webview, opened };
}
