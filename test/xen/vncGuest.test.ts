// The rig's guests with a screen: a PV guest with a framebuffer (`vfb` with VNC) and an HVM guest
// with `vnc = 1`, both served by the device model (Debian's qemu-system-xen) in dom0. Checks the
// graphical console's transport against them, as the extension host runs it for an ssh host:
// the guest's domid from our `xl list`, its VNC address from our `xl.vncEndpoint` (xenstore-read
// through the runner), then the runner's openStream (`ssh -W ADDR:PORT` to dom0), the relay and a
// fake webview end, with the test RFB client on the webview's side. Through that chain: the RFB
// banner, security None, ServerInit, a screen that shows the guest's own text, keys typed
// reaching the guest's shell, and that closing the relay ends the ssh process. Also the xenstore
// keys themselves, what `xl list -l` reports, and a `keymap` and what it does to keys. A VNC
// password stops Debian 12's device model (its QEMU has no DES cipher): that is checked too.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { chooseEndpoint, type ConsoleEndpoint } from '../../client/src/console/endpoint';
import { buildStreamArgv, quoteForRemoteShell, runXl, xl, type RunLogEntry, type VncEndpoint } from '../../client/src/xl';
import { openRelayedConsole, type RelayedConsole } from '../support/relayedConsole';
import { ENCODING_DESKTOP_SIZE, ENCODING_RAW, colourCount, writePng, type RfbClient, type Screen } from '../support/rfbClient';
import { dom0, dom0Ok, options, rig, skipReason, sq, upload, vncGuestConfig, waitFor } from './helpers';

/** xenstore-ls of a folder as `{ key: value }` (direct children only). */
async function xenstoreFolder(path: string): Promise<Record<string, string>> {
  const text = await dom0Ok(`xenstore-ls ${sq(path)}`);
  const keys: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(\S+) = "(.*)"$/.exec(line);
    if (match) keys[match[1]] = match[2];
  }
  return keys;
}

interface LocatedVnc {
  domid: number;
  /** What our xl.vncEndpoint read from xenstore. */
  recorded: VncEndpoint;
  /** Where the console connects, as the client decides it from that record. */
  endpoint: ConsoleEndpoint;
}

/** Finds a guest's VNC server as the console does: the domid from our `xl list`, then our `xl.vncEndpoint` through the runner. */
async function locateVnc(name: string): Promise<LocatedVnc> {
  const domain = (await runXl(xl.list(), options())).find((candidate) => candidate.name === name);
  assert.ok(domain !== undefined, `${name} is in xl list`);
  assert.ok(domain.id > 0, `domid ${domain.id}`);
  const recorded = await runXl(xl.vncEndpoint(domain.id), options());
  const endpoint = chooseEndpoint(recorded, undefined);
  assert.ok(endpoint !== undefined, 'the xenstore record gives an endpoint');
  return { domid: domain.id, recorded, endpoint };
}

interface GuestConsole extends RelayedConsole {
  /** openStream's log entries (one, once the stream has ended). */
  log: RunLogEntry[];
}

/**
 * Opens the console's chain to a guest's VNC server in dom0: our runner's `ssh -W` to the rig's
 * ssh alias (the options the other suites use), the relay, a fake webview, the test RFB client.
 */
async function openGuestConsole(endpoint: ConsoleEndpoint): Promise<GuestConsole> {
  const log: RunLogEntry[] = [];
  // Under TCG a whole screen through ssh can take a while: generous bounds for each read.
  const opened = await openRelayedConsole(options(), { address: endpoint.address, port: endpoint.port }, { connectTimeoutMs: 30_000, rfbTimeoutMs: 60_000, log: (entry) => log.push(entry) });
  assert.ok(opened.opened.pid !== undefined, 'ssh has a pid');
  // The runner ran buildStreamArgv's command: the rig's ssh with `-W ADDR:PORT`, to the alias.
  const argv = buildStreamArgv(options(), { address: endpoint.address, port: endpoint.port });
  assert.equal(opened.opened.commandLine, quoteForRemoteShell(argv));
  assert.deepEqual([argv[0], argv[1], argv[2], argv[argv.length - 1]], [rig.ssh, '-W', `${endpoint.address}:${endpoint.port}`, rig.host]);
  return { ...opened, log };
}

/** Closes the relay as the panel does, then checks that the ssh process is gone and its stream was logged as ended normally. */
async function closeGuestConsole(guest: GuestConsole, endpoint: ConsoleEndpoint): Promise<void> {
  const pid = guest.opened.pid!;
  assert.doesNotThrow(() => process.kill(pid, 0), 'ssh runs while the console is open');
  const closed = await guest.relay.dispose();
  assert.equal(closed.cause, 'host');
  assert.throws(() => process.kill(pid, 0), /ESRCH/, `ssh (pid ${pid}) is gone once the relay has closed`);
  assert.deepEqual(
    guest.log.map((entry) => [entry.description, entry.outcome]),
    [[`forward to ${endpoint.address}:${endpoint.port} through ${rig.host}`, 'ok']],
  );
}

/**
 * Waits until the guest's console log has `expected` (what typed keys made its shell print), then
 * writes the screen to `png`, also when it never came; then it fails with the console's last lines.
 * Two minutes: a starved guest under TCG has stalled for over 20 s (its kernel's soft-lockup
 * warning on the console) and then read the keys QEMU had queued.
 */
async function untilTyped(name: string, client: RfbClient, expected: string, png: string): Promise<{ log: string; screen: Screen }> {
  const typed = await waitFor(`${JSON.stringify(expected)} on ${name}'s console`, async () => {
    const text = await consoleLog(name);
    return text.includes(expected) ? text : undefined;
  }, 120_000, 1000).then((log) => ({ log }), (error: unknown) => ({ error }));
  const screen = await client.screen();
  writePng(join(rig.resultsDir, png), screen);
  if ('error' in typed) {
    // In the error itself, so that the run's closing list of failures shows what the guest did.
    const last = (await consoleLog(name)).split('\n').slice(-15).join('\n');
    throw new Error(`${typed.error instanceof Error ? typed.error.message : String(typed.error)}; the screen is saved as ${png}; the console's last lines:\n${last}`, { cause: typed.error });
  }
  return { log: typed.log, screen };
}

/** Starts collecting a guest's console (`xl console -t pv`) in dom0; an HVM console is lost if nobody reads it. */
async function startConsoleLog(name: string): Promise<void> {
  await dom0Ok(`cd /tmp/xen-xl-test && { setsid xl console -t pv -- ${name} < /dev/null > ${name}.console 2>&1 & echo $! > ${name}.console.pid; }`);
}

/** Ends what startConsoleLog started, and the guest. */
async function destroyWithConsole(name: string): Promise<void> {
  await dom0(`xl destroy -- ${name} 2>/dev/null; kill $(cat /tmp/xen-xl-test/${name}.console.pid 2>/dev/null) 2>/dev/null; true`, { timeoutMs: 30_000 });
}

/** Waits until the shell on the guest's screen has started (its console line). */
async function screenShell(name: string, tag: string, timeoutMs: number): Promise<string> {
  return waitFor(
    `${name}'s screen shell on its console`,
    async () => {
      const log = await consoleLog(name);
      return log.includes(`XEN-XL-SCREEN-SHELL tag=${tag}`) ? log : undefined;
    },
    timeoutMs,
    2000,
  );
}

/** The text `xl console -t pv` has collected in dom0 for a guest (see startConsoleLog). */
async function consoleLog(name: string): Promise<string> {
  return (await dom0(`cat ${sq(`/tmp/xen-xl-test/${name}.console`)} 2>/dev/null; true`)).stdout.replace(/\r/g, '');
}

describe('real Xen: guests with a VNC screen', { skip: skipReason, concurrency: 2 }, () => {
  for (const type of ['pv', 'hvm'] as const) {
    describe(type === 'pv' ? 'a PV guest with a framebuffer (vfb, vnc=1)' : 'an HVM guest (vnc = 1)', { concurrency: 1 }, () => {
      const name = `xen-xl-vnc-${type}`;
      const tag = `vnc-${type}-${process.pid}`;
      const file = `/tmp/xen-xl-test/${name}.cfg`;
      // HVM boots its firmware and kernel in emulation: about 1 to 2 minutes under TCG.
      const bootMs = type === 'hvm' ? 300_000 : 150_000;
      let located: LocatedVnc | undefined;
      let created = 0;

      after(async () => {
        if (!skipReason) await destroyWithConsole(name);
      });

      test('xl create; xl.vncEndpoint reads console/vnc-listen and vnc-port; xenstore has no password', async () => {
        await upload({ [file]: vncGuestConfig(name, type, tag) });
        created = Date.now();
        await runXl(xl.create(file), options({ timeoutMs: 120_000 }));
        const createS = (Date.now() - created) / 1000;
        const found = await locateVnc(name);
        const { domid, recorded, endpoint } = found;
        await startConsoleLog(name);
        const consoleKeys = await xenstoreFolder(`/local/domain/${domid}/console`);
        console.log(`${name}: xl create returned after ${createS.toFixed(1)} s; xl.vncEndpoint(${domid}): ${JSON.stringify(recorded)}; /local/domain/${domid}/console: ${JSON.stringify(consoleKeys)}`);
        assert.deepEqual(recorded, { listen: '127.0.0.1', port: Number(consoleKeys['vnc-port']) });
        assert.equal(consoleKeys['vnc-listen'], '127.0.0.1');
        assert.ok(recorded.port >= 5900 && recorded.port < 6000, `vnc-port ${recorded.port}`);
        assert.deepEqual(endpoint, { address: '127.0.0.1', port: recorded.port, source: 'xenstore' });
        assert.equal(consoleKeys['vnc-pass'], undefined, 'no password was set');
        located = found;
        if (type === 'pv') {
          const backend = await xenstoreFolder(`/local/domain/0/backend/vfb/${domid}/0`);
          console.log(`${name}: vfb backend: ${JSON.stringify(backend)}`);
          assert.equal(backend.vnc, '1');
          assert.equal(backend.vnclisten, '127.0.0.1');
          assert.equal(backend.vncpasswd, undefined);
        }
      });

      test('through the runner\'s ssh -W and the relay: RFB 003.008, security None, ServerInit; closing the relay ends ssh', async () => {
        assert.ok(located !== undefined, 'the guest was created');
        const guest = await openGuestConsole(located.endpoint);
        try {
          const result = await guest.client.handshake();
          console.log(`${name}: RFB banner ${JSON.stringify(result.serverVersion)} ${((Date.now() - created) / 1000).toFixed(1)} s after xl create began; security types ${result.securityTypes.join(', ')}`);
          assert.ok(result.ok, JSON.stringify(result));
          assert.equal(result.serverVersion, 'RFB 003.008\n');
          assert.deepEqual(result.securityTypes, [1]);
          assert.equal(result.securityType, 1);
          assert.equal(result.serverInit.name, `QEMU (${name})`);
          await closeGuestConsole(guest, located.endpoint);
        } finally {
          await guest.relay.dispose();
        }
      });

      test('the guest boots and starts the shell on its screen (console lines)', async () => {
        assert.ok(located !== undefined, 'the guest was created');
        const text = await screenShell(name, tag, bootMs);
        console.log(`${name}: its shell on tty1 started ${((Date.now() - created) / 1000).toFixed(1)} s after xl create began`);
        assert.match(text, new RegExp(`XEN-XL-GUEST-UP tag=${tag}`));
        assert.match(text, /XEN-XL-GUEST-SCREEN tty1 /);
      });

      test('the screen shows the guest\'s text, and keys typed through VNC reach its shell (runner, relay, fake webview)', async () => {
        assert.ok(located !== undefined, 'the guest was created');
        const guest = await openGuestConsole(located.endpoint);
        const { client, relay, webview } = guest;
        try {
          const result = await client.handshake();
          assert.ok(result.ok, JSON.stringify(result));
          const init = result.serverInit;
          console.log(`${name}: ServerInit ${init.width}x${init.height} "${init.name}"`);
          assert.equal(init.name, `QEMU (${name})`);
          // The PV framebuffer's default mode; VGA text mode (80x25 characters of 9x16 pixels).
          assert.deepEqual([init.width, init.height], type === 'pv' ? [800, 600] : [720, 400]);
          client.setPixelFormat32();
          client.setEncodings([ENCODING_RAW, ENCODING_DESKTOP_SIZE]);
          const before = await client.screen();
          assert.deepEqual([before.width, before.height], [init.width, init.height]);
          assert.ok(colourCount(before) >= 2, 'the screen has text on it, not one colour');
          writePng(join(rig.resultsDir, `xen-vnc-${type}-before.png`), before);
          // The shell on tty1 copies the screen's text (/dev/vcs1) to the console, then a marker
          // that only the shell can compute (the typed line has the sum, not its value; typing
          // it needs Shift for `$((+))` and `>`).
          const base = process.pid;
          const marker = `xen-xl-typed-${type}-${base + 1}`;
          await client.typeText(`cat /dev/vcs1 >/dev/hvc0; echo >/dev/hvc0; echo xen-xl-typed-${type}-$((${base}+1)) >/dev/hvc0\n`);
          const { log, screen: after } = await untilTyped(name, client, `${marker}\n`, `xen-vnc-${type}-after.png`);
          // The screen's text, as the guest's VT holds it, has the banner /init wrote on tty1.
          assert.match(log, new RegExp(`XEN-XL-VNC-GUEST tag=${tag}`), 'the screen (tty1) shows the banner');
          assert.ok(!after.pixels.equals(before.pixels), 'the typed command shows on the screen');
          // Every byte went through the relay, acknowledged both ways.
          assert.equal(relay.stats.bytesToWebview, webview.received);
          assert.ok(relay.stats.bytesToServer > 0 && relay.stats.bytesToServer === relay.stats.bytesFromWebview, JSON.stringify(relay.stats));
          await closeGuestConsole(guest, located.endpoint);
        } finally {
          await relay.dispose();
        }
      });

      test('xl list -l reports the VNC server as configured', async () => {
        assert.ok(located !== undefined, 'the guest was created');
        const [details] = await runXl(xl.listLong(name), options());
        assert.equal(details.name, name);
        const raw = details.raw as { vfbs?: { vnc?: Record<string, unknown> }[]; b_info?: { 'type.hvm'?: { vnc?: Record<string, unknown> } } };
        const vnc = type === 'pv' ? raw.vfbs?.[0]?.vnc : raw.b_info?.['type.hvm']?.vnc;
        assert.deepEqual(vnc, { enable: 'True', listen: '127.0.0.1' });
        // The whole answer, for the fixtures of the console's unit tests (test/fixtures/xl).
        writeFileSync(join(rig.resultsDir, `xen-list-long-vnc-${type}.json`), (await dom0Ok(`xl list -l -- ${name}`)));
      });
    });
  }

  // With a `keymap`, QEMU turns the keysyms a VNC client sends into the scancodes of that layout;
  // the guest reads scancodes with its own layout (US here). So the keysyms of a German keyboard
  // arrive as what those keys are on a US one: z and y trade places, `-` is `/`, `:` is `>`.
  describe('a PV guest whose VNC server has keymap=de', { concurrency: 1 }, () => {
    const name = 'xen-xl-vnc-keymap';
    const tag = `vnc-keymap-${process.pid}`;
    const file = `/tmp/xen-xl-test/${name}.cfg`;

    after(async () => {
      if (!skipReason) await destroyWithConsole(name);
    });

    test('keysyms go through the German layout: typing `echo zy :-dev-hvc0` runs `echo yz >/dev/hvc0`', async () => {
      await upload({ [file]: vncGuestConfig(name, 'pv', tag, { keymap: 'de' }) });
      await runXl(xl.create(file), options({ timeoutMs: 120_000 }));
      await startConsoleLog(name);
      const dmLog = await dom0Ok(`cat /var/log/xen/qemu-dm-${name}.log`);
      assert.match(dmLog, /VNC server running on 127\.0\.0\.1:59\d\d/);
      await screenShell(name, tag, 150_000);
      const { endpoint } = await locateVnc(name);
      const guest = await openGuestConsole(endpoint);
      try {
        const result = await guest.client.handshake();
        assert.ok(result.ok, JSON.stringify(result));
        guest.client.setPixelFormat32();
        guest.client.setEncodings([ENCODING_RAW, ENCODING_DESKTOP_SIZE]);
        // The screen before, as in the other typing test (the shell's prompt is on it).
        writePng(join(rig.resultsDir, 'xen-vnc-keymap-before.png'), await guest.client.screen());
        await guest.client.typeText('echo zy :-dev-hvc0\n');
        // Only the output line is matched: the console's own shell may have printed its prompt (and
        // a terminal query) just before, on the same line.
        await untilTyped(name, guest.client, 'yz\n', 'xen-vnc-keymap-after.png');
        await closeGuestConsole(guest, endpoint);
      } finally {
        await guest.relay.dispose();
      }
    });
  });
});

describe('real Xen: a VNC password with Debian 12\'s device model', { skip: skipReason }, () => {
  /** What the password is replaced with in the saved `xl create -n` answers (fixtures). */
  const PLACEHOLDER = 'REPLACED';
  for (const type of ['pv', 'hvm'] as const) {
    const name = `xen-xl-vnc-passwd-${type}`;
    const file = `/tmp/xen-xl-test/${name}.cfg`;

    after(async () => {
      if (!skipReason) await dom0(`xl destroy -- ${name} 2>/dev/null; true`, { timeoutMs: 30_000 });
    });

    test(`vncpasswd (${type === 'pv' ? 'in a vfb' : 'HVM'}): xl create -n shows it; QEMU cannot do VNC authentication, so xl create fails`, async () => {
      // A throwaway password for a guest that never runs; it is kept out of every message below.
      const password = `pw${process.pid % 100000}`;
      await upload({ [file]: vncGuestConfig(name, type, 'passwd', { password }) });
      // Not dom0Ok: its error would quote the output, which holds the password.
      const dry = await dom0(`xl create -n -- ${sq(file)} 2>/dev/null`);
      assert.equal(dry.status, 0, 'xl create -n accepts the config');
      const dryRun = dry.stdout;
      const vnc = (JSON.parse(dryRun) as { vfbs?: { vnc?: Record<string, unknown> }[]; b_info?: { 'type.hvm'?: { vnc?: Record<string, unknown> } } });
      const vncPart = type === 'pv' ? vnc.vfbs?.[0]?.vnc : vnc.b_info?.['type.hvm']?.vnc;
      assert.ok(vncPart?.passwd === password, 'xl create -n shows the password as vnc.passwd');
      writeFileSync(join(rig.resultsDir, `xen-create-dryrun-vnc-${type}-passwd.json`), dryRun.split(`"${password}"`).join(`"${PLACEHOLDER}"`));
      const result = await dom0(`xl create -- ${sq(file)}; echo "exit=$?"; xl list | grep -c -- ${sq(name)}; true`, { timeoutMs: 120_000 });
      const exit = /exit=(\d+)/.exec(result.stdout)?.[1];
      const leftOver = result.stdout.trim().split('\n').pop();
      const dmLog = (await dom0(`cat /var/log/xen/qemu-dm-${name}.log 2>/dev/null; true`)).stdout;
      assert.ok(!dmLog.includes(password) && !result.stdout.includes(password) && !result.stderr.includes(password), 'neither xl nor QEMU prints the password');
      console.log(`${name}: xl create exit ${exit}; domains of that name listed right after: ${leftOver}; device model: ${dmLog.trim()}`);
      assert.equal(exit, '3');
      assert.match(dmLog, /password=on.*Cipher backend does not support DES algorithm/);
      // xl destroys the half-built domain itself before it exits.
      await waitFor(`${name} to be gone`, async () => ((await runXl(xl.list(), options())).some((d) => d.name === name) ? undefined : true), 30_000);
    });
  }
});
