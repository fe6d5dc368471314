// The server under hostile conditions: malformed requests, cancellation, huge files, text that
// was not valid UTF-8 on disk. It must answer, or fail the one request, and keep serving.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lspClient';

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
    const published = await client.open('file:///etc/xen/after-malformed.cfg', 'name = "ok"\nkernel = "/boot/vmlinuz"\nmemry = 1\nmaxmem = 512\n');
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
    const message = published.diagnostics[0].message;
    assert.ok(typeof message === 'string', 'the message is plain text');
    assert.match(message, /d\ufffdsk/);
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

describe('stdio transport', () => {
  /** Starts the server, optionally sends a shutdown request, closes its input and returns the exit code. */
  async function exitCodeWhenInputCloses(shutdownFirst: boolean): Promise<number | null> {
    const child = spawn(process.execPath, [resolve('dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const frame = (message: object) => {
      const body = Buffer.from(JSON.stringify(message));
      return Buffer.concat([Buffer.from(`Content-Length: ${body.byteLength}\r\n\r\n`), body]);
    };
    // One response per request, each in one piece: read until the ids we expect have answered.
    let output = '';
    const answered = (id: number) => new Promise<void>((done) => {
      const check = () => (output.includes(`"id":${id}`) ? done() : undefined);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        check();
      });
      check();
    });
    child.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
    await answered(1);
    if (shutdownFirst) {
      child.stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
      await answered(2);
    }
    child.stdin.end();
    return exited;
  }

  test('the server exits when its input closes: 0 after shutdown, 1 when the client just went away', async () => {
    assert.equal(await exitCodeWhenInputCloses(true), 0);
    assert.equal(await exitCodeWhenInputCloses(false), 1);
  });

  test('each message is framed with its exact byte length, also for non-ASCII text', async () => {
    const client = new LspClient();
    try {
      await client.initialize();
      // The message quotes the value: the notification carries multi-byte UTF-8.
      const published = await client.open('file:///etc/xen/unicode.cfg', "vif = [ 'bridge=xenbr0,mäc=☃' ]\nmemory = 1024\n");
      assert.ok(published.diagnostics.some((diagnostic: Diagnostic) => typeof diagnostic.message === 'string' && diagnostic.message.includes('mäc=☃')), JSON.stringify(published.diagnostics));
      // And the server still reads what comes after it.
      const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: 'file:///etc/xen/unicode.cfg' }, position: { line: 1, character: 1 } });
      assert.match(hover?.contents.value ?? '', /memory/);
    } finally {
      await client.shutdown();
    }
  });
});
