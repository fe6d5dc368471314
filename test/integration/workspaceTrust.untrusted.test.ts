// Runs only in an untrusted window (see index.ts): the code-server harness opens the fixture
// workspace a second time with workspace trust on and the folder not trusted. Language features
// still work there, but nothing may run a program: every contributed command is executed (with
// no argument and with a config file's Uri), every Xen view is opened, and neither the extension
// host's child_process functions nor the fake `xl` (xen.xlPath in the user settings, which
// records each run in a marker file) may have been called.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { codeOf, contributions, diagnosticsFor, ourExtension, recordSpawns, workspaceFile } from './helpers';

/** Runs a command but does not wait more than `ms` for it (it may be waiting for an answer in a prompt). */
async function executeBriefly(command: string, args: unknown[], ms = 3000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    Promise.resolve(vscode.commands.executeCommand(command, ...args)).then(
      () => 'done',
      (error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`,
    ),
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still waiting'), ms))),
  ]);
  clearTimeout(timer);
  // Dismiss a quick pick or input box the command may have opened.
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  return outcome;
}

describe('untrusted workspace', () => {
  it('the window is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('diagnostics still work', async () => {
    const uri = workspaceFile('xen/broken.cfg');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await diagnosticsFor(uri, (list) => list.some((d) => codeOf(d) === 'xl.syntax.uppercase-key'));
  });

  it('no command and no view runs a program', async function () {
    this.timeout(180_000);
    const marker = process.env.XEN_XL_SPAWN_MARKER;
    assert.ok(marker, 'XEN_XL_SPAWN_MARKER names the file the fake xl writes (set by test/e2e/run.mjs)');
    const extension = await ourExtension();
    const contributes = await contributions();
    const commands = (contributes.commands ?? []).map((c) => c.command);
    const views = Object.entries(contributes.views ?? {}).flatMap(([container, list]) => list.map((v) => ({ container, id: v.id })));
    const terminalsBefore = vscode.window.terminals.length;
    const config = workspaceFile('xen/web.cfg');

    const recorder = recordSpawns();
    const outcomes: string[] = [];
    try {
      for (const view of views) {
        outcomes.push(`view ${view.id}: ${await executeBriefly(`${view.id}.focus`, [])}`);
      }
      for (const command of commands) {
        outcomes.push(`${command}(): ${await executeBriefly(command, [])}`);
        outcomes.push(`${command}(uri): ${await executeBriefly(command, [config])}`);
      }
      // Give anything started asynchronously (a refresh timer, a tree load) time to happen.
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      recorder.restore();
    }
    console.log(`  commands run in the untrusted window:\n    ${outcomes.join('\n    ')}`);
    const ours = recorder.calls.filter((call) => call.stack.includes(extension.extensionPath));
    assert.deepEqual(ours.map((c) => `${c.fn}(${c.command})`), [], 'the extension called child_process');
    assert.equal(existsSync(marker) ? readFileSync(marker, 'utf8') : '', '', 'the fake xl was run');
    assert.equal(vscode.window.terminals.length, terminalsBefore, 'a terminal was opened');
  });

  it('the Guests view says the workspace is not trusted', async () => {
    const extension = await ourExtension();
    const api = extension.exports as { views?: { guestsProvider?: vscode.TreeDataProvider<unknown> } } | undefined;
    const provider = api?.views?.guestsProvider;
    assert.ok(provider, 'activate() returns { views: { guestsProvider } } (the tree data provider of xen.guests)');
    await vscode.commands.executeCommand('xen.guests.focus');
    const roots = (await provider.getChildren(undefined)) ?? [];
    const items = await Promise.all(roots.map((node) => provider.getTreeItem(node)));
    assert.ok(items.some((item) => item.contextValue === 'xen.untrusted'), `an "untrusted" node (got ${JSON.stringify(items.map((i) => i.label))})`);
  });
});
