// Faults on the rig while the Guests view is open and polling: dom0's sshd goes away for 30 s,
// and xl calls hang (every xl process in dom0 stopped with SIGSTOP for 30 s). Each time the view
// must say what is wrong and come back by itself once dom0 is back, without a Refresh press and
// without a reload of the window.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { bridge, command, describeView, dom0, guestsView, shot, sleep, waitFor } from './helpers';

/** The Guests view lists Domain-0 (the host answers). */
async function healthy(): Promise<boolean> {
  const { guests } = await guestsView();
  return guests.some((g) => g.domain.id === 0);
}

/** The view shows an error under the host (its description says `error`). */
async function showsError(): Promise<string | undefined> {
  const { roots } = await guestsView();
  // A host root marked failed (its description says what is wrong and when the next try is).
  const failed = roots.find(({ node }) => (node as { failed?: boolean }).failed === true);
  return failed ? await describeView() : undefined;
}

describe('faults on the rig while the view is open', () => {
  before(async () => {
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('refreshInterval', 2, vscode.ConfigurationTarget.Workspace);
    await xen.update('commandTimeout', 5, vscode.ConfigurationTarget.Workspace);
    await command('xen.refresh');
    await waitFor('the view to list Domain-0', healthy, 30_000);
    await vscode.commands.executeCommand('workbench.view.extension.xen');
    // The view polls only while the window is focused (as for a person looking at it).
    const pageFocused = await bridge<boolean>('focus');
    await waitFor(`the window to be focused (the page says ${pageFocused})`, () => vscode.window.state.focused, 10_000);
  });

  after(async () => {
    // Whatever happened, dom0 gets its sshd back and no xl stays stopped.
    await dom0('pidof dropbear >/dev/null || dropbear -r /etc/dropbear/dropbear_ed25519_host_key -p 22 -s; for p in $(pidof xl); do kill -CONT $p; done; true').catch(() => undefined);
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('refreshInterval', undefined, vscode.ConfigurationTarget.Workspace);
    await xen.update('commandTimeout', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('dom0\'s sshd stops for 30 s: the view says so, then recovers by itself', async () => {
    // A restarter that outlives the ssh session, then every dropbear (the listener and the
    // sessions, the extension's connection-sharing master among them) goes.
    // Detached from this ssh session, which dies with its sshd.
    await dom0(
      "setsid sh -c 'sleep 1; killall dropbear; sleep 30; dropbear -r /etc/dropbear/dropbear_ed25519_host_key -p 22 -s' </dev/null >/dev/null 2>&1 & echo started",
      { timeoutMs: 20_000 },
    );
    const stopped = Date.now();
    const error = await waitFor('the view to show the ssh failure', showsError, 40_000);
    assert.match(error, /ssh|answer|connect/i, 'the message is about the connection');
    await shot('sshd stopped: the view says so');
    await waitFor('the view to recover by itself after sshd is back', healthy, 150_000);
    const seconds = (Date.now() - stopped) / 1000;
    assert.ok(seconds >= 25, `recovered only once sshd was back (${seconds.toFixed(0)} s)`);
    await shot('sshd back: the view recovered');
  });

  it('xl calls hang (stopped with SIGSTOP in dom0 for 30 s): the view reports the timeout, then recovers by itself', async () => {
    await waitFor('the view to be healthy first', healthy, 60_000);
    // For 30 s every xl process in dom0 is stopped as soon as it appears; then all continue.
    const started = await dom0(
      "setsid sh -c 'end=$(( $(date +%s) + 30 )); while [ $(date +%s) -lt $end ]; do for p in $(pidof xl); do kill -STOP $p; done; usleep 20000; done; for p in $(pidof xl); do kill -CONT $p; done' </dev/null >/dev/null 2>&1 & echo started",
    );
    assert.match(started.stdout, /started/, `the stopper runs in dom0: ${started.stderr}`);
    const since = Date.now();
    // xen.commandTimeout is 5 s and the view polls every 2 s: the hung call is reported well
    // before the stopper lets go (30 s), not only when the stopped xl finally answers.
    const error = await waitFor('the view to report the hung call while it hangs', showsError, 24_000);
    assert.ok((Date.now() - since) / 1000 < 28, 'reported while xl was still stopped');
    assert.match(error, /time|respond|answer|hang/i, 'the message says the call did not finish');
    await shot('xl hangs: the view reports it');
    await waitFor('the view to recover by itself', healthy, 150_000);
    await sleep(500);
    assert.equal(await showsError(), undefined);
  });
});
