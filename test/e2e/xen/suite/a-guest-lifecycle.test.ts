// One guest's life through the workbench, on the real Xen rig over the user's ssh alias: Start
// from the Explorer's context menu, the Console, Show Running Configuration, Pause/Unpause,
// Reboot, Shut Down, Start again from the CodeLens. (Destroy and the other modal confirmations are
// in the UI suite, test/e2e/xen/ui.mjs: an extension-tests window refuses modal dialogs.) With
// xen.refreshInterval 0 the view refreshes only after actions (and the Refresh button, which the
// checks below do not press unless they say so): what the view shows right after an action is
// what that action's own refresh fetched.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  LIVE,
  bridge,
  command,
  contextOf,
  describeView,
  destroyInDom0,
  dom0 as dom0Shell,
  drove,
  guestConfig,
  guestNode,
  guestsView,
  labelOf,
  rig,
  shot,
  waitFor,
  writeConfig,
  xlListed,
} from './helpers';

const NAME = 'wb-pv';
const TAG = `wb-pv-${process.pid}`;

describe('a guest through the workbench, on the real Xen rig', () => {
  let uri: vscode.Uri;

  before(async () => {
    await destroyInDom0(NAME);
    uri = await writeConfig(`${NAME}.cfg`, guestConfig(NAME, TAG));
  });

  after(async () => {
    for (const terminal of vscode.window.terminals) terminal.dispose();
    await destroyInDom0(NAME);
  });

  it('the Guests view lists the rig\'s Domain-0 through the ssh alias in xen.hosts', async () => {
    await command('xen.refresh');
    const { roots, guests } = await guestsView();
    const dom0 = guests.find((g) => g.domain.id === 0);
    if (!dom0) {
      const probe = await dom0Shell('xl list').catch((error: unknown) => ({ status: -1, stdout: '', stderr: String(error) }));
      assert.fail(`Domain-0 is not listed; the view shows: ${await describeView()}; PATH=${process.env.PATH}; plain ssh: ${probe.status} ${probe.stdout} ${probe.stderr}`);
    }
    assert.equal(dom0.domain.name, 'Domain-0');
    assert.equal(await contextOf(dom0), 'guest:dom0');
    // One ssh host: it is the one root, named by its alias, so the user sees where the guests run.
    assert.deepEqual(roots.map(({ item }) => labelOf(item)), [rig.aliases.a]);
    assert.match(String(roots[0].item.description), /\d+ domains?/);
    await vscode.commands.executeCommand('workbench.view.extension.xen');
    await shot('guests view with the rig\'s Domain-0');
  });

  it('Start Guest from the Explorer\'s context menu: running in the Guests view right after xl create', async () => {
    await vscode.commands.executeCommand('revealInExplorer', uri);
    await bridge('explorerMenu', { file: `${NAME}.cfg`, item: 'Start Guest' });
    drove('xen.config.start');
    // No Refresh press: only the refresh that Start makes after `xl create` can show it.
    const node = await waitFor(`${NAME} to be running in the Guests view`, async () => {
      const found = await guestNode(NAME);
      return found && LIVE.has(found.domain.state) ? found : undefined;
    }, 180_000);
    assert.equal(await contextOf(node), 'guest:running');
    assert.equal(node.domain.memoryMiB, 128);
    const inDom0 = await xlListed(NAME);
    assert.equal(inDom0?.id, node.domain.id, 'dom0 lists the same domain id as the view');
    await vscode.commands.executeCommand('workbench.view.extension.xen');
    await shot('guests view with a running guest');
  });

  it('Console from the Guests view: the terminal shows the guest\'s boot output', async () => {
    const node = await guestNode(NAME);
    assert.ok(node, `${NAME} is in the view`);
    await command('xen.guest.console', node);
    // Named after the guest, and its host when the view shows host roots: `wb-pv (xen-a)`.
    const terminal = await waitFor('the console terminal', () => vscode.window.terminals.find((t) => t.name === NAME || t.name.startsWith(`${NAME} (`)), 20_000);
    const text = await bridge<string>('terminal', { pattern: `XEN-XL-GUEST-UP tag=${TAG}`, timeoutMs: 150_000 }, 150_000);
    assert.match(text, new RegExp(`XEN-XL-GUEST-UP tag=${TAG}`));
    await shot('console terminal with the guest boot line');
    terminal.dispose();
  });

  it('Show Running Configuration opens the guest\'s configuration from xl', async () => {
    const node = await guestNode(NAME);
    assert.ok(node);
    await command('xen.guest.showConfig', node);
    const editor = await waitFor('the running configuration editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.scheme === 'xen-config' ? active : undefined;
    }, 60_000);
    const text = editor.document.getText();
    assert.match(text, new RegExp(`"${NAME}"`), 'it names the guest');
    assert.match(text, new RegExp(`xenxl\\.tag=${TAG}`), 'it is this guest\'s configuration (its kernel command line)');
    await shot('running configuration');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Pause and Unpause: the view follows each state', async () => {
    let node = await guestNode(NAME);
    assert.ok(node);
    await command('xen.guest.pause', node);
    node = await waitFor('the view to show the guest paused', async () => {
      const found = await guestNode(NAME);
      return found && (await contextOf(found)) === 'guest:paused' ? found : undefined;
    }, 15_000);
    assert.match((await xlListed(NAME))?.flags ?? '', /p/, 'dom0 says paused');
    await vscode.commands.executeCommand('workbench.view.extension.xen');
    await shot('guest paused');
    await command('xen.guest.unpause', node);
    await waitFor('the view to show the guest running again', async () => {
      const found = await guestNode(NAME);
      return found && (await contextOf(found)) === 'guest:running';
    }, 15_000);
    assert.doesNotMatch((await xlListed(NAME))?.flags ?? 'gone', /p/, 'dom0 says not paused');
  });

  it('Shut Down: xl shutdown -w, and the guest is gone from the view when it returns', async () => {
    const node = await guestNode(NAME);
    assert.ok(node);
    await command('xen.guest.shutdown', node);
    assert.equal(await xlListed(NAME), undefined, 'dom0 no longer lists the guest');
    await waitFor('the guest to leave the view (the refresh after the action)', async () => (await guestNode(NAME)) === undefined, 15_000);
  });

  it('Start again from the CodeLens: running right after the command returns', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const lenses = await waitFor('the Start CodeLens', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return found?.find((lens) => lens.command?.command === 'xen.config.start');
    }, 30_000);
    assert.ok(lenses.command);
    await command(lenses.command.command, ...(lenses.command.arguments ?? []));
    // Start awaits its refresh: the guest is there now, without waiting.
    const node = await guestNode(NAME);
    assert.ok(node && LIVE.has(node.domain.state), `running right after Start returned; the view: ${await describeView()}`);
    await shot('started again from the CodeLens');
  });

  it('Reboot: the guest comes back under a new domain id, and the view follows', async () => {
    const before = await guestNode(NAME);
    assert.ok(before);
    // Only a booted guest acts on the request (its init must be running): read its boot line.
    await command('xen.guest.console', before);
    await bridge('terminal', { pattern: `XEN-XL-GUEST-UP tag=${TAG}`, timeoutMs: 150_000 }, 150_000);
    for (const terminal of vscode.window.terminals) terminal.dispose();
    await command('xen.guest.reboot', before);
    // A reboot takes the guest's OS a while; the view is refreshed with the Refresh button here.
    const after = await waitFor('the rebooted guest (a new domain id) to be running', async () => {
      const found = await guestNode(NAME);
      return found && found.domain.id !== before.domain.id && LIVE.has(found.domain.state) ? found : undefined;
    }, 120_000, { refresh: true });
    assert.equal((await xlListed(NAME))?.id, after.domain.id);
  });
});
