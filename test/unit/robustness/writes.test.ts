// Nothing writes a user's file behind their back. The language server has no code that writes to
// disk at all, and the client saves no document: Start and Validate hand the editor's text to xl
// through a private temporary file that the runner makes and removes. This test fails when
// someone adds another writer, so that the new one gets a reason and a test of its own.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

/** Calls that write, remove or create files, or save documents. */
const WRITERS = /\b(writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|truncate|truncateSync|unlink|unlinkSync|rename|renameSync|rm|rmSync|rmdir|mkdir|mkdirSync|mkdtemp|mkdtempSync|copyFile|copyFileSync|applyEdit)\s*\(|\.(save|saveAll)\s*\(|\bfs\.delete\s*\(/;

function sources(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  walk(root);
  return files.sort();
}

function writers(root: string): string[] {
  const found: string[] = [];
  for (const file of sources(root)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (!line.trimStart().startsWith('//') && !line.trimStart().startsWith('*') && WRITERS.test(line)) found.push(`${file}:${index + 1}: ${line.trim()}`);
      });
  }
  return found;
}

test('the language server never writes to disk', () => {
  assert.deepEqual(writers('server/src'), []);
});

test('the client writes in known places only: its private ssh socket folder, the temporary config files of the runner, a console screenshot where the user said, the editor text Finish Install edits, a config Delete Guest was told to delete, and the config New Guest writes', () => {
  const found = writers('client/src').map((line) => line.replace(/:\d+:/, ':'));
  assert.deepEqual(found, [
    // Delete Guest removes the config file only when the user ticked it and confirmed a modal
    // that names its path.
    'client/src/commands/deleteGuest.ts: await vscode.workspace.fs.delete(config, { useTrash: false });',
    // Finish Install edits the editor's text of the config (not the file: it stays unsaved).
    'client/src/commands/finishInstall.ts: const edited = action?.edit !== undefined && (await vscode.workspace.applyEdit(action.edit));',
    // Set Memory… / Set vCPUs…: on the user's yes, the same value in the editor's text of the
    // guest's config (unsaved, like Finish Install).
    'client/src/commands/resources.ts: if (!(await vscode.workspace.applyEdit(edit))) {',
    // Not a document save: the builder of `xl save`, which writes the save file on the dom0 (a
    // new file only, claimed first; test/unit/xl/saveFiles.test.ts).
    'client/src/commands/saveRestore.ts: await runWithProgress(ctx, host, xl.save(domain.id, file, { keepRunning }), {',
    // Save Screenshot…: the PNG goes to the file the user picked in the save dialog (or the one a
    // caller of xen.console.screenshot names), nowhere else.
    'client/src/console/consolePanel.ts: await vscode.workspace.fs.writeFile(uri, answer.png);',
    // New Guest: the config the user asked for, as a new file only (test/unit/newGuest/writeConfig.test.ts).
    "client/src/newGuest/writeConfig.ts: writeFileSync(path, text, { flag: 'wx', mode: holdsSecret ? 0o600 : 0o644 });",
    'client/src/xenService.ts: if (this.controlDir !== undefined) rmSync(this.controlDir, { recursive: true, force: true });',
    "client/src/xenService.ts: this.controlDir ??= mkdtempSync(path.join(os.tmpdir(), 'xen-xl-ssh-'));",
    "client/src/xl/runner.ts: const dir = mkdtempSync(path.join(os.tmpdir(), 'xen-xl-config-'));",
    'client/src/xl/runner.ts: rmSync(dir, { recursive: true, force: true });',
    "client/src/xl/runner.ts: writeFileSync(file, config.text, { mode: 0o600, flag: 'wx' });",
  ]);
});
