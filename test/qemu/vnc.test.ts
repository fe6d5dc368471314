// The console's transport against a real VNC server: QEMU's, on this machine (no Xen). Through
// the runner's openStream (local TCP, and the fake forwarding ssh), the relay and a fake webview
// end, the test RFB client checks the handshake ("RFB 003.008"), security None, VNC
// authentication with the right and a wrong password, ServerInit with the real framebuffer size,
// a framebuffer update with non-uniform pixels, key events, and that closing the console ends the
// connection on the server's side.
//
// Needs qemu-system-x86_64. Without it the tests fail when CI is set (or XEN_TEST_REQUIRE=1), and
// are skipped, loudly, otherwise.

import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { StreamTargetOptions } from '../../client/src/xl/runner';
import { qemuVersion, startQemuVnc, type QemuVnc } from '../support/qemuVnc';
import { openRelayedConsole, type RelayedConsole } from '../support/relayedConsole';
import { ENCODING_DESKTOP_SIZE, ENCODING_RAW, type RfbClient, type FramebufferUpdate } from '../support/rfbClient';
import { RfbUpdateTracker } from '../support/rfbUpdates';

const PASSWORD = 'xen-xl-t';
const flag = (value: string | undefined): boolean => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
const required = flag(process.env.CI) || process.env.XEN_TEST_REQUIRE === '1';
const version = qemuVersion();
const missing = version === undefined ? 'qemu-system-x86_64 is not installed (Debian: apt-get install qemu-system-x86)' : undefined;
if (missing !== undefined && !required) {
  console.log(`\n${'!'.repeat(78)}\n!! SKIPPED: the real-VNC tests (test/qemu): ${missing}.\n!! The console's transport was NOT checked against a real VNC server.\n${'!'.repeat(78)}\n`);
}
/** Skipped without QEMU, unless required: then the tests run and fail at the start. */
const skip = missing !== undefined && !required ? missing : false;
const TEST = { skip, timeout: 30_000 };

let open: QemuVnc | undefined;
let locked: QemuVnc | undefined;

before(async () => {
  if (skip) return;
  assert.equal(missing, undefined, `${missing} (required here: CI or XEN_TEST_REQUIRE=1)`);
  [open, locked] = await Promise.all([startQemuVnc(), startQemuVnc({ password: PASSWORD })]);
});

after(async () => {
  await Promise.all([open?.stop(), locked?.stop()]);
});

/** Opens the stream as the console does, and puts the relay and a fake webview in front of it. */
function openConsole(port: number, target: StreamTargetOptions = { target: { kind: 'local' } }): Promise<RelayedConsole> {
  return openRelayedConsole(target, { address: '127.0.0.1', port });
}

/**
 * Asks for the whole screen until SeaBIOS's text screen is there: the VGA's 80x25 text mode
 * (9x16 character cells, 720x400) with more than one colour. Right after QEMU starts, the screen
 * is still the VGA's initial 640x480 one, where the VGA BIOS may already have drawn something.
 */
async function textScreenUpdate(client: RfbClient): Promise<FramebufferUpdate> {
  let last: FramebufferUpdate | undefined;
  for (let round = 0; round < 200; round++) {
    client.requestUpdate(false);
    last = await client.readUpdate({ countColours: true });
    if (last.width === 720 && last.height === 400 && last.distinctColours > 1) return last;
  }
  assert.fail(`no text screen: the last update was ${last?.width}x${last?.height} with ${last?.distinctColours} colours; steps: ${client.steps.join(' | ')}`);
}

/** Waits until QEMU lists no VNC client any more (QMP query-vnc). */
async function untilNoClients(qemu: QemuVnc): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const info = (await qemu.qmp('query-vnc')) as { clients?: unknown[] };
    if ((info.clients ?? []).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail('QEMU still lists a VNC client');
}

describe(`real VNC server: ${version ?? 'QEMU missing'}`, () => {
  test('security None: RFB 003.008, ServerInit with the real size, a non-uniform screen, key events; closing ends the connection', TEST, async () => {
    const { client, relay, webview } = await openConsole(open!.port);
    const result = await client.handshake();
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.serverVersion, 'RFB 003.008\n');
    assert.deepEqual(result.securityTypes, [1]);
    // QEMU's VGA starts at 640x480 and SeaBIOS switches it to its 720x400 text mode; which one
    // ServerInit reports depends on how far the BIOS has got.
    const { serverInit } = result;
    assert.ok(['640x480', '720x400'].includes(`${serverInit.width}x${serverInit.height}`), `${serverInit.width}x${serverInit.height}`);
    assert.equal(serverInit.pixelFormat.trueColour, true);
    assert.equal(serverInit.name, 'QEMU');
    client.setPixelFormat32();
    client.setEncodings([ENCODING_RAW, ENCODING_DESKTOP_SIZE]);

    const update = await textScreenUpdate(client);
    // The text screen, in one raw rectangle that covers it.
    const raw = update.rects.filter((rect) => rect.encoding === ENCODING_RAW);
    assert.deepEqual(raw, [{ x: 0, y: 0, width: 720, height: 400, encoding: ENCODING_RAW }]);
    assert.equal(update.pixelBytes, 720 * 400 * 4);
    assert.ok(update.distinctColours >= 2, `${update.distinctColours} colours`);

    // Ctrl+Alt+Del as the toolbar sends it (X11 keysyms), then the session still answers.
    for (const keysym of [0xffe3, 0xffe9, 0xffff]) client.keyEvent(true, keysym);
    for (const keysym of [0xffff, 0xffe9, 0xffe3]) client.keyEvent(false, keysym);
    client.requestUpdate(false);
    const after = await client.readUpdate();
    assert.equal(after.pixelBytes, 720 * 400 * 4);

    // Every byte went through the relay, with acks both ways.
    assert.equal(relay.stats.bytesToWebview, webview.received);
    assert.ok(relay.stats.bytesToServer > 0 && relay.stats.bytesToServer === relay.stats.bytesFromWebview);
    assert.ok(webview.messages.some((message) => message.type === 'ack'));
    assert.equal(relay.stats.maxUnacked <= 2 * 1024 * 1024 + 256 * 1024, true);

    assert.equal(((await open!.qmp('query-vnc')) as { clients: unknown[] }).clients.length, 1);
    await relay.dispose();
    await untilNoClients(open!);
  });

  test('VNC authentication with the right password', TEST, async () => {
    const { client, relay } = await openConsole(locked!.port);
    const result = await client.handshake({ password: PASSWORD });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.serverVersion, 'RFB 003.008\n');
    assert.deepEqual(result.securityTypes, [2]);
    assert.equal(result.securityType, 2);
    assert.ok(['640x480', '720x400'].includes(`${result.serverInit.width}x${result.serverInit.height}`));
    client.setPixelFormat32();
    client.setEncodings([ENCODING_RAW, ENCODING_DESKTOP_SIZE]);
    assert.equal((await textScreenUpdate(client)).pixelBytes, 720 * 400 * 4);
    await relay.dispose();
    await untilNoClients(locked!);
  });

  test('VNC authentication with a wrong password: refused with the server\'s reason, then the server closes', TEST, async () => {
    const { client, relay, webview } = await openConsole(locked!.port);
    const result = await client.handshake({ password: 'wrong-pw' });
    assert.equal(result.ok, false);
    assert.equal(result.securityType, 2);
    assert.ok(!result.ok && /auth/i.test(result.reason), JSON.stringify(result));
    assert.deepEqual(client.steps.slice(-1), [`security result 1: ${!result.ok ? result.reason : ''}`]);
    const closed = await relay.closed;
    assert.equal(closed.cause, 'server');
    assert.deepEqual(
      webview.messages.filter((message) => message.type === 'closed'),
      [{ type: 'closed', session: relay.session, reason: 'The server closed the connection.' }],
    );
  });

  test('no password given to a server that wants one: no usable security type', TEST, async () => {
    const { client, relay } = await openConsole(locked!.port);
    const result = await client.handshake();
    assert.deepEqual(result, { ok: false, serverVersion: 'RFB 003.008\n', securityTypes: [2], reason: 'no usable security type among 2 (no password given)' });
    await relay.dispose();
  });

  test('the bench\'s 1024x768 screen: the boot sector switches the VGA to 1024x768x32 and paints many colours', TEST, async () => {
    const painted = await startQemuVnc({ screen: '1024x768' });
    try {
      const { client, relay } = await openConsole(painted.port);
      assert.ok((await client.handshake()).ok);
      client.setPixelFormat32();
      client.setEncodings([ENCODING_RAW, ENCODING_DESKTOP_SIZE]);
      let update: FramebufferUpdate | undefined;
      for (let round = 0; round < 200 && !(update?.width === 1024 && update.distinctColours > 1000); round++) {
        client.requestUpdate(false);
        update = await client.readUpdate({ countColours: true });
      }
      assert.equal(`${update?.width}x${update?.height}`, '1024x768', client.steps.join(' | '));
      assert.equal(update?.pixelBytes, 1024 * 768 * 4);
      assert.ok(update.distinctColours > 1000, `${update?.distinctColours} colours`);
      await relay.dispose();
    } finally {
      await painted.stop();
    }
  });

  test("the bench's update tracker follows QEMU's Tight updates of the changing 1024x768 screen, as noVNC asks for them", TEST, async () => {
    const moving = await startQemuVnc({ screen: '1024x768-moving' });
    try {
      const { client, relay, webview } = await openConsole(moving.port);
      // What the bench's tap sees: the bytes of the relay's data messages, from the first.
      const tracker = new RfbUpdateTracker();
      webview.onMessage = (message) => {
        if (message.type === 'data') tracker.push(message.data);
      };
      assert.ok((await client.handshake()).ok);
      client.setPixelFormat32();
      // noVNC's list for a 24-bit screen, as far as QEMU knows the encodings: CopyRect, Tight,
      // TightPNG, ZRLE, Hextile, Zlib, Raw; quality 6 and compression 2; DesktopSize, LastRect,
      // QEMU's extended key events and LED state, ExtendedDesktopSize, Cursor.
      client.setEncodings([1, 7, -260, 16, 5, 6, 0, -32 + 6, -256 + 2, -223, -224, -258, -261, -308, -239]);
      client.requestUpdate(false);
      const full = (): boolean => tracker.updates.some((update) => tracker.width === 1024 && update.area === 1024 * 768);
      for (let round = 0; round < 400 && !full() && tracker.error === undefined; round++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        // Once a 1024x768 screen is there, ask for all of it again.
        if (round % 20 === 19) client.requestUpdate(false);
      }
      assert.equal(tracker.error, undefined);
      assert.ok(full(), `a full-screen update among ${JSON.stringify(tracker.updates.slice(-3))} at ${tracker.width}x${tracker.height}`);
      const update = tracker.updates.find((candidate) => candidate.area === 1024 * 768)!;
      assert.ok((update.encodings[7] ?? 0) > 0, `Tight rectangles: ${JSON.stringify(update.encodings)}`);
      // Without -vnc lossy=on QEMU sends no JPEG: noVNC decodes each rectangle before it takes the next bytes.
      assert.equal(update.tightImages, 0);
      // Every update found ends where the next message begins; the tracker has read all that came.
      assert.ok(tracker.updates.every((span, index, all) => index === 0 || span.start >= all[index - 1].end));
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(tracker.offset, relay.stats.bytesToWebview);
      await relay.dispose();
    } finally {
      await moving.stop();
    }
  });

  test('the ssh transport (a fake ssh that forwards like ssh -W) reaches the same server; disposing ends ssh', TEST, async () => {
    const fakeSsh = path.resolve('test/fixtures/fake-ssh-forward/ssh');
    chmodSync(fakeSsh, 0o755);
    const { client, relay, opened } = await openConsole(locked!.port, { target: { kind: 'ssh', destination: 'root@dom0', controlDir: '/tmp' }, sshPath: fakeSsh });
    const { pid } = opened;
    const result = await client.handshake({ password: PASSWORD });
    assert.ok(result.ok, JSON.stringify(result));
    client.setPixelFormat32();
    client.setEncodings([ENCODING_RAW, ENCODING_DESKTOP_SIZE]);
    assert.ok((await textScreenUpdate(client)).distinctColours > 1);
    assert.ok(pid !== undefined);
    await relay.dispose();
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    await untilNoClients(locked!);
  });
});
