// The console webview (dist/webview/console.js, noVNC and our UI) in real headless Chromium,
// under the panel's real HTML and CSP, talking to a real QEMU VNC server on this machine.
//
// The page gets a stand-in for VS Code's acquireVsCodeApi: its postMessage reaches this test through
// a Playwright binding, and the test answers with `message` events, as the extension host would.
// The test is the host's relay here: it opens a TCP socket to QEMU per session and copies bytes both
// ways, honouring the acknowledgements (it stops reading from QEMU while too much is unacknowledged).
// typed arrays cross the binding as base64. QEMU's own trace (vnc_key_event_ext, vnc_auth_*) shows
// what reached the server.
//
// Needs Chromium (/usr/bin/chromium, or XEN_XL_E2E_CHROMIUM) and qemu-system-x86_64. Without them
// the suite is skipped, except in CI (CI set), where a missing tool is a failure.
// Run by `npm test` after the build; alone: node scripts/build.mjs && node --test test/webview/console.test.mjs

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..', '..');
const flag = (value) => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
const CI = flag(process.env.CI);
const CHROMIUM = process.env.XEN_XL_E2E_CHROMIUM || '/usr/bin/chromium';
const QEMU = process.env.XEN_XL_QEMU || 'qemu-system-x86_64';
const BUNDLE = join(ROOT, 'dist', 'webview', 'console.js');
const STYLES = join(ROOT, 'dist', 'webview', 'console.css');
const ORIGIN = 'https://console.test';
const ARTIFACTS = join(ROOT, 'test-results', 'webview');
/** The password of QEMU's second, password-protected VNC display (VNC uses 8 characters at most). */
const PASSWORD = 'Rt7#kq2Z';
const WRONG_PASSWORD = 'nope1234';
/** Stop reading from QEMU while this many bytes given to the page are unacknowledged. */
const HIGH_WATER = 256 * 1024;
const CHUNK = 256 * 1024;

function missingTools() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push(`Chromium (${CHROMIUM}; set XEN_XL_E2E_CHROMIUM)`);
  const qemu = spawnSync(QEMU, ['--version'], { encoding: 'utf8' });
  if (qemu.status !== 0) missing.push(`${QEMU} (Debian package qemu-system-x86)`);
  try {
    createRequire(join(ROOT, 'package.json')).resolve('playwright-core');
  } catch {
    missing.push('playwright-core (npm ci)');
  }
  return missing;
}

const missing = missingTools();
const SUITE = 'console webview in Chromium against a real QEMU VNC server';

// Skipped as one test (not a suite) so that the run's summary counts it as skipped.
if (missing.length > 0 && !CI) test(SUITE, { skip: `needs ${missing.join(', ')}` }, () => {});
else describe(SUITE, { timeout: 90_000 }, () => {
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {import('playwright-core').Page} */
  let page;
  let qemu;
  let tempDir;
  let host;
  const ports = {};
  const qemuLog = [];
  const consoleLines = [];
  const pageErrors = [];

  before(async () => {
    if (missing.length > 0) throw new Error(`CI is set and this suite cannot run: missing ${missing.join(', ')}`);
    if (!existsSync(BUNDLE) || !existsSync(STYLES)) throw new Error(`${BUNDLE} is missing: run node scripts/build.mjs first`);
    tempDir = mkdtempSync(join(tmpdir(), 'xen-xl-console-test-'));
    const consoleHtml = await loadConsoleHtml(tempDir);
    const started = await startQemu(tempDir, qemuLog);
    qemu = started.child;
    Object.assign(ports, started.ports);

    const { chromium } = createRequire(join(ROOT, 'package.json'))('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      env: { ...process.env, HOME: tempDir },
      timeout: 30_000,
    });
    const context = await browser.newContext({ viewport: { width: 640, height: 480 } });
    page = await context.newPage();
    page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => pageErrors.push(error.message));

    const nonce = 'dGVzdC1ub25jZS0xMjM0NTY3ODkw';
    const html = consoleHtml({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/console.js`, styleUri: `${ORIGIN}/console.css`, title: 'QEMU <test> & "guest"' });
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/index.html') return route.fulfill({ status: 200, contentType: 'text/html', body: html });
      if (path === '/console.js') return route.fulfill({ status: 200, contentType: 'text/javascript', body: readFileSync(BUNDLE) });
      if (path === '/console.css') return route.fulfill({ status: 200, contentType: 'text/css', body: readFileSync(STYLES) });
      return route.fulfill({ status: 404, body: 'not found' });
    });

    host = new TestHost(page);
    await page.exposeBinding('__toHost', (_source, message) => host.fromPage(message));
    await page.addInitScript(installVsCodeApiStub);
    await page.goto(`${ORIGIN}/index.html`);
    await host.waitFor((m) => m.type === 'ready', 'ready', 0);
  });

  after(async () => {
    // The page's console and QEMU's trace, for a look after a failure.
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'page-console.log'), consoleLines.join('\n') + '\n');
    writeFileSync(join(ARTIFACTS, 'qemu-trace.log'), qemuLog.join('\n') + '\n');
    host?.closeAll();
    await browser?.close().catch((error) => console.error(`closing Chromium: ${error.message}`));
    if (qemu && qemu.exitCode === null) {
      const exited = new Promise((done) => qemu.once('exit', done));
      qemu.kill('SIGTERM');
      await exited;
    }
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  test('the page loads under the strict CSP, says ready once, and labels every button', async () => {
    assert.equal(host.messages.filter((m) => m.type === 'ready').length, 1);
    assert.equal(await page.title(), 'QEMU <test> & "guest"');
    const buttons = await page.$$eval('#toolbar > button, #toolbar .menu-wrapper > button', (elements) => elements.map((b) => ({ id: b.id, label: b.getAttribute('aria-label'), title: b.title })));
    assert.deepEqual(buttons.map((b) => b.id), ['ctrl-alt-del', 'send-key', 'type-text', 'type-clipboard', 'scale', 'view-only', 'screenshot', 'reconnect']);
    for (const b of buttons) assert.ok(b.label && b.title, `${b.id} has an accessible label and a title`);
    assert.equal(await page.locator('#send-key-menu [role=menuitem]').count(), 26);
    assert.match(await page.textContent('#status-text'), /Waiting for the extension host/);
    assert.deepEqual(await cspViolations(page), []);
  });

  test("connects to QEMU: status Connected (WxH) with the size from the server's ServerInit", async () => {
    const since = host.mark();
    host.openSession(1, ports.plain);
    const connected = await host.waitFor((m) => m.type === 'connected' && m.session === 1, 'connected', since);
    const init = host.sessions.get(1).serverInit();
    assert.ok(init, 'the relay saw the ServerInit');
    assert.ok(init.width > 0 && init.height > 0);
    assert.deepEqual({ width: connected.width, height: connected.height }, { width: init.width, height: init.height });
    assert.equal(connected.name, init.name);
    const state = await host.state();
    assert.equal(state.rfb, 'connected');
    assert.match(state.status, /^Connected \(\d+x\d+\)/);
    assert.match(await page.textContent('#status-text'), new RegExp(`^Connected \\(${state.width}x${state.height}\\)`));
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'CANVAS', 'the screen has keyboard focus on connect');
  });

  test('the screen paints (more than one colour), and every byte given to the page is acknowledged', async () => {
    const state = await host.pollState((s) => s.distinctColours > 1, 'the screen shows more than one colour', 30_000);
    assert.ok(state.distinctColours > 1);
    const session = host.sessions.get(1);
    const { deliveredBefore } = await host.stateWithDelivered();
    // The page acknowledges what it has handed to noVNC, which may be a moment after it answered
    // the query (under load the last chunk's ack came after the answer): every byte is acked soon.
    for (const started = Date.now(); session.acked < deliveredBefore && Date.now() - started < 5000; ) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(session.acked >= deliveredBefore, `acked ${session.acked} of ${deliveredBefore} delivered before the query, 5 s later`);
    assert.ok(session.acked <= session.delivered);
    assert.ok(session.ackHistory.every((bytes, i, all) => i === 0 || bytes > all[i - 1]), 'acks are cumulative and increasing');
    assert.ok(session.toServerAcked > 0, 'the page sent bytes and they were acknowledged');
  });

  test('Ctrl+Alt+Del from the toolbar and chords from the Send Key menu and the host reach the server', async () => {
    const keys = (await host.state()).keyEventsSent;
    let traced = keyTrace(qemuLog).length;

    await page.click('#ctrl-alt-del');
    await host.pollState((s) => s.keyEventsSent === keys + 6, 'six key events for Ctrl+Alt+Del');
    const cad = await waitForTrace(qemuLog, traced + 6);
    assert.deepEqual(cad.slice(traced).map((k) => `${k.down ? '+' : '-'}${k.sym}`), ['+65507', '+65513', '+65535', '-65535', '-65513', '-65507']);
    traced += 6;

    await page.click('#send-key');
    assert.equal(await page.getAttribute('#send-key', 'aria-expanded'), 'true');
    await page.click('#send-key-menu [data-chord="ctrl-alt-f2"]');
    assert.equal(await page.isHidden('#send-key-menu'), true, 'the menu closes after a choice');
    await host.pollState((s) => s.keyEventsSent === keys + 12, 'six more for Ctrl+Alt+F2');
    const f2 = await waitForTrace(qemuLog, traced + 6);
    assert.deepEqual(f2.slice(traced).map((k) => `${k.down ? '+' : '-'}${k.sym}`), ['+65507', '+65513', '+65471', '-65471', '-65513', '-65507']);
    traced += 6;

    await host.toPage({ type: 'sendKeys', chord: 'print-screen' });
    await host.pollState((s) => s.keyEventsSent === keys + 14, 'two more for Print Screen');
    const print = await waitForTrace(qemuLog, traced + 2);
    assert.deepEqual(print.slice(traced).map((k) => `${k.down ? '+' : '-'}${k.sym}`), ['+65377', '-65377']);
    const state = await host.state();
    assert.equal(state.rfb, 'connected', 'the server kept the connection');
    assert.match(state.status, /sent Print Screen/);
  });

  test('the screen has keyboard focus, and keys typed there reach the guest', async () => {
    await page.click('#screen canvas');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'CANVAS');
    const traced = keyTrace(qemuLog).length;
    await page.keyboard.press('q');
    const keys = await waitForTrace(qemuLog, traced + 2);
    assert.deepEqual(keys.slice(traced).map((k) => `${k.down ? '+' : '-'}${k.sym}`), ['+113', '-113']);
  });

  test('the Send Key menu works from the keyboard', async () => {
    const keys = (await host.state()).keyEventsSent;
    const traced = keyTrace(qemuLog).length;
    await page.focus('#send-key');
    await page.keyboard.press('Enter');
    assert.equal(await page.isVisible('#send-key-menu'), true);
    const focused = () => page.evaluate(() => document.activeElement?.dataset.chord ?? document.activeElement?.id);
    assert.equal(await focused(), 'ctrl-alt-f1', 'opening focuses the first item');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'super', 'ArrowUp wraps to the last');
    await page.keyboard.press('Escape');
    assert.equal(await page.isHidden('#send-key-menu'), true);
    assert.equal(await focused(), 'send-key', 'Escape returns to the menu button');
    assert.equal((await host.state()).keyEventsSent, keys, 'nothing sent so far');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await host.pollState((s) => s.keyEventsSent === keys + 6, 'Ctrl+Alt+F2 chosen from the keyboard');
    assert.match((await host.state()).status, /sent Ctrl\+Alt\+F2/);
    // QEMU logs the keys a moment after the webview sent them: wait, so that the next test's
    // trace starts after them (under load they once landed in it).
    const chord = (await waitForTrace(qemuLog, traced + 6)).slice(traced);
    assert.deepEqual(chord.filter((k) => k.down).map((k) => k.sym), [65507, 65513, 65471]);
  });

  test('Type Text types printable ASCII with Shift where needed, and refuses characters a US keyboard lacks', async () => {
    const keys = (await host.state()).keyEventsSent;
    const traced = keyTrace(qemuLog).length;
    await host.toPage({ type: 'typeText', text: 'echo Hi!\n' });
    const done = await host.pollState((s) => /typed 9 characters/.test(s.status), 'typing finished');
    // e c h o space i, Enter: 2 events each; H and ! with Shift: 4 each.
    assert.equal(done.keyEventsSent, keys + 7 * 2 + 2 * 4);
    const typed = (await waitForTrace(qemuLog, traced + 22)).slice(traced);
    assert.deepEqual(
      typed.filter((k) => k.down && k.sym !== 65505).map((k) => k.sym),
      [...'echo Hi!'].map((c) => c.charCodeAt(0)).concat(65293),
    );
    assert.equal(typed.filter((k) => k.down && k.sym === 65505).length, 2, 'Shift held for H and !');

    await host.toPage({ type: 'typeText', text: 'naïve' });
    const refused = await host.pollState((s) => /Nothing typed/.test(s.status), 'the refusal');
    assert.match(refused.status, /"ï" \(U\+00EF\)/);
    assert.equal(refused.keyEventsSent, done.keyEventsSent, 'no key was sent');
  });

  test('scale: Fit to Window scales the canvas into the panel; 1:1 shows it at its size with scroll bars', async () => {
    assert.equal((await host.state()).scale, 'fit');
    assert.equal(await page.getAttribute('#scale', 'aria-pressed'), 'true');
    await page.click('#scale');
    const actual = await host.state();
    assert.equal(actual.scale, 'actual');
    assert.equal(await page.getAttribute('#scale', 'aria-pressed'), 'false');
    const oneToOne = await canvasGeometry(page);
    assert.equal(Math.round(oneToOne.cssWidth), oneToOne.width, '1:1: one canvas pixel per CSS pixel');
    assert.equal(Math.round(oneToOne.cssHeight), oneToOne.height);
    assert.ok(oneToOne.width > oneToOne.containerWidth, `the ${oneToOne.width}-pixel screen is wider than the ${oneToOne.containerWidth}-pixel panel`);
    assert.ok(oneToOne.scrollWidth > oneToOne.clientWidth, 'so it scrolls');

    await host.toPage({ type: 'setScale', mode: 'fit' });
    assert.equal((await host.state()).scale, 'fit');
    const fit = await canvasGeometry(page);
    assert.ok(fit.cssWidth <= fit.containerWidth + 0.5 && fit.cssHeight <= fit.containerHeight + 0.5, `fits: ${JSON.stringify(fit)}`);
    assert.ok(fit.cssWidth < fit.width, 'scaled down');
    assert.ok(Math.abs(fit.cssWidth - fit.containerWidth) < 1 || Math.abs(fit.cssHeight - fit.containerHeight) < 1, 'fills one dimension');
  });

  test('view only: no keys go out and the key buttons are disabled; the toggle turns it off again', async () => {
    await host.toPage({ type: 'setViewOnly', viewOnly: true });
    const viewOnly = await host.state();
    assert.equal(viewOnly.viewOnly, true);
    assert.equal(await page.getAttribute('#view-only', 'aria-pressed'), 'true');
    assert.equal(await page.isDisabled('#ctrl-alt-del'), true);
    await host.toPage({ type: 'sendKeys', chord: 'escape' });
    await host.toPage({ type: 'typeText', text: 'x' });
    const after = await host.state();
    assert.equal(after.keyEventsSent, viewOnly.keyEventsSent);
    assert.match(after.status, /View only: no keys were sent/);

    await page.click('#view-only');
    const input = await host.state();
    assert.equal(input.viewOnly, false);
    assert.equal(await page.isDisabled('#ctrl-alt-del'), false);
    await host.toPage({ type: 'sendKeys', chord: 'escape' });
    assert.equal((await host.state()).keyEventsSent, input.keyEventsSent + 2);
  });

  test('Type Text…, Type Clipboard and Screenshot ask the host', async () => {
    for (const [id, what] of [['#type-text', 'typeText'], ['#type-clipboard', 'typeClipboard'], ['#screenshot', 'screenshot']]) {
      const since = host.mark();
      await page.click(id);
      await host.waitFor((m) => m.type === 'request' && m.what === what, `request ${what}`, since);
    }
  });

  test('screenshot: a PNG with the size of the screen', async () => {
    const state = await host.state();
    const since = host.mark();
    await host.toPage({ type: 'captureScreenshot', requestId: 41 });
    const shot = await host.waitFor((m) => (m.type === 'screenshot' || m.type === 'screenshotError') && m.requestId === 41, 'screenshot', since);
    assert.equal(shot.type, 'screenshot', shot.reason);
    const png = shot.png;
    assert.ok(png instanceof Uint8Array);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    const ihdr = Buffer.from(png.subarray(8, 33));
    assert.equal(ihdr.toString('latin1', 4, 8), 'IHDR');
    assert.deepEqual({ width: ihdr.readUInt32BE(8), height: ihdr.readUInt32BE(12) }, { width: state.width, height: state.height });
    assert.deepEqual({ width: shot.width, height: shot.height }, { width: state.width, height: state.height });
    // Kept for a look at what the console showed (test-results/ is ignored by git).
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'qemu-screen.png'), png);
    await page.screenshot({ path: join(ARTIFACTS, 'console-page.png') });
  });

  test('a status text from the host shows in the status line', async () => {
    await host.toPage({ type: 'status', text: 'guest rebooted, reconnecting', busy: true });
    assert.equal((await host.state()).status, 'guest rebooted, reconnecting');
    assert.equal(await page.getAttribute('#status', 'class'), 'busy');
  });

  test('password: credentials asked; a wrong one gives securityFailure and "Wrong password"; the right one connects', async () => {
    let since = host.mark();
    host.openSession(2, ports.locked);
    await host.waitFor((m) => m.type === 'close' && m.session === 1, 'the previous session closed by the page', since);
    await host.waitFor((m) => m.type === 'credentials' && m.session === 2, 'credentials', since);
    assert.match((await host.state()).status, /asks for a password/);
    await host.toPage({ type: 'password', session: 2, password: WRONG_PASSWORD });
    const failure = await host.waitFor((m) => m.type === 'securityFailure' && m.session === 2, 'securityFailure', since);
    assert.equal(typeof failure.reason, 'string');
    await host.waitFor((m) => m.type === 'disconnected' && m.session === 2, 'disconnected after the failure', since);
    const wrong = await host.state();
    assert.match(wrong.status, /^Wrong password/);
    assert.equal(wrong.rfb, 'disconnected');
    // method=2 is VNC password authentication (the plain display's method=1 passes too).
    const vncAuth = (outcome) => (line) => line.startsWith(`vnc_auth_${outcome}`) && / method=2\b/.test(line);
    await waitForLines(qemuLog, vncAuth('fail'), 1, 'QEMU refusing the wrong password');
    assert.equal(qemuLog.filter(vncAuth('pass')).length, 0);

    since = host.mark();
    host.openSession(3, ports.locked);
    await host.waitFor((m) => m.type === 'credentials' && m.session === 3, 'credentials again', since);
    await host.toPage({ type: 'password', session: 3, password: PASSWORD });
    const connected = await host.waitFor((m) => m.type === 'connected' && m.session === 3, 'connected with the password', since);
    assert.ok(connected.width > 0 && connected.height > 0);
    assert.match((await host.state()).status, /^Connected \(/);
    await waitForLines(qemuLog, vncAuth('pass'), 1, 'QEMU accepting the right password');
    assert.equal(qemuLog.filter(vncAuth('fail')).length, 1);

    const dom = await page.content();
    for (const secret of [PASSWORD, WRONG_PASSWORD]) {
      assert.ok(!dom.includes(secret), 'no password in the page');
      assert.ok(!consoleLines.some((line) => line.includes(secret)), 'no password in the console');
    }
  });

  test('the host closes the connection: Disconnected with its reason', async () => {
    const since = host.mark();
    host.closeSession(3, 'the test closed the connection');
    await host.waitFor((m) => m.type === 'disconnected' && m.session === 3, 'disconnected', since);
    const state = await host.state();
    assert.equal(state.rfb, 'disconnected');
    assert.equal(state.status, 'Disconnected: the test closed the connection');
    assert.equal(await page.isDisabled('#screenshot'), true);
    await host.toPage({ type: 'captureScreenshot', requestId: 42 });
    const answer = await host.waitFor((m) => m.requestId === 42, 'screenshot answer', since);
    assert.equal(answer.type, 'screenshotError');
  });

  test('Reconnect: disabled while connected; once disconnected it asks the host to connect again', async () => {
    let since = host.mark();
    host.openSession(4, ports.plain);
    await host.waitFor((m) => m.type === 'connected' && m.session === 4, 'connected', since);
    assert.equal(await page.isDisabled('#reconnect'), true);
    since = host.mark();
    host.closeSession(4, 'the test closed the connection');
    await host.waitFor((m) => m.type === 'disconnected' && m.session === 4, 'disconnected', since);
    assert.equal(await page.isDisabled('#reconnect'), false);
    await page.click('#reconnect');
    await host.waitFor((m) => m.type === 'request' && m.what === 'reconnect', 'request reconnect', since);
  });

  test('nothing stored, no CSP violation, no page error in the whole run', async () => {
    assert.equal(await page.evaluate(() => window.__consoleTest.setStateCalls), 0);
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(host.errors, [], 'every message reached the page');
    assert.deepEqual(consoleLines.filter((line) => /Content Security Policy|Refused to/i.test(line)), []);
  });
});

// ---------------------------------------------------------------------------------------------

/** Bundles client/src/console/html.ts for Node and returns its consoleHtml. */
async function loadConsoleHtml(dir) {
  const outfile = join(dir, 'html.mjs');
  await esbuild.build({ entryPoints: [join(ROOT, 'client/src/console/html.ts')], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
  return (await import(pathToFileURL(outfile).href)).consoleHtml;
}

/**
 * One QEMU with two VNC displays on the loopback, each on the first free display from 10 up:
 * `plain` without authentication and `locked` with VNC password authentication. Its HMP monitor
 * on stdin/stdout tells which ports they got; its trace (stderr) logs key events and authentication.
 */
async function startQemu(dir, log) {
  const secretFile = join(dir, 'vnc-password');
  writeFileSync(secretFile, PASSWORD, { mode: 0o600 });
  const args = [
    '-display', 'none', '-M', 'pc', '-vga', 'std', '-nodefaults', '-m', '64',
    '-monitor', 'stdio',
    '-object', `secret,id=vncpass,file=${secretFile}`,
    '-vnc', '127.0.0.1:10,id=plain,to=99',
    '-vnc', '127.0.0.1:10,id=locked,password-secret=vncpass,to=99',
    '-trace', 'vnc_key_event_ext', '-trace', 'vnc_auth_pass', '-trace', 'vnc_auth_fail',
  ];
  const child = spawn(QEMU, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  process.once('exit', () => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    const lines = stderr.split('\n');
    stderr = lines.pop();
    log.push(...lines);
  });
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`QEMU exited (${code}): ${log.slice(-5).join(' | ')} ${stderr}`))));
  const ports = await Promise.race([
    exited,
    (async () => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        child.stdin.write('info vnc\n');
        await new Promise((done) => setTimeout(done, 250));
        const plain = /plain:\s*\n\s*Server: 127\.0\.0\.1:(\d+)/.exec(stdout);
        const locked = /locked:\s*\n\s*Server: 127\.0\.0\.1:(\d+)/.exec(stdout);
        if (plain && locked) return { plain: Number(plain[1]), locked: Number(locked[1]) };
      }
      throw new Error(`QEMU's monitor did not name both VNC ports: ${stdout.slice(-500)}`);
    })(),
  ]);
  exited.catch(() => {}); // a later exit is seen by the tests' own waits
  return { child, ports };
}

/** The key events QEMU's trace logged so far. */
function keyTrace(log) {
  return log
    .filter((line) => line.startsWith('vnc_key_event_ext'))
    .map((line) => {
      // vnc_key_event_ext down 1, sym 0xffe3, keycode 0x1d [ctrl]
      const match = /down (\d+), sym 0x([0-9a-f]+)/.exec(line);
      if (!match) throw new Error(`unexpected trace line: ${line}`);
      return { down: match[1] === '1', sym: parseInt(match[2], 16) };
    });
}

async function waitForTrace(log, count, timeoutMs = 10_000) {
  await waitForLines(log, (line) => line.startsWith('vnc_key_event_ext'), count, `${count} key events in QEMU's trace`, timeoutMs);
  return keyTrace(log);
}

/** Waits until `count` lines of QEMU's trace match (the trace reaches us through a pipe, after the event). */
async function waitForLines(log, predicate, count, label, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = log.filter(predicate).length;
    if (found >= count) return;
    if (Date.now() > deadline) throw new Error(`${label}: ${found} of ${count} trace lines`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

async function cspViolations(page) {
  return page.evaluate(() => window.__consoleTest.cspViolations);
}

async function canvasGeometry(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('#screen canvas');
    const container = document.querySelector('#screen');
    const scroller = canvas.parentElement;
    const rect = canvas.getBoundingClientRect();
    const box = container.getBoundingClientRect();
    return {
      width: canvas.width,
      height: canvas.height,
      cssWidth: rect.width,
      cssHeight: rect.height,
      containerWidth: box.width,
      containerHeight: box.height,
      scrollWidth: scroller.scrollWidth,
      clientWidth: scroller.clientWidth,
    };
  });
}

/** Runs in the page before its scripts: a stand-in for VS Code's acquireVsCodeApi, and a CSP violation log. */
function installVsCodeApiStub() {
  const record = { cspViolations: [], setStateCalls: 0 };
  window.__consoleTest = record;
  document.addEventListener('securitypolicyviolation', (event) => record.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
  const toBase64 = (bytes) => {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may be called once');
    acquired = true;
    return {
      postMessage(message) {
        const copy = { ...message };
        for (const key of ['data', 'png']) {
          if (copy[key] !== undefined) {
            if (!(copy[key] instanceof Uint8Array)) throw new Error(`${message.type}.${key} is not a Uint8Array`);
            copy[key] = { base64: toBase64(copy[key]) };
          }
        }
        window.__toHost(copy);
      },
      getState: () => undefined,
      setState: () => {
        record.setStateCalls++;
      },
    };
  };
}

/** The extension host's side, as far as the test needs it: messages, and one TCP relay per session. */
class TestHost {
  messages = [];
  errors = [];
  stopped = false;
  sessions = new Map();
  #waiters = new Set();
  #chain = Promise.resolve();
  #requestId = 0;

  constructor(page) {
    this.page = page;
  }

  /** Index of the next message, for waits that must not match earlier ones. */
  mark() {
    return this.messages.length;
  }

  fromPage(raw) {
    const message = { ...raw };
    for (const key of ['data', 'png']) if (message[key]?.base64 !== undefined) message[key] = new Uint8Array(Buffer.from(message[key].base64, 'base64'));
    this.messages.push(message);
    const session = this.sessions.get(message.session);
    if (session) {
      if (message.type === 'send') session.write(message.data);
      else if (message.type === 'ack') session.ackFromPage(message.bytes);
      else if (message.type === 'close') session.end();
    }
    for (const waiter of this.#waiters) waiter();
  }

  /**
   * Posts a message to the page, in order with every other. Socket events post without waiting:
   * a failure is kept in `errors` (checked at the end) and also rejects the returned promise.
   */
  toPage(message) {
    if (this.stopped) return Promise.resolve();
    const payload = message.data instanceof Uint8Array ? { ...message, data: { base64: Buffer.from(message.data).toString('base64') } } : message;
    return this.#enqueue(() =>
      this.page.evaluate((m) => {
        if (m.data && m.data.base64 !== undefined) m.data = Uint8Array.from(atob(m.data.base64), (c) => c.charCodeAt(0));
        window.dispatchEvent(new MessageEvent('message', { data: m }));
      }, payload),
    );
  }

  #enqueue(step) {
    const run = this.#chain.then(step);
    this.#chain = run.catch((error) => {
      this.errors.push(error instanceof Error ? error.message : String(error));
    });
    return run;
  }

  /** The first message from index `since` on that matches. */
  waitFor(predicate, label, since, timeoutMs = 20_000) {
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        const found = this.messages.slice(since).find(predicate);
        if (found) {
          this.#waiters.delete(check);
          clearTimeout(timer);
          resolvePromise(found);
        }
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`no ${label} from the page; last messages: ${JSON.stringify(this.messages.slice(-6).map((m) => ({ ...m, data: m.data ? `${m.data.length} bytes` : undefined })))}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  async state() {
    const requestId = ++this.#requestId;
    const since = this.mark();
    await this.toPage({ type: 'queryState', requestId });
    return (await this.waitFor((m) => m.type === 'state' && m.requestId === requestId, 'state', since)).state;
  }

  /** queryState, and how many bytes session 1 had delivered to the page when the query went out. */
  async stateWithDelivered() {
    const requestId = ++this.#requestId;
    const since = this.mark();
    let deliveredBefore = 0;
    void this.#enqueue(() => {
      deliveredBefore = this.sessions.get(1)?.delivered ?? 0;
    });
    await this.toPage({ type: 'queryState', requestId });
    const state = (await this.waitFor((m) => m.type === 'state' && m.requestId === requestId, 'state', since)).state;
    return { state, deliveredBefore };
  }

  /** Asks for the state until it satisfies `predicate`. */
  async pollState(predicate, label, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.state();
      if (predicate(state)) return state;
      if (Date.now() > deadline) throw new Error(`${label}: not reached; state ${JSON.stringify(state)}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  openSession(id, port) {
    const session = new RelaySession(this, id, port);
    this.sessions.set(id, session);
    void this.toPage({ type: 'session', session: id, guest: 'qemu-test', host: 'this machine', viewOnly: false });
    session.connect();
  }

  closeSession(id, reason) {
    const session = this.sessions.get(id);
    session.end();
    void this.toPage({ type: 'closed', session: id, reason });
  }

  closeAll() {
    this.stopped = true;
    for (const session of this.sessions.values()) session.end();
  }
}

/** One session's TCP connection to QEMU and its counters. */
class RelaySession {
  delivered = 0;
  acked = 0;
  ackHistory = [];
  toServerAcked = 0;
  fromServer = [];
  paused = false;
  closed = false;

  constructor(host, id, port) {
    this.host = host;
    this.id = id;
    this.port = port;
  }

  connect() {
    this.socket = connect({ host: '127.0.0.1', port: this.port });
    this.socket.on('connect', () => void this.host.toPage({ type: 'open', session: this.id }));
    this.socket.on('data', (chunk) => {
      if (this.fromServer.length < 8) this.fromServer.push(chunk);
      for (let offset = 0; offset < chunk.length; offset += CHUNK) {
        const part = chunk.subarray(offset, offset + CHUNK);
        this.delivered += part.length;
        void this.host.toPage({ type: 'data', session: this.id, data: new Uint8Array(part) });
      }
      if (this.delivered - this.acked > HIGH_WATER) {
        this.paused = true;
        this.socket.pause();
      }
    });
    this.socket.on('error', (error) => this.finish(`socket error: ${error.message}`));
    this.socket.on('close', () => this.finish('QEMU closed the connection'));
  }

  finish(reason) {
    if (this.closed) return;
    this.closed = true;
    void this.host.toPage({ type: 'closed', session: this.id, reason });
  }

  write(bytes) {
    if (this.closed) return;
    this.socket.write(bytes, () => {
      this.toServerAcked += bytes.length;
      void this.host.toPage({ type: 'ack', session: this.id, bytes: this.toServerAcked });
    });
  }

  ackFromPage(bytes) {
    this.acked = bytes;
    this.ackHistory.push(bytes);
    if (this.paused && this.delivered - this.acked <= HIGH_WATER / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }

  end() {
    this.closed = true;
    this.socket?.destroy();
  }

  /** The ServerInit of an unauthenticated RFB 3.8 session, read from the first bytes QEMU sent. */
  serverInit() {
    const bytes = Buffer.concat(this.fromServer);
    if (bytes.toString('latin1', 0, 12) !== 'RFB 003.008\n') return undefined;
    const types = bytes[12];
    let offset = 13 + types + 4; // the security types, then SecurityResult
    if (bytes.length < offset + 24) return undefined;
    const width = bytes.readUInt16BE(offset);
    const height = bytes.readUInt16BE(offset + 2);
    offset += 20;
    const nameLength = bytes.readUInt32BE(offset);
    return { width, height, name: bytes.toString('utf8', offset + 4, offset + 4 + nameLength) };
  }
}
