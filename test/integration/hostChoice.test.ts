// Several hosts in xen.hosts: Start asks which one, runs there (never on another), and offers
// the same host first next time. The ssh host is one that refuses connections at once
// (nobody@127.0.0.1 port 22), so the start must fail with ssh's reason and nothing may run on
// this machine; the local `xl` is a stand-in that records its argv.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ourExtension, workspaceFile } from './helpers';

interface Dialogs {
  enabled: boolean;
  answers: (string | undefined)[];
  asked: string[];
}

const REMOTE = 'nobody@127.0.0.1';

describe('choosing the host of a config', () => {
  let folder: string;
  let log: string;
  let dialogs: Dialogs;
  const config = workspaceFile('xen/host-choice.cfg');
  const ran = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((line) => line !== '') : []);

  before(async () => {
    const api = (await ourExtension()).exports as { testing?: { dialogs: Dialogs } };
    assert.ok(api.testing);
    dialogs = api.testing.dialogs;
    folder = mkdtempSync(join(tmpdir(), 'xen-xl-hosts-'));
    log = join(folder, 'argv.log');
    const fakeXl = join(folder, 'xl');
    writeFileSync(fakeXl, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nif [ "$1" = list ]; then echo 'Name ID Mem VCPUs State Time(s)'; fi\nexit 0\n`);
    chmodSync(fakeXl, 0o755);
    await vscode.workspace.fs.writeFile(config, Buffer.from('name = "host-choice"\ntype = "pvh"\nkernel = "/boot/vmlinuz-host-choice"\nmemory = 128\n'));
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('xlPath', fakeXl, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', 'never', vscode.ConfigurationTarget.Workspace);
    await xen.update('hosts', ['local', REMOTE], vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    dialogs.enabled = false;
    dialogs.answers = [];
    const xen = vscode.workspace.getConfiguration('xen');
    for (const key of ['xlPath', 'sudo', 'hosts']) await xen.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.delete(config);
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs on the host the user picked, and offers it first next time', async () => {
    dialogs.enabled = true;
    dialogs.asked = [];
    dialogs.answers = [REMOTE];
    const outcome = await vscode.commands.executeCommand<{ status: string; host?: string; message?: string }>('xen.config.start', config);
    assert.equal(dialogs.asked.length, 1, JSON.stringify(dialogs.asked));
    assert.match(dialogs.asked[0], /^Run host-choice\.cfg on which host\? /);
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.host, `ssh:${REMOTE}`);
    assert.match(outcome.message ?? '', /ssh|connect/i);
    assert.deepEqual(ran().filter((line) => /create/.test(line)), [], 'nothing was created on this machine');

    dialogs.asked = [];
    dialogs.answers = [undefined];
    const again = await vscode.commands.executeCommand<{ status: string }>('xen.config.start', config);
    assert.equal(again.status, 'stopped');
    const items = dialogs.asked[0].replace(/^Run host-choice\.cfg on which host\? /, '').split(' | ');
    assert.match(items[0], new RegExp(`^${REMOTE.replace(/\./g, '\\.')} — ssh · last used for this file$`));
    assert.match(items[1], / — this machine$/);
  });
});
