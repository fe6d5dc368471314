// The entry of the workbench-on-Xen suite (the `extensionTestsPath` contract): runs every
// bundled `*.test.js` next to it with mocha inside code-server's extension host, against the rig
// that test/e2e/xen/harness.mjs booted and named in `xen.hosts`.
//
// After every test a screenshot of the workbench is taken (through the harness's bridge) and the
// test's entry is written to $XEN_XL_E2E_REPORT: name, the command ids it drove, its status and
// its screenshots. Zero tests is a failure; pending (skipped) tests are counted and printed, and
// fail the run when XEN_XL_E2E_REQUIRE=1.

import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { e2eState, screenshot, type ReportEntry } from './helpers';

export async function run(): Promise<void> {
  if (process.env.XEN_XL_E2E_XEN !== '1') throw new Error('this suite runs only under test/e2e/xen/harness.mjs (it needs the Xen rig and the bridge)');
  const state = e2eState();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 240_000, reporter: 'spec' });
  // XEN_XL_E2E_FILES (a developer's run of some files, e.g. `f-`): only the files whose names
  // start with one of its comma-separated prefixes. Refused under CI, where every file runs.
  const only = (process.env.XEN_XL_E2E_FILES ?? '').split(',').filter(Boolean);
  if (only.length > 0 && process.env.CI) throw new Error('XEN_XL_E2E_FILES is for local runs; CI runs every file');
  if (only.length > 0) console.log(`!! XEN_XL_E2E_FILES=${only.join(',')}: only these test files run`);
  for (const name of readdirSync(__dirname).sort()) {
    if (name.endsWith('.test.js') && (only.length === 0 || only.some((prefix) => name.startsWith(prefix)))) mocha.addFile(join(__dirname, name));
  }

  const written = (): void => {
    if (process.env.XEN_XL_E2E_REPORT) writeFileSync(process.env.XEN_XL_E2E_REPORT, JSON.stringify({ tests: state.entries }, null, 2));
  };
  mocha.suite.beforeEach(function () {
    state.current = { commands: [], screenshots: [] };
  });
  mocha.suite.afterEach(async function () {
    const test = this.currentTest;
    if (test === undefined) return;
    const status = test.state === 'passed' ? 'passed' : test.state === 'failed' ? 'failed' : 'skipped';
    const current = state.current;
    // One screenshot per step, also (and especially) of a failed one.
    try {
      current.screenshots.push(await screenshot(`${test.titlePath().slice(-1)[0]}${status === 'failed' ? ' FAILED' : ''}`));
    } catch (error) {
      console.log(`(no screenshot after "${test.title}": ${error instanceof Error ? error.message : String(error)})`);
    }
    state.entries.push(entryOf(test.fullTitle(), status, current, test.err, test.duration));
    written();
  });

  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pending', (test) => state.entries.push(entryOf(test.fullTitle(), 'skipped', { commands: [], screenshots: [] })));
    // A failing hook (before/after) fails its tests without running them: list it too.
    runner.on('fail', (test, error) => {
      // Said at once (mocha's spec report lists the errors only at the end of the run).
      console.log(`    ✘ ${test.fullTitle()}: ${String(error?.message ?? error).split('\n').slice(0, 8).join('\n      ')}`);
      if ((test as { type?: string }).type === 'hook') state.entries.push(entryOf(test.fullTitle(), 'failed', { commands: [], screenshots: [] }, error));
    });
  });
  written();
  const pending = state.entries.filter((e) => e.status === 'skipped');
  if (pending.length > 0) console.log(`==== ${pending.length} pending (skipped) workbench-on-Xen test(s): ${pending.map((e) => e.name).join('; ')} ====`);
  if (state.entries.length === 0) throw new Error('the workbench-on-Xen suite ran no test');
  if (failures > 0) throw new Error(`${failures} workbench-on-Xen test(s) failed`);
  if (pending.length > 0 && process.env.XEN_XL_E2E_REQUIRE === '1') throw new Error(`${pending.length} pending test(s), and XEN_XL_E2E_REQUIRE=1`);
}

function entryOf(name: string, status: ReportEntry['status'], current: { commands: string[]; screenshots: string[] }, error?: Error, durationMs?: number): ReportEntry {
  return {
    name,
    command: current.commands.length === 0 ? null : current.commands.length === 1 ? current.commands[0] : current.commands,
    status,
    screenshot: current.screenshots.length === 0 ? null : current.screenshots[current.screenshots.length - 1],
    screenshots: current.screenshots,
    durationMs,
    error: error ? String(error.message).slice(0, 2000) : undefined,
  };
}
