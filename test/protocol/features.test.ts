// Protocol tests of the editing features: the built server, started over stdio, answers each
// request type (completion, hover, code actions, symbols, folding, formatting, links, inlay
// hints, semantic tokens) with LSP data at exact positions.

import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type {
  CodeAction, CompletionItem, CompletionList, DocumentLink, DocumentSymbol, FoldingRange, Hover, InitializeResult, InlayHint, MarkupContent, SemanticTokens, TextEdit,
} from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lspClient';

const GUEST = [
  '# A test guest.',
  '# Two comment lines.',
  'type = "hvm"',
  'name = "features"',
  'memory = 4096',
  'boot = "dc"',
  "vif = [ 'mac=00:16:3e:29:00:00,bridge=xenbr0' ]",
  'disk = [',
  "    'phy:/dev/vg0/features,xvda,rw',",
  "    'file:/opt/isos/debian-12.5.0-amd64-netinst.iso,xvdb:cdrom,r',",
  ']',
  '',
].join('\n');

const CAPABILITIES = {
  textDocument: {
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
};

describe('editing features over stdio', () => {
  let client: LspClient;
  let initialized: InitializeResult;
  const uri = 'file:///etc/xen/features.cfg';

  before(async () => {
    client = new LspClient();
    initialized = await client.initialize(CAPABILITIES);
    await client.open(uri, GUEST);
  });
  after(async () => {
    await client.shutdown();
    assert.equal(client.exitCode, 0);
  });

  const at = (line: number, character: number) => ({ textDocument: { uri }, position: { line, character } });

  test('initialize announces every editing feature', () => {
    const capabilities = initialized.capabilities;
    assert.deepEqual(capabilities.completionProvider?.triggerCharacters, ['=', ',', "'", '"', '[', '/', ':']);
    assert.equal(capabilities.hoverProvider, true);
    assert.equal(capabilities.documentSymbolProvider, true);
    assert.equal(capabilities.foldingRangeProvider, true);
    assert.equal(capabilities.documentFormattingProvider, true);
    assert.equal(capabilities.documentRangeFormattingProvider, true);
    assert.ok(capabilities.documentLinkProvider);
    assert.ok(capabilities.inlayHintProvider);
    assert.deepEqual(capabilities.semanticTokensProvider && 'legend' in capabilities.semanticTokensProvider ? capabilities.semanticTokensProvider.legend : undefined, { tokenTypes: ['property', 'unknownKey'], tokenModifiers: ['deprecated'] });
  });

  test('completion of a key: snippet, markdown docs, exact edit range', async () => {
    const list = await client.request<CompletionList>('textDocument/completion', at(11, 0));
    const memory = list.items.find((item) => item.label === 'maxmem');
    assert.ok(memory);
    assert.deepEqual(memory.textEdit, { range: { start: { line: 11, character: 0 }, end: { line: 11, character: 0 } }, newText: 'maxmem = ${1:8192}' });
    assert.equal(memory.insertTextFormat, 2);
    assert.equal((memory.documentation as MarkupContent).kind, 'markdown');
    assert.ok(!list.items.some((item) => item.label === 'memory'), 'keys already set are not offered');
  });

  test('completion inside a disk spec: values after key=, with a retrigger after keys', async () => {
    await client.replace(uri, `${GUEST}disk += [ 'format=raw, ' ]\n`, 2);
    const keys = await client.request<CompletionList>('textDocument/completion', at(11, 23));
    const vdev = keys.items.find((item) => item.label === 'vdev');
    assert.equal(vdev?.textEdit?.newText, 'vdev=');
    assert.equal(vdev?.command?.command, 'editor.action.triggerSuggest');
    await client.replace(uri, `${GUEST}disk += [ 'format=raw, vdev=' ]\n`, 3);
    const values = await client.request<CompletionList>('textDocument/completion', at(11, 28));
    assert.deepEqual(values.items.map((item) => item.label), ['xvdc']);
    await client.replace(uri, GUEST, 4);
  });

  test('completion of host paths lists the folder on the server host', async () => {
    const folder = resolve('examples');
    const pathUri = 'file:///etc/xen/paths.cfg';
    await client.open(pathUri, `kernel = "${folder}/"\n`);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: pathUri }, position: { line: 0, character: 11 + folder.length } });
    assert.equal(list.isIncomplete, true);
    const item = list.items.find((candidate) => candidate.label === 'debian12.pvh.cfg');
    assert.ok(item, `listing of ${folder}: ${list.items.map((candidate) => candidate.label).join(', ')}`);
    assert.deepEqual(item.textEdit?.newText, 'debian12.pvh.cfg');
  });

  test('a client like VS Code gets a compact list: shared range and format once, detail and docs on resolve', async () => {
    const compact = new LspClient();
    try {
      await compact.initialize({
        textDocument: {
          completion: {
            completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], resolveSupport: { properties: ['documentation', 'detail'] } },
            completionList: { itemDefaults: ['editRange', 'insertTextFormat', 'data'] },
          },
        },
      });
      await compact.open(uri, GUEST);
      const list = await compact.request<CompletionList>('textDocument/completion', at(11, 0));
      const listNumber = (list.itemDefaults?.data as { list: number }).list;
      assert.equal(typeof listNumber, 'number');
      assert.deepEqual(list.itemDefaults, { editRange: { start: { line: 11, character: 0 }, end: { line: 11, character: 0 } }, insertTextFormat: 2, data: { list: listNumber } });
      const maxmem = list.items.find((item) => item.label === 'maxmem')!;
      assert.deepEqual(maxmem, { label: 'maxmem', kind: 10, textEditText: 'maxmem = ${1:8192}', sortText: '00maxmem' });
      // Every item is small: no per-item range, format, detail or documentation.
      assert.ok(list.items.every((item) => item.textEdit === undefined && item.detail === undefined && item.documentation === undefined));
      // The client merges the list's data into each item before it resolves one.
      const resolved = await compact.request<CompletionItem>('completionItem/resolve', { ...maxmem, data: list.itemDefaults?.data });
      assert.match(resolved.detail ?? '', /integer/);
      assert.match((resolved.documentation as MarkupContent).value, /^\*\*maxmem\*\*/);
      // An item the server never made comes back as it was.
      const unknown = await compact.request<CompletionItem>('completionItem/resolve', { label: 'no-such-key', data: { list: listNumber } });
      assert.deepEqual(unknown, { label: 'no-such-key', data: { list: listNumber } });
      // So does an item of an older list, even when the newer list has an item of that label.
      const newer = await compact.request<CompletionList>('textDocument/completion', at(11, 0));
      assert.notEqual((newer.itemDefaults?.data as { list: number }).list, listNumber);
      const stale = await compact.request<CompletionItem>('completionItem/resolve', { ...maxmem, data: { list: listNumber } });
      assert.equal(stale.documentation, undefined);
    } finally {
      await compact.shutdown();
    }
  });

  test('plain-text clients get no snippets and plain docs', async () => {
    const plain = new LspClient();
    try {
      await plain.initialize({});
      await plain.open(uri, GUEST);
      const list = await plain.request<CompletionList | CompletionItem[]>('textDocument/completion', at(11, 0));
      const items = Array.isArray(list) ? list : list.items;
      const vcpus = items.find((item) => item.label === 'vcpus')!;
      assert.equal(vcpus.insertTextFormat, 1);
      assert.equal(vcpus.textEdit?.newText, 'vcpus = ');
      assert.equal((vcpus.documentation as MarkupContent).kind, 'plaintext');
      assert.ok(!(vcpus.documentation as MarkupContent).value.includes('**'));
      const hover = await plain.request<Hover>('textDocument/hover', at(4, 10));
      assert.equal((hover.contents as MarkupContent).kind, 'plaintext');
    } finally {
      await plain.shutdown();
    }
  });

  test('hover on a value and on a key', async () => {
    const value = await client.request<Hover>('textDocument/hover', at(4, 10));
    assert.deepEqual(value.range, { start: { line: 4, character: 9 }, end: { line: 4, character: 13 } });
    assert.match((value.contents as MarkupContent).value, /4 GiB/);
    const key = await client.request<Hover>('textDocument/hover', at(6, 1));
    assert.deepEqual(key.range, { start: { line: 6, character: 0 }, end: { line: 6, character: 3 } });
    assert.match((key.contents as MarkupContent).value, /^\*\*vif\*\*/);
    const boot = await client.request<Hover>('textDocument/hover', at(5, 8));
    assert.match((boot.contents as MarkupContent).value, /CD-ROM first, then hard disk/);
    assert.equal(await client.request<Hover | null>('textDocument/hover', at(0, 3)), null);
  });

  test('code actions: refactorings where they apply, only when asked for that kind', async () => {
    const range = { start: { line: 5, character: 8 }, end: { line: 5, character: 8 } };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
    const boot = actions.find((action) => action.title === 'Boot from disk only');
    assert.equal(boot?.kind, 'refactor.rewrite');
    assert.deepEqual(boot?.edit?.changes?.[uri], [{ range: { start: { line: 5, character: 7 }, end: { line: 5, character: 11 } }, newText: '"c"' }]);
    const quickFixesOnly = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['quickfix'] } });
    assert.deepEqual(quickFixesOnly, []);
    const asked = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['refactor'] } });
    assert.deepEqual(asked.map((action) => action.title).sort(), [
      'Boot from disk only',
      'Enable PV drivers (PVHVM)',
      'Finish install: boot from disk, empty the CD drive',
      'Finish install: boot from disk, remove the CD drive',
      'Sort keys into sections',
    ]);
    // The client's Finish Install asks for one kind by name, from anywhere in the file.
    const anywhere = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const removeCd = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: anywhere, context: { diagnostics: [], only: ['refactor.rewrite.xen.finishInstall.removeCd'] } });
    assert.deepEqual(removeCd.map((action) => [action.title, action.kind]), [['Finish install: boot from disk, remove the CD drive', 'refactor.rewrite.xen.finishInstall.removeCd']]);
    assert.deepEqual(removeCd[0].edit?.changes?.[uri], [
      { range: { start: { line: 5, character: 7 }, end: { line: 5, character: 11 } }, newText: '"c"' },
      { range: { start: { line: 9, character: 0 }, end: { line: 10, character: 0 } }, newText: '' },
    ]);
    const sortOnly = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: anywhere, context: { diagnostics: [], only: ['refactor.rewrite.sort'] } });
    assert.deepEqual(sortOnly.map((action) => action.kind), ['refactor.rewrite.sort']);
    const disk = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 8, character: 10 }, end: { line: 8, character: 10 } }, context: { diagnostics: [] } });
    const convert = disk.find((action) => action.title === 'Convert to key=value disk spec');
    assert.deepEqual(convert?.edit?.changes?.[uri], [{ range: { start: { line: 8, character: 5 }, end: { line: 8, character: 34 } }, newText: 'format=raw, vdev=xvda, access=rw, target=/dev/vg0/features' }]);
    const mac = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 6, character: 12 }, end: { line: 6, character: 12 } }, context: { diagnostics: [] } });
    const generated = mac.find((action) => action.title.startsWith('Generate MAC address'));
    assert.match(generated?.edit?.changes?.[uri][0].newText ?? '', /^00:16:3e(:[0-9a-f]{2}){3}$/);
  });

  test('document symbols with disk children named by vdev', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((symbol) => `${symbol.name}=${symbol.detail}`), ['type=hvm', 'name=features', 'memory=4096', 'boot=dc', 'vif=1 entry', 'disk=2 entries']);
    const disk = symbols[5];
    assert.deepEqual(disk.children?.map((child) => child.name), ['xvda', 'xvdb']);
    assert.deepEqual(disk.range, { start: { line: 7, character: 0 }, end: { line: 10, character: 1 } });
    assert.deepEqual(disk.selectionRange, { start: { line: 7, character: 0 }, end: { line: 7, character: 4 } });
  });

  test('folding ranges for the comment block and the disk list', async () => {
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.deepEqual(ranges, [{ startLine: 0, endLine: 1, kind: 'comment' }, { startLine: 7, endLine: 9 }]);
  });

  test('formatting: document and range, as the smallest edits', async () => {
    const messy = 'memory=1024\nvcpus  =   2\n';
    const messyUri = 'file:///etc/xen/messy.cfg';
    await client.open(messyUri, messy);
    const options = { tabSize: 4, insertSpaces: true };
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: messyUri }, options });
    const at = (line: number, start: number, end: number, newText: string) => ({ range: { start: { line, character: start }, end: { line, character: end } }, newText });
    // Only the blanks around the operators change; the keys and values are not rewritten.
    assert.deepEqual(edits, [at(0, 6, 6, ' '), at(0, 7, 7, ' '), at(1, 5, 7, ' '), at(1, 8, 11, ' ')]);
    const ranged = await client.request<TextEdit[]>('textDocument/rangeFormatting', { textDocument: { uri: messyUri }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }, options });
    assert.deepEqual(ranged, [at(1, 5, 7, ' '), at(1, 8, 11, ' ')]);
    assert.deepEqual(await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options }), []);
  });

  test('document links only for files that exist on the host', async () => {
    const file = resolve('examples/debian12.pvh.cfg');
    const linkUri = 'file:///etc/xen/links.cfg';
    await client.open(linkUri, `kernel = "${file}"\nramdisk = "/nonexistent/initrd"\n`);
    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: linkUri } });
    assert.deepEqual(links.map((link) => [link.range.start, link.target]), [[{ line: 0, character: 10 }, pathToFileURL(file).href]]);
  });

  test('inlay hints are off by default and follow the setting', async () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 11, character: 0 } };
    assert.deepEqual(await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range }), []);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { xen: { inlayHints: { enabled: true } } } });
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range });
    assert.deepEqual(hints.map((hint) => [hint.position, hint.label]), [[{ line: 4, character: 13 }, '4 GiB'], [{ line: 5, character: 11 }, 'CD-ROM → hard disk']]);
  });

  test('semantic tokens: known, deprecated and unknown keys', async () => {
    const tokensUri = 'file:///etc/xen/tokens.cfg';
    await client.open(tokensUri, 'memory = 1\n  builder = "hvm"\nfrob = 2\n');
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: tokensUri } });
    assert.deepEqual(tokens.data, [0, 0, 6, 0, 0, 1, 2, 7, 0, 1, 1, 0, 4, 1, 0]);
  });

  test('xl.conf: its own keys in completion, hover and diagnostics, no guest features', async () => {
    const confUri = 'file:///etc/xen/xl.conf';
    const published = await client.open(confUri, 'autoballoon = "sometimes"\nmax_grant_frames = "many"\nmemory = 1024\n\n');
    assert.deepEqual(
      published.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code}`),
      ['0:14-0:25 2 xl.bad-enum', '1:19-1:25 1 xl.not-a-number', '2:0-2:6 2 xl.conf-guest-key'],
    );
    const message = published.diagnostics[0].message;
    assert.match(typeof message === 'string' ? message : message.value, /"invalid autoballoon option"/);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: confUri }, position: { line: 3, character: 0 } });
    const labels = list.items.map((item) => item.label);
    assert.ok(labels.includes('vif.default.bridge') && labels.includes('domid_policy'), labels.join(', '));
    assert.ok(!labels.includes('autoballoon') && !labels.includes('name'), 'keys already set and guest keys are not offered');
    assert.equal(list.items.find((item) => item.label === 'domid_policy')?.textEdit?.newText, 'domid_policy = "${1|xen,random|}"');
    const values = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: confUri }, position: { line: 0, character: 15 } });
    assert.deepEqual(values.items.map((item) => item.label), ['auto', 'on', 'off', '1', '0']);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: confUri }, position: { line: 1, character: 3 } });
    assert.match((hover.contents as MarkupContent).value, /^\*\*max_grant_frames\*\* \(xl\.conf\)/);
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: confUri } });
    assert.deepEqual(tokens.data, []);
  });
});
