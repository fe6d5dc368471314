// Language features through the real `vscode` API: completion, hover, quick fixes, formatting.
// Each test asks VS Code's own command (`vscode.execute…Provider`), so it goes through the
// language client, LSP over IPC and the server, exactly as an editor request does.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { KEY_BY_NAME } from '../../server/src/catalogue';
import { effectiveSettings, parseConfig } from '../../server/src/syntax';
import { codeOf, diagnosticsFor, normalize, textOf, untitledXl, waitFor } from './helpers';

const GUEST = ['type = "hvm"', 'name = "features"', '', 'vif = [ \'mac=00:16:3e:29:00:00,bridge=xenbr0\' ]', ''].join('\n');

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** The meaning of a config as xl sees it: every stored setting, in order. */
function meaning(text: string): string {
  const document = parseConfig(text);
  const settings = [...effectiveSettings(document).values()].map((s) => [s.key, s.op, s.value]);
  return JSON.stringify({ settings, errors: document.errors.map((e) => e.code) });
}

describe('language features', () => {
  it('completion at a key position offers `memory` with its documentation', async () => {
    const document = await untitledXl(GUEST);
    // Line 2 is empty: the start of a new statement, where keys are completed.
    const position = new vscode.Position(2, 0);
    // Resolve up to 1000 items, so documentation filled in by completionItem/resolve is there too.
    const list = await waitFor('a completion list', async () => {
      const result = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position, undefined, 1000);
      return result && result.items.length > 0 ? result : undefined;
    });
    const memory = list.items.find((item) => labelOf(item) === 'memory');
    assert.ok(memory, `completion contains "memory" (got ${list.items.slice(0, 20).map(labelOf).join(', ')}, …)`);
    const docs = normalize(textOf(memory.documentation));
    assert.ok(docs.length > 20, `"memory" has documentation (got ${JSON.stringify(docs)})`);
  });

  it('hover on `vif` shows our documentation of the key', async () => {
    const document = await untitledXl(GUEST);
    const line = document.lineAt(3);
    assert.ok(line.text.startsWith('vif'));
    const hovers = await waitFor('a hover', async () => {
      const result = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(3, 1));
      return result && result.length > 0 ? result : undefined;
    });
    const text = normalize(hovers.flatMap((hover) => hover.contents.map(textOf)).join('\n'));
    const doc = KEY_BY_NAME.get('vif')?.doc;
    assert.ok(doc, 'the catalogue documents vif');
    // The first sentence of the catalogue's text (up to its first comma) must be in the hover.
    const opening = normalize(doc.split(',')[0]);
    assert.ok(text.includes(opening), `hover text contains ${JSON.stringify(opening)}; got ${JSON.stringify(text.slice(0, 300))}`);
  });

  it('a quick fix applies and clears its diagnostic', async () => {
    const document = await untitledXl(['type = "hvm"', 'name = "fixme"', 'Memory = 2048', ''].join('\n'));
    const [diagnostic] = await diagnosticsFor(document.uri, (list) => list.some((d) => codeOf(d) === 'xl.syntax.uppercase-key'));
    const found = vscode.languages.getDiagnostics(document.uri).find((d) => codeOf(d) === 'xl.syntax.uppercase-key') ?? diagnostic;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, found.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions?.find((action) => action.edit !== undefined && action.title.includes('memory'));
    assert.ok(fix?.edit, `a quick fix that writes \`memory\` is offered (got ${JSON.stringify(actions?.map((a) => a.title))})`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the fix applies');
    assert.equal(document.lineAt(2).text, 'memory = 2048');
    await diagnosticsFor(document.uri, (list) => !list.some((d) => codeOf(d) === 'xl.syntax.uppercase-key'));
  });

  it('formatting changes the layout but not the meaning', async () => {
    const messy = [
      'type="hvm"',
      'name   =   "format-me"   # the guest name',
      'memory=2048',
      'vcpus  = 2',
      "vif=['mac=00:16:3e:29:00:05,bridge=xenbr0']",
      "disk = [ 'phy:/dev/vg0/fmt,xvda,rw',",
      "           'file:/opt/isos/debian-12.iso,xvdb:cdrom,r' ]",
      '',
    ].join('\n');
    const document = await untitledXl(messy);
    const options = { tabSize: 4, insertSpaces: true };
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[] | undefined>('vscode.executeFormatDocumentProvider', document.uri, options);
    assert.ok(Array.isArray(edits), 'a document formatter is registered for xl');
    assert.ok(edits.length > 0, 'the messy layout is changed');
    const edit = new vscode.WorkspaceEdit();
    edit.set(document.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const formatted = document.getText();
    assert.notEqual(formatted, messy);
    assert.equal(meaning(formatted), meaning(messy), 'the same settings with the same values, and no new syntax errors');
    assert.ok(formatted.includes('# the guest name'), 'comments are kept');
    // Formatting a formatted document changes nothing.
    const again = await vscode.commands.executeCommand<vscode.TextEdit[] | undefined>('vscode.executeFormatDocumentProvider', document.uri, options);
    const second = new vscode.WorkspaceEdit();
    second.set(document.uri, again ?? []);
    await vscode.workspace.applyEdit(second);
    assert.equal(document.getText(), formatted, 'formatting is idempotent');
  });
});
