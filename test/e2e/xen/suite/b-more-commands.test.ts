// The rest of the Guests view's and the Explorer's commands, each run once on the real Xen rig:
// Start Guest and Attach Console from the Explorer's context menu, VNC on a guest without one,
// Copy Name and Copy Domain ID, Open Config from the Configs view's context menu, and Show Log.
// One guest (wb-sc) serves them all; the tests run in order and each checks what it needs first.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  LIVE,
  bridge,
  command,
  contextOf,
  destroyInDom0,
  dom0,
  drove,
  guestConfig,
  guestNode,
  guestsView,
  rig,
  shot,
  waitFor,
  writeConfig,
  xlListed,
} from './helpers';

const NAME = 'wb-sc';
const TAG = `wb-sc-${process.pid}`;

/** dom0's `xl list` line of one guest, as its first two fields: the name and the domain id. */
async function listedInDom0(name: string): Promise<{ name: string; id: string }> {
  const result = await dom0(`xl list -- ${name} | tail -n +2`);
  const [listedName, id] = result.stdout.trim().split(/\s+/);
  assert.equal(result.status, 0, `xl list -- ${name} in dom0: ${result.stderr}`);
  assert.match(id ?? '', /^\d+$/, `dom0 lists ${name} with a domain id: ${result.stdout}`);
  return { name: listedName, id };
}

describe('the other guest and config commands, on the real Xen rig', () => {
  let uri: vscode.Uri;

  before(async () => {
    await destroyInDom0(NAME);
    uri = await writeConfig(`${NAME}.cfg`, guestConfig(NAME, TAG));
  });

  after(async () => {
    for (const terminal of vscode.window.terminals) terminal.dispose();
    await vscode.commands.executeCommand('notifications.clearAll');
    await destroyInDom0(NAME);
  });

  it('Start Guest and Attach Console from the Explorer\'s context menu: the console shows the boot, then the guest runs', async () => {
    for (const terminal of vscode.window.terminals) terminal.dispose();
    await vscode.commands.executeCommand('revealInExplorer', uri);
    await bridge('explorerMenu', { file: `${NAME}.cfg`, item: 'Start Guest and Attach Console' });
    drove('xen.config.startWithConsole');
    // The guest is created paused, its console opens in a terminal, then it is unpaused: the
    // terminal (named after the guest) shows the guest's boot from its start.
    await waitFor('the console terminal', () => vscode.window.terminals.find((t) => t.name === NAME || t.name.startsWith(`${NAME} (`)), 120_000);
    const text = await bridge<string>('terminal', { pattern: `XEN-XL-GUEST-UP tag=${TAG}`, timeoutMs: 150_000 }, 150_000);
    assert.match(text, new RegExp(`XEN-XL-GUEST-UP tag=${TAG}`));
    // Running (not left paused) in the view, from the command's own refresh: no Refresh press.
    const node = await waitFor(`${NAME} to be running in the Guests view`, async () => {
      const found = await guestNode(NAME);
      return found && LIVE.has(found.domain.state) && (await contextOf(found)) === 'guest:running' ? found : undefined;
    }, 60_000);
    const inDom0 = await xlListed(NAME);
    assert.equal(inDom0?.id, node.domain.id, 'dom0 lists the same domain id as the view');
    assert.doesNotMatch(inDom0?.flags ?? 'gone', /p/, 'dom0 says it is not paused');
    await shot('start with console: the boot in the terminal');
  });

  it('VNC on a guest without VNC says so, and opens no tab (the rig\'s plain guests have no framebuffer)', async () => {
    const node = await guestNode(NAME);
    assert.ok(node, `${NAME} is in the view`);
    for (const id of ['xen.guest.vnc', 'xen.guest.graphicalConsole']) {
      await vscode.commands.executeCommand('notifications.clearAll');
      // A throw rejects here; saying nothing fails the wait for the notification below.
      await command(id, node);
      await vscode.commands.executeCommand('notifications.showList');
      const said = await bridge<string>('notification', { pattern: `"${NAME}" has no graphical console` });
      assert.match(said, /turns VNC off/);
    }
    assert.equal(vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview).length, 0, 'no console tab opened');
    await shot('vnc on a guest without vnc');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('Copy Name and Copy Domain ID put what dom0\'s xl list says on the clipboard', async () => {
    const node = await guestNode(NAME);
    assert.ok(node, `${NAME} is in the view`);
    const listed = await listedInDom0(NAME);
    await vscode.env.clipboard.writeText('(before Copy Name)');
    await command('xen.guest.copyName', node);
    assert.equal(await vscode.env.clipboard.readText(), listed.name);
    await command('xen.guest.copyId', node);
    assert.equal(await vscode.env.clipboard.readText(), listed.id);
    // Domain-0 too (its id is 0, which must not come out as nothing).
    const { guests } = await guestsView();
    const dom0Node = guests.find((g) => g.domain.name === 'Domain-0');
    assert.ok(dom0Node, 'Domain-0 is in the view');
    await vscode.env.clipboard.writeText('(before Copy Domain ID)');
    await command('xen.guest.copyId', dom0Node);
    assert.equal(await vscode.env.clipboard.readText(), (await listedInDom0('Domain-0')).id);
  });

  it('Open Config from the Configs view\'s context menu opens the file in an editor', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('xen.configs.focus');
    await bridge('viewMenu', { view: 'Configs', row: `${NAME}.cfg`, item: 'Open Config' });
    drove('xen.config.open');
    const editor = await waitFor('the config in the active editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === uri.toString() ? active : undefined;
    }, 20_000);
    assert.equal(editor.document.languageId, 'xl');
    assert.match(editor.document.getText(), new RegExp(`xenxl\\.tag=${TAG}`));
    await shot('open config from the configs view');
  });

  it('Show Log shows the Xen log with the xl calls this run made', async () => {
    // The last xl call was VNC's `xl list -l wb-sc`; the log names the host, the guest and the exit.
    await command('xen.showLog');
    // One log line: `[xen-a] <the ssh and xl command line> → exit 0, N ms` (no other arrow in it).
    const line = `\\[${rig.aliases.a}\\] [^→]*\\bxl\\b[^→]*\\b${NAME}\\b[^→]*→ exit 0, \\d+ ms`;
    const text = await bridge<string>('panelText', { pattern: line });
    assert.match(text, new RegExp(line));
    await shot('the xen log');
  });
});
