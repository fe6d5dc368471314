// What package.json contributes is really there at run time: every command is registered by the
// extension, and the Xen views can be opened.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { contributions, EXTENSION_ID, labelText, ourExtension, recordSpawns, waitFor } from './helpers';

/**
 * What the extension returns from `activate` for tests and other extensions: its tree data
 * providers, so a test can read the Xen views the way VS Code does (getChildren/getTreeItem).
 */
interface XenApi {
  views?: { guestsProvider?: vscode.TreeDataProvider<unknown> };
}

describe('contributions', () => {
  it('the extension under test is the one we built', async () => {
    const extension = await ourExtension();
    assert.ok(extension.isActive);
    // The code-server harness runs this suite against the VSIX it installed (see test/e2e/run.mjs)
    // and says where that is; under @vscode/test-electron the development folder is used.
    const expected = process.env.XEN_XL_EXPECT_EXTENSION_PATH;
    if (expected !== undefined) assert.equal(extension.extensionPath, expected, `${EXTENSION_ID} runs from the installed VSIX`);
  });

  it('every contributed command is registered', async () => {
    const contributed = (await contributions()).commands ?? [];
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered');
  });

  it('the Xen activity-bar container and its views exist and open', async () => {
    const contributes = await contributions();
    const containers = contributes.viewsContainers?.activitybar ?? [];
    const xen = containers.find((c) => /xen/i.test(c.id) || /xen/i.test(c.title));
    assert.ok(xen, `a Xen view container in the activity bar (got ${JSON.stringify(containers)})`);
    const views = contributes.views?.[xen.id] ?? [];
    assert.ok(views.length > 0, `views in ${xen.id}`);
    // VS Code registers `workbench.view.extension.<container>` and `<view>.focus` for each
    // contribution it accepted; running them opens the container and each view.
    await vscode.commands.executeCommand(`workbench.view.extension.${xen.id}`);
    for (const view of views) await vscode.commands.executeCommand(`${view.id}.focus`);
  });

  it('with no xl on the machine, the Guests view shows the "xl not found" error node', async () => {
    // The suite's settings.json sets xen.xlPath to a program that does not exist.
    assert.equal(vscode.workspace.getConfiguration('xen').get('xlPath'), '/nonexistent/xen-xl-e2e/xl');
    const extension = await ourExtension();
    const provider = (extension.exports as XenApi | undefined)?.views?.guestsProvider;
    assert.ok(provider, 'activate() returns { views: { guestsProvider } } (the tree data provider of xen.guests)');
    // A visible view is what makes the extension run `xl list`.
    await vscode.commands.executeCommand('xen.guests.focus');
    const { node, item } = await waitFor('the error node in the Guests view', async () => {
      const roots = (await provider.getChildren(undefined)) ?? [];
      for (const root of roots) {
        const rootItem = await provider.getTreeItem(root);
        if (rootItem.contextValue === 'xen.error') return { node: root, item: rootItem };
      }
      return undefined;
    }, 30_000);
    assert.equal(labelText(item), 'xl not found');
    // Its children explain what to do and offer the setting.
    const children = await Promise.all(((await provider.getChildren(node)) ?? []).map((child) => provider.getTreeItem(child)));
    const texts = children.map(labelText);
    assert.ok(texts.some((text) => text.includes('xen.xlPath')), `the error node offers xen.xlPath (children: ${JSON.stringify(texts)})`);
  });

  it('a refresh runs xl, and the spawn recorder sees it (the control for the untrusted window)', async () => {
    const extension = await ourExtension();
    const recorder = recordSpawns();
    try {
      await vscode.commands.executeCommand('xen.refresh');
      await waitFor('xl being run by the extension', () => recorder.calls.some((call) => call.stack.includes(extension.extensionPath)), 20_000);
    } finally {
      recorder.restore();
    }
    const ours = recorder.calls.filter((call) => call.stack.includes(extension.extensionPath));
    assert.ok(ours.some((call) => call.command.includes('/nonexistent/xen-xl-e2e/xl')), `xl from xen.xlPath was run (got ${JSON.stringify(ours.map((c) => c.command))})`);
  });
});
