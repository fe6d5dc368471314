// Show Running Configuration in a real VS Code: the read-only JSON hides VNC and SPICE passwords
// until the user reveals them, and the reveal lasts only while that document is open. The `xl`
// is a stand-in that lists one guest and prints its libxl JSON with passwords in clear.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ourExtension, waitFor } from './helpers';

interface Dialogs {
  enabled: boolean;
  answers: (string | undefined)[];
  asked: string[];
}

const GUEST = 'pw-guest';
const SECRETS = ['vnc-s3cret', 'spice-s3cret', 'vfb-s3cret'];

describe('Show Running Configuration', () => {
  let folder: string;
  let dialogs: Dialogs;

  before(async () => {
    const api = (await ourExtension()).exports as { testing?: { dialogs: Dialogs } };
    assert.ok(api.testing);
    dialogs = api.testing.dialogs;
    folder = mkdtempSync(join(tmpdir(), 'xen-xl-showconfig-'));
    const config = {
      c_info: { type: 'hvm', name: GUEST },
      b_info: { max_vcpus: 1, 'type.hvm': { vnc: { enable: 'True', passwd: SECRETS[0] }, spice: { enable: 'True', passwd: SECRETS[1] } } },
      vfbs: [{ vnc: { enable: 'True', passwd: SECRETS[2] } }],
    };
    writeFileSync(join(folder, 'list-l.json'), JSON.stringify([{ domid: 7, config }]));
    const fakeXl = join(folder, 'xl');
    writeFileSync(
      fakeXl,
      `#!/bin/sh
case "$*" in
  "list -l"*) cat '${folder}/list-l.json' ;;
  list*) printf 'Name ID Mem VCPUs State Time(s)\\nDomain-0 0 1024 1 r----- 10.0\\n${GUEST} 7 512 1 -b---- 1.5\\n' ;;
esac
`,
    );
    chmodSync(fakeXl, 0o755);
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('xlPath', fakeXl, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', 'never', vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    dialogs.enabled = false;
    dialogs.answers = [];
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('xlPath', undefined, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('hides passwords, and shows them only when the user reveals them', async () => {
    await vscode.commands.executeCommand('xen.refresh');
    dialogs.enabled = true;
    dialogs.asked = [];
    dialogs.answers = [undefined]; // dismiss the offer
    const first = await vscode.commands.executeCommand<{ uri: vscode.Uri; hidden: number; revealed: boolean } | undefined>('xen.guest.showConfig', { kind: 'guestRef', hostId: 'local', name: GUEST });
    assert.ok(first, 'the command showed a document');
    assert.equal(first.hidden, 3);
    assert.equal(first.revealed, false);
    assert.match(dialogs.asked[0], /3 passwords of "pw-guest" are hidden/);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === first.uri.toString());
    assert.ok(document);
    const hiddenText = document.getText();
    for (const secret of SECRETS) assert.ok(!hiddenText.includes(secret), `${secret} is not shown`);
    assert.equal(hiddenText.split('"(hidden)"').length - 1, 3);
    assert.equal(JSON.parse(hiddenText)[0].config.c_info.name, GUEST, 'the rest is the JSON xl printed');

    dialogs.answers = ['Reveal Passwords'];
    const second = await vscode.commands.executeCommand<{ revealed: boolean }>('xen.guest.showConfig', { kind: 'guestRef', hostId: 'local', name: GUEST });
    assert.equal(second.revealed, true);
    await waitFor('the passwords to be shown', () => SECRETS.every((secret) => document.getText().includes(secret)));
  });
});
