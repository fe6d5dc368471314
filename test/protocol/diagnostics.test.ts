// Protocol tests: the built server, started as a child process, speaks real LSP over stdio.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lspClient';

const WALKTHROUGH = [
  'type = "hvm"',
  'name = "c6-x8664.hvm"',
  'memory = 4096',
  'vcpus = 2',
  "vif = [ 'mac=00:16:3E:29:00:00,bridge=xenbr0' ]",
  "disk = [ 'phy:/dev/vg_c6xendom0/c68-x8664-hvm,xvda,rw', 'file:/opt/isos/CentOS-6.8-x86_64-minimal.iso,xvdb:cdrom,r' ]",
  'boot = "dc"',
  'vnc = 1',
  '',
].join('\n');

function summary(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code}`);
}

describe('language server over stdio', () => {
  let client: LspClient;
  before(() => {
    client = new LspClient();
  });
  after(async () => {
    await client.shutdown();
    assert.equal(client.exitCode, 0);
  });

  test('initialize announces incremental sync and quick fixes', async () => {
    const result = await client.initialize();
    assert.equal(result.serverInfo?.name, 'xen-xl-language-server');
    assert.equal(result.capabilities.textDocumentSync, 2);
    assert.ok(result.capabilities.codeActionProvider);
  });

  test('a clean config gets an empty diagnostics list', async () => {
    const published = await client.open('file:///etc/xen/c6.cfg', WALKTHROUGH);
    assert.deepEqual(published.diagnostics, []);
  });

  test('errors are published on open, with exact ranges and codes', async () => {
    const published = await client.open('file:///etc/xen/bad.cfg', 'name = "vm"\nMemory = 512\nkernel = /boot/vmlinuz\n');
    assert.deepEqual(summary(published.diagnostics), ['1:0-1:6 1 xl.syntax.uppercase-key', '2:9-2:22 1 xl.syntax.unquoted-value']);
    assert.equal(published.diagnostics[0].message, 'keys are lower-case: `Memory` → `memory`');
    assert.equal(published.diagnostics[0].source, 'xl');
  });

  test('a change republishes for the new version', async () => {
    const published = await client.replace('file:///etc/xen/bad.cfg', 'name = "vm"\nkernel = "/boot/vmlinuz"\nmemory = 512\n', 2);
    assert.equal(published.version, 2);
    assert.deepEqual(published.diagnostics, []);
  });

  test('CRLF: every line is flagged, and the quick fix converts the file', async () => {
    const uri = 'file:///etc/xen/win.cfg';
    const published = await client.open(uri, 'name = "win"\r\nmemory = 512\r\n');
    assert.deepEqual(summary(published.diagnostics), ['0:12-0:13 1 xl.syntax.crlf', '1:12-1:13 1 xl.syntax.crlf']);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: published.diagnostics[0].range,
      context: { diagnostics: [published.diagnostics[0]] },
    });
    const convert = actions.find((action) => action.title === 'Convert the file to LF line endings');
    assert.ok(convert?.edit?.changes);
    assert.equal(convert.edit.changes[uri].length, 2);
    assert.equal(convert.isPreferred, true);
  });

  test('quick fix: quote an unquoted value', async () => {
    const uri = 'file:///etc/xen/q.cfg';
    const published = await client.open(uri, 'name = myvm\n');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: published.diagnostics[0].range,
      context: { diagnostics: published.diagnostics },
    });
    assert.deepEqual(actions.map((action) => action.title), ['Quote the value: "myvm"']);
    assert.deepEqual(actions[0].edit?.changes?.[uri], [{ range: { start: { line: 0, character: 7 }, end: { line: 0, character: 11 } }, newText: '"myvm"' }]);
  });

  test('binary junk does not crash the server', async () => {
    const junk = Array.from({ length: 20_000 }, (_, index) => String.fromCharCode((index * 7919) % 65_536)).join('');
    const published = await client.open('file:///tmp/junk.cfg', junk);
    assert.ok(published.diagnostics.length > 0 && published.diagnostics.length <= 1000, `${published.diagnostics.length} diagnostics`);
    // Junk does not parse: among the diagnostics are syntax errors, and every one is well formed.
    assert.ok(published.diagnostics.some((diagnostic) => diagnostic.severity === 1 && String(diagnostic.code).startsWith('xl.syntax.')), JSON.stringify(published.diagnostics.slice(0, 5)));
    for (const diagnostic of published.diagnostics) {
      assert.equal(diagnostic.source, 'xl');
      assert.match(String(diagnostic.code), /^xl\./);
      assert.ok(typeof diagnostic.message === 'string' && diagnostic.message.length > 0 && diagnostic.range.start.line >= 0 && diagnostic.range.end.line >= diagnostic.range.start.line, JSON.stringify(diagnostic));
    }
    const again = await client.open('file:///etc/xen/after-junk.cfg', 'name = "after-junk"\nkernel = "/boot/vmlinuz"\nmemory = 512\n');
    assert.deepEqual(again.diagnostics, []);
  });

  test('closing a document clears its diagnostics', async () => {
    const cleared = client.nextDiagnostics('file:///etc/xen/bad.cfg');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///etc/xen/bad.cfg' } });
    assert.deepEqual((await cleared).diagnostics, []);
  });
});
