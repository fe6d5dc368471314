// What the user sees for broken configs, checked by the real xl on the rig: Validate on the Host
// puts xl's message on the line it names; a misspelt key and a bad value before Start (after
// Start: the UI suite).

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { bridge, codeOf, command, destroyInDom0, dom0, drove, guestConfig, rig, shot, sleep, waitFor, writeConfig } from './helpers';

const HOST_SOURCE = 'xl (host)';

describe('broken configs, checked by xl on the rig', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Validate on the Host shows xl\'s message on the line it names', async () => {
    const lines = guestConfig('wb-broken', 'wb-broken').split('\n');
    // Line 7 (index 6): a syntax error xl's parser reports with its line number.
    lines.splice(6, 0, 'memory = = 128');
    const uri = await writeConfig('wb-broken.cfg', lines.join('\n'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    // The command waits for the error notification's answer: do not await it.
    void command('xen.config.validate', uri);
    const host = await waitFor('diagnostics from xl on the host', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === HOST_SOURCE);
      return found.length > 0 ? found : undefined;
    }, 90_000);
    const all = JSON.stringify(host.map((d) => `${d.range.start.line + 1}: ${d.message}`));
    // xl's parser error, as an Error on the line xl names (line 7).
    const error = host.find((d) => d.severity === vscode.DiagnosticSeverity.Error && /config parsing error/.test(d.message));
    assert.ok(error, `xl's parsing error is among the host's diagnostics: ${all}`);
    assert.equal(error.range.start.line, 6, `on the line xl names (line 7): ${all}`);
    assert.match(error.message, /syntax error/);
    // The message, in the notification list (an extension-tests window shows no toasts).
    await vscode.commands.executeCommand('notifications.showList');
    const toast = await bridge<string>('notification', { pattern: 'refuses wb-broken\\.cfg' });
    assert.match(toast, /refuses wb-broken\.cfg/);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await shot('validate on the host: xl message on its line');
  });

  it('Validate on the Host from the Explorer\'s context menu: xl accepts a good config, and says so', async () => {
    const file = 'wb-valid.cfg';
    const uri = await writeConfig(file, guestConfig('wb-valid', 'wb-valid'));
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('revealInExplorer', uri);
    await bridge('explorerMenu', { file, item: 'Validate Config on the Host (xl create -N)' });
    drove('xen.config.validate');
    await vscode.commands.executeCommand('notifications.showList');
    const said = await bridge<string>('notification', { pattern: `xl on ${rig.aliases.a} accepts wb-valid\\.cfg`, timeoutMs: 90_000 }, 90_000);
    assert.match(said, new RegExp(`xl on ${rig.aliases.a} accepts wb-valid\\.cfg`));
    // Nothing from the host is marked in the file (a moment for a late diagnostic to arrive).
    await sleep(500);
    const host = vscode.languages.getDiagnostics(uri).filter((d) => d.source === HOST_SOURCE && d.severity <= vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(host.map((d) => `${d.range.start.line + 1}: ${d.message}`), [], 'no Error or Warning from xl');
    await shot('validate from the explorer: xl accepts the config');
  });

  it('Validate on the Host reports the kernel and the bridge that are missing on the host, each on its line', async () => {
    const lines = guestConfig('wb-missing', 'wb-missing', { extraLines: ["vif = [ 'bridge=nosuchbr0' ]"] })
      .split('\n')
      .map((line) => (line.startsWith('kernel =') ? 'kernel = "/guest/no-such-vmlinux"' : line));
    const kernelLine = lines.indexOf('kernel = "/guest/no-such-vmlinux"');
    const vifLine = lines.indexOf("vif = [ 'bridge=nosuchbr0' ]");
    const uri = await writeConfig('wb-missing.cfg', lines.join('\n'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // xl -N create does not open the kernel, so only the preflight on the host can see these.
    void command('xen.config.validate', uri);
    const host = await waitFor('the host preflight\'s findings', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === HOST_SOURCE && /does not exist/.test(d.message));
      return found.length >= 2 ? found : undefined;
    }, 90_000);
    const all = JSON.stringify(host.map((d) => `${d.range.start.line + 1}: ${d.message}`));
    const kernel = host.find((d) => d.message.includes('/guest/no-such-vmlinux'));
    assert.ok(kernel, `the missing kernel is reported: ${all}`);
    assert.equal(kernel.range.start.line, kernelLine, `on the kernel line: ${all}`);
    assert.equal(kernel.message, `on ${rig.aliases.a}: /guest/no-such-vmlinux does not exist`);
    const noBridge = host.find((d) => d.message.includes('nosuchbr0'));
    assert.ok(noBridge, `the missing bridge is reported: ${all}`);
    assert.equal(noBridge.range.start.line, vifLine, `on the vif line: ${all}`);
    assert.equal(noBridge.message, `on ${rig.aliases.a}: bridge nosuchbr0 does not exist`);
    // The rig's real bridge and initramfs are not reported.
    assert.ok(!host.some((d) => /initrd\.gz|xenbr0/.test(d.message)), all);
    // And the notification says that Start would fail.
    await vscode.commands.executeCommand('notifications.showList');
    const said = await bridge<string>('notification', { pattern: 'Start would fail' });
    assert.match(said, /accepts wb-missing\.cfg.*no-such-vmlinux|accepts wb-missing\.cfg.*nosuchbr0/);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await shot('validate on the host: missing kernel and bridge on their lines');
  });

  it('Start on the ssh host runs the unsaved text of the editor, and the file on disk stays as it was', async () => {
    const name = 'wb-unsaved';
    await destroyInDom0(name);
    const onDisk = guestConfig(name, name);
    const uri = await writeConfig(`${name}.cfg`, onDisk);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    // The user changes memory and does not save.
    const memoryLine = document.getText().split('\n').indexOf('memory = 128');
    assert.ok(memoryLine >= 0);
    await editor.edit((edit) => edit.replace(document.lineAt(memoryLine).range, 'memory = 160'));
    assert.equal(document.isDirty, true);
    try {
      await command('xen.config.start', uri);
      // dom0 runs what the editor showed: 160 MiB, not the 128 on disk.
      const listed = await dom0(`xl list -- ${name} | tail -n +2`);
      const fields = listed.stdout.trim().split(/\s+/);
      assert.equal(fields[0], name, `${name} is running in dom0: ${listed.stdout}${listed.stderr}`);
      assert.equal(Number(fields[2]), 160, `memory as in the editor: ${listed.stdout}`);
      // Nothing was saved: the file on disk is byte for byte what it was, and the editor still
      // holds the change.
      assert.equal(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString(), onDisk);
      assert.equal(document.isDirty, true);
      await shot('start of an unsaved buffer on the ssh host');
    } finally {
      await destroyInDom0(name);
      // Drop the unsaved change, so that closing the editor asks nothing.
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('a misspelt key and a bad value: what the user sees before Start', async () => {
    const name = 'wb-typo';
    await destroyInDom0(name);
    const text = guestConfig(name, name, { extraLines: ['memroy = 256', 'on_reboot = "explode"'] });
    const lines = text.split('\n');
    const typoLine = lines.indexOf('memroy = 256');
    const badLine = lines.indexOf('on_reboot = "explode"');
    const uri = await writeConfig(`${name}.cfg`, text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);

    // Before: the language server marks both, each on its line.
    const diagnostics = await waitFor('the language server\'s diagnostics', () => {
      const found = vscode.languages.getDiagnostics(uri);
      return found.some((d) => d.range.start.line === typoLine) && found.some((d) => d.range.start.line === badLine) ? found : undefined;
    }, 30_000);
    const typo = diagnostics.find((d) => d.range.start.line === typoLine)!;
    const bad = diagnostics.find((d) => d.range.start.line === badLine)!;
    assert.equal(codeOf(typo), 'xl.unknown-key');
    assert.match(typo.message, /memory/, 'it names the key that was meant');
    assert.equal(bad.severity, vscode.DiagnosticSeverity.Error);
    assert.match(bad.message, /explode|on_reboot/);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await shot('misspelt key and bad value before Start');

    // Start asks about the error in a modal dialog, which an extension-tests window refuses: the
    // UI suite (test/e2e/xen/ui.mjs, start-with-errors-asks-then-shows-the-cause) clicks it.
  });

  it("a key newer than the rig's Xen is flagged with the host's own version (from xl info, told to the language server)", async () => {
    const info = await dom0('xl info');
    const major = /^xen_major\s*:\s*(\d+)/m.exec(info.stdout)?.[1];
    const minor = /^xen_minor\s*:\s*(\d+)/m.exec(info.stdout)?.[1];
    assert.ok(major !== undefined && minor !== undefined, `xl info names the version: ${info.stdout.slice(0, 300)}`);
    const hostVersion = `${major}.${minor}`;
    const name = 'wb-newer';
    const text = guestConfig(name, name, { extraLines: ['xenstore_quota = [ "nodes=2000" ]'] });
    const quotaLine = text.split('\n').indexOf('xenstore_quota = [ "nodes=2000" ]');
    const uri = await writeConfig(`${name}.cfg`, text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const flagged = await waitFor(`the language server to flag xenstore_quota for Xen ${hostVersion}`, () => vscode.languages.getDiagnostics(uri).find((d) => d.range.start.line === quotaLine && codeOf(d) === 'xl.version-key-ignored'), 30_000);
    assert.equal(flagged.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(flagged.message, new RegExp(`needs Xen 4\\.22; this host runs ${hostVersion.replace('.', '\\.')}, whose xl ignores it`));
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await shot(`a key newer than the host's Xen ${hostVersion}`);
  });
});
