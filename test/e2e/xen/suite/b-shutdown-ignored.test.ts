// A guest that ignores the shutdown request (its /sbin/poweroff is gone, see the guest /init in
// test/xen/lib/rig.mjs): after xen.shutdownTimeout the extension offers Destroy, and Destroy
// ends it.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { LIVE, bridge, command, destroyInDom0, dialog, guestConfig, guestNode, shot, waitFor, writeConfig, xlListed } from './helpers';

const NAME = 'wb-stubborn';
const TAG = `wb-stubborn-${process.pid}`;
const TIMEOUT_S = 15;

describe('a guest that ignores Shut Down', () => {
  let uri: vscode.Uri;

  before(async () => {
    await destroyInDom0(NAME);
    uri = await writeConfig(`${NAME}.cfg`, guestConfig(NAME, TAG, { ignoreShutdown: true }));
    await vscode.workspace.getConfiguration('xen').update('shutdownTimeout', TIMEOUT_S, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('xen').update('shutdownTimeout', undefined, vscode.ConfigurationTarget.Workspace);
    for (const terminal of vscode.window.terminals) terminal.dispose();
    await destroyInDom0(NAME);
  });

  it(`after xen.shutdownTimeout (${TIMEOUT_S} s) the dialog offers Destroy, and Destroy works`, async () => {
    await command('xen.config.start', uri);
    const node = await guestNode(NAME);
    assert.ok(node && LIVE.has(node.domain.state), `${NAME} runs after Start`);
    // Ask only once the guest has removed its poweroff (a request during boot powers it off).
    await command('xen.guest.console', node);
    const terminal = await waitFor('the console terminal', () => vscode.window.terminals.find((t) => t.name === NAME), 20_000);
    await bridge('terminal', { pattern: 'XEN-XL-GUEST-IGNORES-SHUTDOWN', timeoutMs: 150_000 }, 150_000);
    terminal.dispose();

    const started = Date.now();
    const done = command('xen.guest.shutdown', node);
    const text = await dialog(undefined, (TIMEOUT_S + 60) * 1000);
    const waited = (Date.now() - started) / 1000;
    assert.ok(waited >= TIMEOUT_S - 1, `the dialog came after the timeout (${waited.toFixed(1)} s)`);
    assert.match(text, new RegExp(`"${NAME}" did not shut down within ${TIMEOUT_S} s`));
    assert.ok(await xlListed(NAME), 'the guest still runs while the dialog asks');
    await shot('shutdown timed out: Destroy offered');
    await dialog('Destroy');
    await done;
    assert.equal(await xlListed(NAME), undefined, 'Destroy ended the guest');
    await waitFor('the guest to leave the view', async () => (await guestNode(NAME)) === undefined, 15_000);
  });
});
