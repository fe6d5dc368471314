// Client safety in a real VS Code: no command writes a config the user did not save. Start and
// Validate run the text in the editor (through a temporary file when it has unsaved changes), the
// questions come before anything runs, and Cancel leaves the file on disk byte for byte. The `xl`
// here is a stand-in that records its argv and copies the file it was given (the real-Xen suite
// in test/xen proves the real thing); what is under test is the editor side.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ourExtension, waitFor, workspaceFile } from './helpers';

interface Dialogs {
  enabled: boolean;
  answers: (string | undefined)[];
  asked: string[];
}

describe('client safety', () => {
  let folder: string;
  let log: string;
  let kernel: string;
  let configA: string;
  let configB: string;
  let dialogs: Dialogs;
  const a = workspaceFile('xen/safety-a.cfg');
  const b = workspaceFile('xen/safety-b.cfg');

  /** Every xl argv so far, one per line. */
  const ran = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((line) => line !== '') : []);
  const created = (): string[] => ran().filter((line) => /\bcreate\b/.test(line));
  const lastRead = (): { path: string; text: string } => ({
    path: readFileSync(join(folder, 'read-path'), 'utf8').trim(),
    text: readFileSync(join(folder, 'read.cfg'), 'utf8'),
  });

  async function editedDocument(uri: vscode.Uri, insert: string): Promise<vscode.TextDocument> {
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), insert));
    assert.equal(document.isDirty, true);
    return document;
  }

  async function revert(uri: vscode.Uri): Promise<void> {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }

  before(async () => {
    const extension = await ourExtension();
    const api = extension.exports as { testing?: { dialogs: Dialogs } };
    assert.ok(api.testing, 'the extension runs in test mode and lets the suite answer its questions');
    dialogs = api.testing.dialogs;
    folder = mkdtempSync(join(tmpdir(), 'xen-xl-safety-'));
    log = join(folder, 'argv.log');
    kernel = join(folder, 'vmlinuz');
    writeFileSync(kernel, 'not really a kernel');
    writeFileSync(join(folder, 'dryrun.json'), '{"c_info":{"type":"pvh","name":"safety-a"},"b_info":{"max_vcpus":1,"target_memkb":262144}}\n');
    const fakeXl = join(folder, 'xl');
    // Records every invocation; copies the -f file (and its path) aside; `-N create` prints a
    // located warning and a config; `list` prints an empty list.
    writeFileSync(
      fakeXl,
      `#!/bin/sh
printf '%s\\n' "$*" >> '${log}'
file=; prev=
for arg in "$@"; do [ "$prev" = -f ] && file=$arg; prev=$arg; done
if [ -n "$file" ]; then cat "$file" > '${folder}/read.cfg'; printf '%s\\n' "$file" > '${folder}/read-path'; fi
case "$1" in
  list) echo 'Name ID Mem VCPUs State Time(s)' ;;
  -N) echo "Parsing config from $file" >&2; echo "$file:2: warning: a warning from the host" >&2; cat '${folder}/dryrun.json' ;;
esac
exit 0
`,
    );
    chmodSync(fakeXl, 0o755);
    configA = `name = "safety-a"\ntype = "pvh"\nkernel = "${kernel}"\nmemory = 256\n`;
    configB = `name = "safety-b"\ntype = "pvh"\nkernel = "${kernel}"\nmemory = 256\n`;
    await vscode.workspace.fs.writeFile(a, Buffer.from(configA));
    await vscode.workspace.fs.writeFile(b, Buffer.from(configB));
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('xlPath', fakeXl, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', 'never', vscode.ConfigurationTarget.Workspace);
    await xen.update('hosts', undefined, vscode.ConfigurationTarget.Workspace);
  });

  beforeEach(() => {
    dialogs.enabled = true;
    dialogs.answers = [];
    dialogs.asked = [];
  });

  afterEach(() => {
    dialogs.enabled = false;
    dialogs.answers = [];
  });

  after(async () => {
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('xlPath', undefined, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', undefined, vscode.ConfigurationTarget.Workspace);
    for (const uri of [a, b]) await revert(uri);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('opening and editing configs writes nothing to disk', async () => {
    await editedDocument(a, '# edited in the editor\n');
    await editedDocument(b, '# edited in the editor\n');
    // Give the language server and the views time to react; none of them may save.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(readFileSync(a.fsPath, 'utf8'), configA);
    assert.equal(readFileSync(b.fsPath, 'utf8'), configB);
    // Refreshing the views may run `xl list`/`info`/`uptime`; nothing that changes a guest may run.
    assert.deepEqual(ran().filter((line) => !/^(list|info|uptime)\b/.test(line)), [], 'no xl command that acts on guests ran before the user asked');
  });

  it('Start with unsaved changes runs the editor text and writes no file', async () => {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === a.toString());
    assert.ok(document?.isDirty);
    const outcome = await vscode.commands.executeCommand<{ status: string; sentText?: boolean }>('xen.config.start', a);
    assert.deepEqual(dialogs.asked, [], 'a clean config with existing files needs no question');
    assert.equal(outcome.status, 'started', JSON.stringify(outcome));
    assert.equal(outcome.sentText, true);
    const read = lastRead();
    assert.equal(read.text, document.getText(), 'xl read exactly what the editor shows');
    assert.notEqual(read.path, a.fsPath, 'xl did not read the file on disk');
    assert.equal(existsSync(read.path), false, 'the temporary file is gone');
    assert.equal(readFileSync(a.fsPath, 'utf8'), configA, 'the file on disk is byte-identical');
    assert.equal(document.isDirty, true, 'and the editor still has the unsaved changes');
    assert.equal(readFileSync(b.fsPath, 'utf8'), configB);
  });

  it('Start of a buffer with an error asks first, and Cancel runs nothing and writes nothing', async () => {
    const document = await editedDocument(a, 'extra = /not/quoted\n');
    await waitFor('the error in the buffer to be reported', () =>
      vscode.languages.getDiagnostics(a).some((d) => d.severity === vscode.DiagnosticSeverity.Error),
    );
    const before = created().length;
    dialogs.answers = [undefined]; // Cancel
    const outcome = await vscode.commands.executeCommand<{ status: string }>('xen.config.start', a);
    assert.equal(dialogs.asked.length, 1);
    assert.match(dialogs.asked[0], /safety-a\.cfg has .*error.*Start anyway\?/);
    assert.equal(outcome.status, 'stopped');
    assert.equal(created().length, before, 'xl create did not run');
    assert.equal(readFileSync(a.fsPath, 'utf8'), configA, 'the file on disk is byte-identical');
    assert.equal(document.isDirty, true);
  });

  it('Start Anyway runs the text with the error, still without writing', async () => {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === a.toString());
    assert.ok(document);
    dialogs.answers = ['Start Anyway'];
    const outcome = await vscode.commands.executeCommand<{ status: string }>('xen.config.start', a);
    assert.equal(outcome.status, 'started');
    assert.equal(lastRead().text, document.getText());
    assert.equal(readFileSync(a.fsPath, 'utf8'), configA);
  });

  it('a saved file on this machine is passed by path, from its own folder', async () => {
    await revert(a);
    await waitFor('the reverted file to have no errors', () => !vscode.languages.getDiagnostics(a).some((d) => d.severity === vscode.DiagnosticSeverity.Error));
    const outcome = await vscode.commands.executeCommand<{ status: string; sentText?: boolean }>('xen.config.start', a);
    assert.deepEqual(dialogs.asked, []);
    assert.equal(outcome.status, 'started');
    assert.equal(outcome.sentText, false);
    assert.equal(lastRead().path, a.fsPath);
  });

  it('Validate on the Host checks the unsaved text without saving, and host results go when the text changes', async () => {
    const document = await editedDocument(a, '# checked, not saved\n');
    const outcome = await vscode.commands.executeCommand<{ status: string; sentText?: boolean; problems?: number }>('xen.config.validate', a);
    assert.equal(outcome.status, 'accepted', JSON.stringify(outcome));
    assert.equal(outcome.sentText, true);
    assert.ok(created().at(-1)?.startsWith('-N create -f '), created().at(-1));
    assert.equal(lastRead().text, document.getText());
    assert.equal(readFileSync(a.fsPath, 'utf8'), configA, 'Validate wrote nothing');
    assert.equal(document.isDirty, true);
    // xl's warning named the temporary file; it lands on line 2 of the document.
    const host = vscode.languages.getDiagnostics(a).filter((d) => d.source === 'xl (host)');
    assert.deepEqual(host.map((d) => [d.range.start.line, d.severity, d.message]), [[1, vscode.DiagnosticSeverity.Warning, 'xl: warning: a warning from the host']]);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# another edit\n'));
    await waitFor('host results to be cleared by the edit', () => !vscode.languages.getDiagnostics(a).some((d) => d.source === 'xl (host)'));
  });

  it('Validate reports files the host lacks on their lines', async () => {
    const document = await editedDocument(a, 'ramdisk = "/nonexistent/xen-xl-test/initrd.img"\n');
    const outcome = await vscode.commands.executeCommand<{ status: string; missing?: string[] }>('xen.config.validate', a);
    assert.equal(outcome.status, 'refused', JSON.stringify(outcome));
    assert.equal(outcome.missing?.length, 1);
    assert.match(outcome.missing?.[0] ?? '', /^on .+: \/nonexistent\/xen-xl-test\/initrd\.img does not exist$/);
    const missing = vscode.languages.getDiagnostics(a).filter((d) => d.source === 'xl (host)' && /does not exist/.test(d.message));
    assert.deepEqual(missing.map((d) => [d.range.start.line, d.severity]), [[0, vscode.DiagnosticSeverity.Error]]);
    assert.equal(readFileSync(a.fsPath, 'utf8'), configA);
    assert.equal(document.isDirty, true);
  });

  it('Start with a missing file asks, and Cancel runs nothing', async () => {
    const before = created().length;
    dialogs.answers = [undefined];
    const outcome = await vscode.commands.executeCommand<{ status: string }>('xen.config.start', a);
    assert.equal(outcome.status, 'stopped');
    assert.equal(dialogs.asked.length, 1);
    assert.match(dialogs.asked[0], /does not have/);
    assert.equal(created().length, before);
    assert.equal(readFileSync(a.fsPath, 'utf8'), configA);
  });

  it('no command that takes a config writes it', async () => {
    const document = await editedDocument(b, '# unsaved\n');
    for (const command of ['xen.config.start', 'xen.config.startWithConsole', 'xen.config.validate', 'xen.config.open']) {
      dialogs.answers = [undefined, undefined];
      await vscode.commands.executeCommand(command, b);
      assert.equal(readFileSync(b.fsPath, 'utf8'), configB, `${command} left the file on disk as it was`);
      assert.equal(document.isDirty, true, `${command} did not save the editor`);
    }
    for (const terminal of vscode.window.terminals) terminal.dispose();
  });

  it('Start with Console creates the guest paused from the editor text, opens its console, then unpauses it', async () => {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === b.toString());
    assert.ok(document?.isDirty);
    const start = ran().length;
    const outcome = await vscode.commands.executeCommand<{ status: string; sentText?: boolean }>('xen.config.startWithConsole', b);
    assert.equal(outcome.status, 'started', JSON.stringify(outcome));
    assert.equal(outcome.sentText, true);
    const steps = ran().slice(start).filter((line) => !/^(list|info|uptime)\b/.test(line));
    assert.equal(steps.length, 3, JSON.stringify(steps));
    assert.match(steps[0], /^create -p -f \/.*\/safety-b\.cfg$/);
    assert.equal(steps[1], 'console -- safety-b');
    assert.equal(steps[2], 'unpause -- safety-b');
    assert.equal(lastRead().text, document.getText());
    assert.equal(readFileSync(b.fsPath, 'utf8'), configB);
    for (const terminal of vscode.window.terminals) terminal.dispose();
  });
});
