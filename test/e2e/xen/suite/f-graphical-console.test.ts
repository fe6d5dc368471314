// The graphical console of a real guest, through the workbench, on the real Xen rig over the
// user's ssh alias: Open Graphical Console from the Guests view's context menu; the guest's
// screen paints in the tab; keys typed into the tab reach the guest's shell; Ctrl+Alt+Del from
// the toolbar reboots the guest and the console follows it to its new domain; closing the tab
// ends the `ssh -W` process that carried the screen. The guest is a PV guest with a framebuffer
// (vfb) served by the device model in dom0, listening on 127.0.0.1 only.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConsoleViewState } from '../../../../client/src/console/protocol';
import { EXTENSION_ID, LIVE, bridge, command, destroyInDom0, dom0, drove, guestNode, shot, vncGuestConfig, waitFor, writeConfig, xlListed } from './helpers';
import { isAlive } from '../../../support/process';

const NAME = 'wb-screen';
const TAG = `wb-screen-${process.pid}`;

interface ConsolePanelLike {
  readonly streamPid: number | undefined;
  readonly host: { id: string };
  queryState(timeoutMs?: number): Promise<ConsoleViewState>;
  dispose(): void;
}
interface ConsolesLike {
  find(hostId: string, guest: string): ConsolePanelLike | undefined;
  all(): ConsolePanelLike[];
}

async function consoles(): Promise<ConsolesLike> {
  const extension = vscode.extensions.getExtension<{ testing?: { consoles: ConsolesLike } }>(EXTENSION_ID);
  assert.ok(extension);
  const api = await extension.activate();
  assert.ok(api.testing?.consoles, 'the extension runs in test mode and hands its consoles to the tests');
  return api.testing.consoles;
}

/** The console panel of the guest, once it is open. */
async function panel(): Promise<ConsolePanelLike> {
  const all = await consoles();
  return waitFor('the console panel', () => all.all()[0], 20_000);
}

/** Waits until the webview says it is connected and shows more than one colour. */
async function paintedScreen(what: string, timeoutMs: number): Promise<ConsoleViewState> {
  const open = await panel();
  let last: ConsoleViewState | undefined;
  try {
    return await waitFor(what, async () => {
      last = await open.queryState();
      return last.rfb === 'connected' && last.width > 0 && last.distinctColours > 1 ? last : undefined;
    }, timeoutMs);
  } catch (error) {
    throw new Error(`${String(error)}; the console last said: ${JSON.stringify(last)}`, { cause: error });
  }
}

/** What the guest printed on its Xen console (hvc0), as dom0's xenconsoled kept it. */
async function guestConsoleText(): Promise<string> {
  const result = await dom0(`timeout 4 xl console -- ${NAME} </dev/null 2>&1; true`, { timeoutMs: 30_000 });
  return result.stdout;
}


describe('the graphical console of a real guest, through the workbench', () => {
  before(async () => {
    await destroyInDom0(NAME);
    const uri = await writeConfig(`${NAME}.cfg`, vncGuestConfig(NAME, TAG));
    await command('xen.config.start', uri);
    await waitFor(`${NAME} to run`, async () => {
      const found = await guestNode(NAME);
      return found && LIVE.has(found.domain.state);
    }, 180_000, { refresh: true });
  });

  after(async () => {
    for (const open of (await consoles()).all()) open.dispose();
    await destroyInDom0(NAME);
  });

  it('Open Graphical Console from the Guests view: the guest\'s screen paints in a tab', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.xen');
    await bridge('viewMenu', { view: 'Guests', row: NAME, item: 'Open Graphical Console' });
    drove('xen.guest.graphicalConsole');
    const state = await paintedScreen('the screen of the guest', 120_000);
    // The PV framebuffer's default mode.
    assert.ok(state.width >= 640 && state.height >= 400, `a real framebuffer size (${state.width}x${state.height})`);
    assert.match(state.status, /connected/i);
    const open = await panel();
    assert.ok(open.streamPid !== undefined && isAlive(open.streamPid), 'an ssh -W process carries the screen');
    // The shell on the screen's tty says on the Xen console when it starts.
    await waitFor('the shell on the guest\'s screen', async () => (await guestConsoleText()).includes(`XEN-XL-SCREEN-SHELL tag=${TAG}`), 120_000);
    await shot('graphical console of a running guest');
  });

  it('Show VNC Address names the address and port the device model recorded in xenstore', async () => {
    const node = await guestNode(NAME);
    assert.ok(node);
    const recorded = await dom0(`d=$(xl domid -- ${NAME}) && xenstore-read /local/domain/$d/console/vnc-listen /local/domain/$d/console/vnc-port`);
    const [listen, port] = recorded.stdout.trim().split('\n');
    assert.match(port ?? '', /^59\d\d$/, `xenstore has the port: ${recorded.stdout} ${recorded.stderr}`);
    await vscode.commands.executeCommand('notifications.clearAll');
    const shown = command('xen.guest.vnc', node);
    await vscode.commands.executeCommand('notifications.showList');
    const said = await bridge<string>('notification', { pattern: `"${NAME}": VNC at ` });
    assert.ok(said.includes(`${listen}:${port}`), `the notification names ${listen}:${port}: ${said}`);
    await shot('show vnc address');
    await vscode.commands.executeCommand('notifications.clearAll');
    await shown;
  });

  it('Save Screenshot writes a PNG of the screen to the file asked for', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const target = vscode.Uri.joinPath(folder.uri, `${NAME}-screen.png`);
    await command('xen.console.screenshot', target);
    const png = await vscode.workspace.fs.readFile(target);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    assert.ok(png.length > 1000, `a real image (${png.length} bytes)`);
  });

  it('keys typed into the tab reach the guest\'s shell', async () => {
    const marker = `XENXL-TYPED-${process.pid}`;
    // The shell on the screen writes the line to the guest's Xen console, which dom0 can read.
    await bridge('webviewType', { text: `echo ${marker} > /dev/hvc0\n` });
    await waitFor('the typed command to run in the guest', async () => (await guestConsoleText()).includes(marker), 60_000);
    await shot('typed a command into the graphical console');
  });

  it('Ctrl+Alt+Del from the toolbar reboots the guest, and the console follows it to its new domain', async () => {
    const before = await xlListed(NAME);
    assert.ok(before, `${NAME} runs in dom0`);
    const stateBefore = await (await panel()).queryState();
    const sentBefore = stateBefore.keyEventsSent;
    await bridge('webviewClick', { label: 'Ctrl+Alt+Del' });
    drove('xen.console.sendCtrlAltDel');
    assert.ok((await (await panel()).queryState()).keyEventsSent >= sentBefore + 6, 'three keys pressed and released');
    const after = await waitFor('the guest to come back under a new domain id', async () => {
      const listed = await xlListed(NAME);
      return listed && listed.id !== before.id ? listed : undefined;
    }, 180_000);
    assert.notEqual(after.id, before.id);
    // The console reconnects by itself, to the new domain's VNC server; once the guest's own
    // framebuffer is up (the device model shows a 640x480 placeholder before that) it has the
    // size it had before, and its shell takes keys again.
    await waitFor('the shell on the rebooted guest\'s screen', async () => (await guestConsoleText()).includes(`XEN-XL-SCREEN-SHELL tag=${TAG}`), 180_000);
    await paintedScreen('the console to show the rebooted guest', 180_000);
    const state = await waitFor('the guest\'s framebuffer after the reboot', async () => {
      const now = await (await panel()).queryState();
      return now.rfb === 'connected' && now.width === stateBefore.width && now.height === stateBefore.height ? now : undefined;
    }, 60_000);
    assert.match(state.status, /connected/i);
    const marker = `XENXL-AFTER-REBOOT-${process.pid}`;
    await bridge('webviewType', { text: `echo ${marker} > /dev/hvc0\n` });
    await waitFor('a command typed after the reconnect to run in the rebooted guest', async () => (await guestConsoleText()).includes(marker), 60_000);
    assert.equal((await xlListed(NAME))?.id, after.id, 'the guest rebooted once');
    await shot('graphical console after the guest rebooted');
  });

  it('closing the tab ends the connection (the ssh -W process is gone)', async () => {
    const open = await panel();
    const pid = open.streamPid;
    assert.ok(pid !== undefined && isAlive(pid), 'the stream runs before the tab closes');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the console panel to be gone', async () => (await consoles()).all().length === 0, 10_000);
    await waitFor(`ssh -W (pid ${pid}) to exit`, () => !isAlive(pid), 10_000);
  });
});
