// The Host Dashboard's page (dist/webview/dashboard.js) in real headless Chromium, under the
// panel's real HTML and CSP: it says ready, lays out what the extension posts (rows built by the
// real rows.ts from the rig's xentop capture), sorts by a clicked column header, asks to reveal a
// clicked guest, and draws its sparklines as SVG polylines, without any CSP violation.
//
// Needs Chromium (/usr/bin/chromium, or XEN_XL_E2E_CHROMIUM) and playwright-core. Without them
// the suite is skipped, except in CI (CI set), where a missing tool is a failure.
// Run by `npm test` after the build; alone: node scripts/build.mjs && node --test test/webview/dashboard.test.mjs

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..', '..');
const flag = (value) => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
const CI = flag(process.env.CI);
const CHROMIUM = process.env.XEN_XL_E2E_CHROMIUM || '/usr/bin/chromium';
const BUNDLE = join(ROOT, 'dist', 'webview', 'dashboard.js');
const STYLES = join(ROOT, 'dist', 'webview', 'dashboard.css');
const ORIGIN = 'https://dashboard.test';

function missingTools() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push(`Chromium (${CHROMIUM}; set XEN_XL_E2E_CHROMIUM)`);
  try {
    createRequire(join(ROOT, 'package.json')).resolve('playwright-core');
  } catch {
    missing.push('playwright-core (npm ci)');
  }
  return missing;
}

/** The page's HTML and one update, made by the extension's own (pure) modules. */
async function loadExtensionSide(dir) {
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `import { readFileSync } from 'node:fs';
export { dashboardHtml } from ${JSON.stringify(join(ROOT, 'client/src/dashboard/html.ts'))};
import { dashboardUpdate } from ${JSON.stringify(join(ROOT, 'client/src/dashboard/rows.ts'))};
import { FiguresHistory } from ${JSON.stringify(join(ROOT, 'client/src/figures/history.ts'))};
import { XentopParser } from ${JSON.stringify(join(ROOT, 'client/src/xl/xentop.ts'))};
export function rigUpdate() {
  let at = 0;
  const parser = new XentopParser(() => (at += 5000));
  const history = new FiguresHistory();
  const frames = parser.feed(readFileSync(${JSON.stringify(join(ROOT, 'test/fixtures/xl/rig-xentop-full.txt'))}, 'utf8'));
  const last = parser.flush();
  for (const frame of last ? [...frames, last] : frames) history.addFrame('rig', frame);
  history.addHostMemory('rig', { at: 5000, freeKiB: 900000, totalKiB: 2097152 });
  history.addHostMemory('rig', { at: 15000, freeKiB: 800000, totalKiB: 2097152 });
  return dashboardUpdate({ hostLabel: 'rig <host>', history, hostId: 'rig', now: at, windowMs: 600000, status: 'live, a sample every 2 s', unavailable: false });
}
`,
  );
  const outfile = join(dir, 'side.mjs');
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
  return import(pathToFileURL(outfile).href);
}

function installVsCodeApiStub() {
  const record = { cspViolations: [], posted: [] };
  window.__dashboardTest = record;
  document.addEventListener('securitypolicyviolation', (event) => record.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
  window.acquireVsCodeApi = () => ({ postMessage: (message) => record.posted.push(message), getState: () => undefined, setState: () => undefined });
}

const missing = missingTools();
const SUITE = 'Host Dashboard webview in Chromium';

if (missing.length > 0 && !CI) test(SUITE, { skip: `needs ${missing.join(', ')}` }, () => {});
else describe(SUITE, { timeout: 60_000 }, () => {
  let browser;
  let page;
  let tempDir;
  let update;
  const pageErrors = [];

  before(async () => {
    if (missing.length > 0) throw new Error(`CI is set and this suite cannot run: missing ${missing.join(', ')}`);
    if (!existsSync(BUNDLE) || !existsSync(STYLES)) throw new Error(`${BUNDLE} is missing: run node scripts/build.mjs first`);
    tempDir = mkdtempSync(join(tmpdir(), 'xen-xl-dashboard-test-'));
    const side = await loadExtensionSide(tempDir);
    update = side.rigUpdate();
    const { chromium } = createRequire(join(ROOT, 'package.json'))('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      env: { ...process.env, HOME: tempDir },
      timeout: 30_000,
    });
    page = await (await browser.newContext({ viewport: { width: 1200, height: 600 } })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const nonce = 'ZGFzaGJvYXJkLW5vbmNlLTEyMzQ1';
    const html = side.dashboardHtml({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/dashboard.js`, styleUri: `${ORIGIN}/dashboard.css`, title: 'Dashboard: rig <host>' });
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/index.html') return route.fulfill({ status: 200, contentType: 'text/html', body: html });
      if (path === '/dashboard.js') return route.fulfill({ status: 200, contentType: 'text/javascript', body: readFileSync(BUNDLE) });
      if (path === '/dashboard.css') return route.fulfill({ status: 200, contentType: 'text/css', body: readFileSync(STYLES) });
      return route.fulfill({ status: 404, body: 'not found' });
    });
    await page.addInitScript(installVsCodeApiStub);
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => window.__dashboardTest.posted.some((message) => message.type === 'ready'));
  });

  after(async () => {
    await browser?.close().catch((error) => console.error(`closing Chromium: ${error.message}`));
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  const names = () => page.$$eval('#guests tbody tr td:first-child', (cells) => cells.map((cell) => cell.textContent));

  test('the rows, sorted by CPU (highest first), with a sparkline of CPU and memory each', async () => {
    await page.evaluate((message) => window.postMessage(message, '*'), update);
    await page.waitForSelector('#guests tbody tr');
    assert.deepEqual(await names(), ['Domain-0', 'rig-hvm', 'rig-pv']);
    const cells = await page.$$eval('#guests tbody tr:nth-child(2) td', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(cells.slice(0, 5), ['rig-hvm', 'idle', '45%', '128 MiB', '1']);
    const polylines = await page.$$eval('#guests tbody tr:nth-child(2) svg polyline', (lines) => lines.map((line) => line.getAttribute('points')));
    assert.equal(polylines.length, 2);
    assert.ok(polylines.every((points) => points.split(' ').length >= 2), JSON.stringify(polylines));
    assert.match(await page.textContent('#status'), /^live/);
    assert.match(await page.textContent('#memory h2'), /Free memory: 781 MiB free of 2 GiB/);
    assert.equal((await page.$$eval('#memory polyline', (lines) => lines.map((line) => line.getAttribute('points'))))[0].split(' ').length, 2);
    // Each figure is the last thing in its cell, so it sits under its right-aligned header.
    const lastInCell = await page.$$eval('#guests tbody tr:nth-child(2) .with-spark', (boxes) => boxes.map((box) => box.lastElementChild?.className));
    assert.deepEqual(lastInCell, ['figure', 'figure']);
    mkdirSync(join(ROOT, 'test-results', 'webview'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results', 'webview', 'dashboard.png') });
  });

  test('a click on a column header sorts by it, a second click reverses', async () => {
    await page.click('#guests th:nth-child(1) button');
    assert.deepEqual(await names(), ['Domain-0', 'rig-hvm', 'rig-pv']);
    await page.click('#guests th:nth-child(1) button');
    assert.deepEqual(await names(), ['rig-pv', 'rig-hvm', 'Domain-0']);
    await page.click('#guests th:nth-child(4) button');
    assert.deepEqual(await names(), ['Domain-0', 'rig-hvm', 'rig-pv'], 'memory, highest first (the two guests tie: by name)');
    assert.equal(await page.getAttribute('#guests th:nth-child(4)', 'aria-sort'), 'descending');
  });

  test('a click on a name asks the extension to reveal that guest', async () => {
    await page.click('#guests tbody tr:has-text("rig-pv") button.guest');
    const posted = await page.evaluate(() => window.__dashboardTest.posted);
    assert.deepEqual(posted.at(-1), { type: 'reveal', name: 'rig-pv' });
  });

  test('no CSP violation and no page error; the title is escaped', async () => {
    assert.deepEqual(await page.evaluate(() => window.__dashboardTest.cspViolations), []);
    assert.deepEqual(pageErrors, []);
    assert.equal(await page.title(), 'Dashboard: rig <host>');
  });
});
