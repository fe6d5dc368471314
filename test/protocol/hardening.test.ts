// The server under hostile conditions: malformed requests, cancellation, huge files, text that
// was not valid UTF-8 on disk. It must answer, or fail the one request, and keep serving.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

describe('server hardening', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    // No workspace/configuration capability: settings come with didChangeConfiguration.
    await client.initialize();
  });
  after(async () => {
    await client.shutdown();
    assert.equal(client.exitCode, 0);
  });

  test('a malformed request fails alone and the server keeps serving', async () => {
    await assert.rejects(client.request('textDocument/hover', { position: { line: 0, character: 0 } }));
    // A wrong-typed URI names no open document: an empty answer, not an error.
    assert.deepEqual(await client.request('textDocument/completion', { textDocument: { uri: 42 }, position: 'here' }), { isIncomplete: false, items: [] });
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nowhere.cfg', version: 3 }, contentChanges: [{ text: 'x' }] });
    const published = await client.open('file:///etc/xen/after-malformed.cfg', 'name = "ok"\nmemry = 1\n');
    assert.deepEqual(published.diagnostics.map((d: Diagnostic) => d.code), ['xl.unknown-key']);
  });

  test('an unknown method gets MethodNotFound, not a crash', async () => {
    await assert.rejects(client.request('xen/doesNotExist', {}), (error: { code?: number }) => error.code === -32601);
  });

  test('a cancelled completion answers RequestCancelled', async () => {
    const uri = 'file:///etc/xen/cancel.cfg';
    await client.open(uri, 'name = "c"\nkernel = "/"\n');
    const source = client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 11 } }, cancelToken());
    await assert.rejects(source, (error: { code?: number }) => error.code === -32800);
    const hover = await client.request<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 1 } });
    assert.ok(hover !== null, 'still answers after a cancellation');
  });

  test('text that was not UTF-8 on disk (replacement characters, Latin-1) is analysed', async () => {
    const published = await client.open('file:///etc/xen/latin1.cfg', 'name = "caf\ufffd"\n# r\u00e9seau\nmemory = 512\nd\ufffdsk = []\n');
    assert.deepEqual(published.diagnostics.map((d: Diagnostic) => d.code), ['xl.syntax.bad-key']);
    assert.match(String(published.diagnostics[0].message), /d\ufffdsk/);
  });

  test('a file over the size limit gets syntax diagnostics only, with a notice', async () => {
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { xen: { diagnostics: { maxFileSize: 2000 } } } });
    const big = `name = "big"\nmemry = 1\nMemory = 2\n${'# padding line\n'.repeat(200)}`;
    const notice = new Promise<string>((resolve) => client.connection.onNotification('window/showMessage', (params: { message: string }) => resolve(params.message)));
    const published = await client.open('file:///etc/xen/big.cfg', big);
    assert.deepEqual(published.diagnostics.map((d: Diagnostic) => d.code), ['xl.syntax.uppercase-key']);
    assert.match(await notice, /larger than xen\.diagnostics\.maxFileSize/);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { xen: {} } });
  });
});

/** A cancellation token that is already cancelled, as the client sends $/cancelRequest at once. */
function cancelToken() {
  return { isCancellationRequested: true, onCancellationRequested: (listener: () => void) => (setImmediate(listener), { dispose() {} }) };
}
