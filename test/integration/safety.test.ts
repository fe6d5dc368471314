// Client safety in a real VS Code: starting a guest saves the file being started and nothing
// else, and only because the user started it. The `xl` here is a stand-in that records its argv
// (the real-Xen suite in test/xen proves the real thing); what is under test is the editor side.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ourExtension, waitFor, workspaceFile } from './helpers';

const CONFIG_A = 'name = "safety-a"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 256\n';
const CONFIG_B = 'name = "safety-b"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 256\n';

describe('client safety', () => {
  let folder: string;
  let log: string;
  const a = workspaceFile('xen/safety-a.cfg');
  const b = workspaceFile('xen/safety-b.cfg');

  before(async () => {
    await ourExtension();
    folder = mkdtempSync(join(tmpdir(), 'xen-xl-safety-'));
    log = join(folder, 'argv.log');
    const fakeXl = join(folder, 'xl');
    // Prints an empty `xl list` and records every invocation, one argv per line.
    writeFileSync(fakeXl, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nif [ "$1" = list ]; then echo 'Name ID Mem VCPUs State Time(s)'; fi\nexit 0\n`);
    chmodSync(fakeXl, 0o755);
    await vscode.workspace.fs.writeFile(a, Buffer.from(CONFIG_A));
    await vscode.workspace.fs.writeFile(b, Buffer.from(CONFIG_B));
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('xlPath', fakeXl, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', 'never', vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('xlPath', undefined, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('opening and editing configs writes nothing to disk', async () => {
    const documentA = await vscode.workspace.openTextDocument(a);
    const documentB = await vscode.workspace.openTextDocument(b);
    for (const document of [documentA, documentB]) {
      const editor = await vscode.window.showTextDocument(document, { preview: false });
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# edited in the editor\n'));
      assert.equal(document.isDirty, true);
    }
    // Give the language server and the views time to react; none of them may save.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(readFileSync(a.fsPath, 'utf8'), CONFIG_A);
    assert.equal(readFileSync(b.fsPath, 'utf8'), CONFIG_B);
    // Refreshing the views may run `xl list`/`info`/`uptime`; nothing that changes a guest may run.
    const ran = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((line) => line !== '') : [];
    assert.deepEqual(ran.filter((line) => !/^(list|info|uptime)\b/.test(line)), [], 'no xl command that acts on guests ran before the user asked');
  });

  it('Start guest saves the started file only, then runs xl create on it', async () => {
    await vscode.commands.executeCommand('xen.config.start', a);
    await waitFor('xl create to run', () => existsSync(log) && readFileSync(log, 'utf8').includes('create'));
    const created = readFileSync(log, 'utf8').split('\n').find((line) => line.includes('create'));
    assert.ok(created?.endsWith(a.fsPath), `xl got the started file: ${created}`);
    const documentA = vscode.workspace.textDocuments.find((document) => document.uri.toString() === a.toString());
    const documentB = vscode.workspace.textDocuments.find((document) => document.uri.toString() === b.toString());
    assert.equal(documentA?.isDirty, false, 'the started file was saved');
    assert.equal(readFileSync(a.fsPath, 'utf8'), `# edited in the editor\n${CONFIG_A}`);
    assert.equal(documentB?.isDirty, true, 'the other file is still unsaved');
    assert.equal(readFileSync(b.fsPath, 'utf8'), CONFIG_B, 'the other file on disk is untouched');
  });
});
