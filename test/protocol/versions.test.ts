// The target Xen version over the protocol: the `xen/hostVersion` notification (the client tells
// the server which Xen the host runs) and the `xen.targetVersion` setting, which wins when it names
// a version. Without either, the server checks for the latest Xen with no version rules.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, CompletionList, Hover, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lspClient';

const GUEST = 'name = "versions"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nxenstore_quota = [ "nodes=2000" ]\ndisk = [ "vdev=xvda,grant_usage=1,target=/a.img" ]\n\n';
const CAPABILITIES = {
  textDocument: {
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
};

const versionRows = (published: PublishDiagnosticsParams): [string, string][] =>
  published.diagnostics.filter((d) => String(d.code).startsWith('xl.version-')).map((d) => [String(d.code), typeof d.message === 'string' ? d.message : d.message.value]);

describe('the target Xen version over stdio', () => {
  let client: LspClient;
  const uri = 'file:///etc/xen/versions.cfg';

  before(async () => {
    client = new LspClient();
    await client.initialize(CAPABILITIES);
  });
  after(async () => {
    await client.shutdown();
    assert.equal(client.exitCode, 0);
  });

  test('no host version and no setting: no version diagnostics', async () => {
    assert.deepEqual(versionRows(await client.open(uri, GUEST)), []);
  });

  test('xen/hostVersion 4.17: the newer key is ignored there, the newer disk key refused', async () => {
    const next = client.nextDiagnostics(uri);
    await client.connection.sendNotification('xen/hostVersion', { version: '4.17.3' });
    assert.deepEqual(versionRows(await next), [
      ['xl.version-key-ignored', '`xenstore_quota` needs Xen 4.22; this host runs 4.17, whose xl ignores it'],
      ['xl.version-refused', '`grant_usage=` in a disk spec needs Xen 4.19; this host runs 4.17, whose xl refuses it and stops `xl create`'],
    ]);
  });

  test('hover and completion say what the host lacks', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 3 } });
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /\*Xen:\* since Xen 4\.22/);
    assert.match(markdown, /`xenstore_quota` needs Xen 4\.22\*\*: this host runs 4\.17\./);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 0 } });
    const altp2m = list.items.find((item) => item.label === 'altp2m_count');
    const memory = list.items.find((item) => item.label === 'memory');
    assert.ok(altp2m !== undefined && memory !== undefined);
    assert.ok((altp2m.sortText ?? '') > (memory.sortText ?? ''), 'a key the host lacks sorts after the others');
    const resolved = await client.request<CompletionItem>('completionItem/resolve', altp2m);
    assert.match(resolved.detail ?? '', /^needs Xen 4\.21 · /);
  });

  test('a version in xen.targetVersion wins over the host\'s', async () => {
    const next = client.nextDiagnostics(uri);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { xen: { targetVersion: '4.19' } } });
    assert.deepEqual(versionRows(await next), [['xl.version-key-ignored', '`xenstore_quota` needs Xen 4.22; the target is Xen 4.19, whose xl ignores it']]);
  });

  test('auto again, and a null host version: no version diagnostics', async () => {
    let next = client.nextDiagnostics(uri);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { xen: { targetVersion: 'auto' } } });
    assert.equal(versionRows(await next).length, 2);
    next = client.nextDiagnostics(uri);
    await client.connection.sendNotification('xen/hostVersion', { version: null });
    assert.deepEqual(versionRows(await next), []);
  });
});
