// xl.conf in VS Code: a file named xl.conf, in language xl, gets completion, hover and diagnostics
// from the xl.conf catalogue (not the guest one), through the language client and the server.
// The workspace's copy is at xen/xl.conf; VS Code maps only /etc/xen/xl.conf to language xl, so
// the test switches the language, as "Treat this file as an xl config" does.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { XL_CONF_KEY_BY_NAME } from '../../server/src/catalogue/xlConf';
import { codeOf, diagnosticsFor, normalize, textOf, waitFor, workspaceFile } from './helpers';

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

describe('xl.conf', () => {
  let document: vscode.TextDocument;

  before(async () => {
    const opened = await vscode.workspace.openTextDocument(workspaceFile('xen/xl.conf'));
    document = await vscode.languages.setTextDocumentLanguage(opened, 'xl');
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'xl');
  });

  it('gets diagnostics from its own keys: a bad autoballoon and a guest key, no missing name', async () => {
    const diagnostics = await diagnosticsFor(document.uri, (list) => list.length >= 2);
    const summary = diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.severity} ${codeOf(d)}`);
    assert.deepEqual(summary, ['1:14 1 xl.bad-enum', '3:0 1 xl.conf-guest-key']);
    assert.match(diagnostics[0].message, /"invalid autoballoon option"/);
  });

  it('completes xl.conf keys, not guest keys, on an empty line', async () => {
    const position = new vscode.Position(4, 0);
    const list = await waitFor('a completion list', async () => {
      const result = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position, undefined, 100);
      return result && result.items.length > 0 ? result : undefined;
    });
    const labels = list.items.map(labelOf);
    assert.ok(labels.includes('domid_policy'), `domid_policy offered (got ${labels.join(', ')})`);
    assert.ok(!labels.includes('kernel') && !labels.includes('autoballoon'), `no guest keys and no key already set (got ${labels.join(', ')})`);
    const claim = list.items.find((item) => labelOf(item) === 'claim_mode');
    assert.ok(claim && normalize(textOf(claim.documentation)).length > 20, 'claim_mode has documentation');
  });

  it('hover on a key shows our xl.conf documentation', async () => {
    const hovers = await waitFor('a hover', async () => {
      const result = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, 5));
      return result && result.length > 0 ? result : undefined;
    });
    const text = normalize(hovers.flatMap((hover) => hover.contents.map(textOf)).join('\n'));
    const doc = XL_CONF_KEY_BY_NAME.get('vif.default.bridge')?.doc;
    assert.ok(doc);
    const opening = normalize(doc.split(',')[0]);
    assert.ok(text.includes(opening), `hover contains ${JSON.stringify(opening)}; got ${JSON.stringify(text.slice(0, 300))}`);
  });
});
