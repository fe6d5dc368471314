// The extension-host test entry (the `extensionTestsPath` contract of @vscode/test-electron): VS
// Code loads this module inside its extension host and awaits `run()`. It runs every bundled
// `*.test.js` next to it with mocha.
//
// `*.untrusted.test.js` files are about restricted mode: they run instead of the others when the
// window's workspace is not trusted (the code-server harness, test/e2e/run.mjs, opens one such
// window; @vscode/test-electron runs with --disable-workspace-trust and so runs the rest).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const untrusted = !vscode.workspace.isTrusted;
  // The harness says which kind of window it opened; a mismatch would run the wrong tests.
  const expected = process.env.XEN_XL_EXPECT_TRUST;
  if (expected !== undefined && expected !== (untrusted ? 'untrusted' : 'trusted')) {
    throw new Error(`the window is ${untrusted ? 'untrusted' : 'trusted'}, but the harness opened it as ${expected}`);
  }
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const name of readdirSync(__dirname).sort()) {
    if (name.endsWith('.test.js') && name.endsWith('.untrusted.test.js') === untrusted) mocha.addFile(join(__dirname, name));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
