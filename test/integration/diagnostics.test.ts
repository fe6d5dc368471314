// Extension-host tests: run inside a real VS Code with the extension installed, against the real
// `vscode` API. The workspace is test/fixtures/workspace.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Resolves when VS Code reports diagnostics for `uri` that satisfy `predicate`. */
function diagnosticsFor(uri: vscode.Uri, predicate: (diagnostics: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!predicate(diagnostics)) return false;
      resolve(diagnostics);
      return true;
    };
    if (check()) return;
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString()) && check()) subscription.dispose();
    });
  });
}

function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

describe('xl language in VS Code', () => {
  it('a .cfg under a xen folder opens as language xl', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('xen/web.cfg'));
    assert.equal(document.languageId, 'xl');
  });

  it('a broken config gets our diagnostics', async () => {
    const uri = workspaceFile('xen/broken.cfg');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostics = await diagnosticsFor(uri, (list) => list.length >= 2);
    const summary = diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.severity} ${String(typeof d.code === 'object' ? d.code.value : d.code)}`);
    assert.deepEqual(summary, ['3:0 0 xl.syntax.uppercase-key', '4:9 0 xl.syntax.unquoted-value']);
    assert.equal(diagnostics[0].message, 'keys are lower-case: `Memory` → `memory`');
  });

  it("a diagnostic's code links to its rule in the docs/rules.md the extension ships, at the rule's line", async () => {
    const uri = workspaceFile('xen/broken.cfg');
    const [first] = await diagnosticsFor(uri, (list) => list.length >= 2);
    const code = first.code;
    assert.ok(typeof code === 'object', `the code carries a link: ${JSON.stringify(code)}`);
    assert.equal(code.target.scheme, 'file');
    assert.ok(code.target.path.endsWith('/docs/rules.md'), code.target.toString());
    const line = Number(/^L(\d+)$/.exec(code.target.fragment)?.[1]);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(code.target.with({ fragment: '' })));
    assert.equal(text.split('\n')[line - 1], '### `xl.syntax.uppercase-key`');
  });

  it('the "Treat this file as an xl config" command is registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('xen.treatAsXlConfig'));
  });
});
