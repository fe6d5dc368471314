// The rule of ARCHITECTURE.md that client and server share only LSP, package.json and common/:
// common/ imports nothing but itself, and client/src and server/src never import each other.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';

/** Every .ts file below a folder (relative to the repository root). */
function sources(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sources(path));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

/** The module specifiers of a file's static imports, re-exports and dynamic imports. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)].map(
    (match) => match[1] ?? match[2] ?? match[3],
  );
}

/** The repository folder (common, client, server, ...) a relative import of `file` lands in. */
function topFolder(file: string, specifier: string): string {
  return resolve(dirname(file), specifier).slice(resolve('.').length + 1).split('/')[0];
}

describe('import rules', () => {
  test('common/ imports only common/', () => {
    const files = sources('common');
    assert.ok(files.length >= 3);
    for (const file of files) {
      for (const specifier of specifiers(file)) {
        assert.ok(specifier.startsWith('.') && topFolder(file, specifier) === 'common', `${file} imports ${specifier}`);
      }
    }
  });
  test('client/src and server/src never import each other', () => {
    for (const [own, other] of [['client', 'server'], ['server', 'client']]) {
      for (const file of sources(`${own}/src`)) {
        for (const specifier of specifiers(file)) {
          if (specifier.startsWith('.')) assert.notEqual(topFolder(file, specifier), other, `${file} imports ${specifier}`);
        }
      }
    }
  });
  test('the import scan sees the shapes of import the code uses', () => {
    const files = sources('server/src');
    assert.ok(files.some((file) => specifiers(file).includes('../../../common/configPaths')), 'workspaceIndex imports common/');
  });
});

describe('who starts processes (ARCHITECTURE.md)', () => {
  const clientFiles = sources('client/src').filter((file) => !file.includes('/webview/'));
  test('only client/src/xl/runner.ts imports child_process or net', () => {
    const starters = clientFiles.filter((file) => specifiers(file).some((specifier) => /^(node:)?(child_process|net)$/.test(specifier)));
    assert.deepEqual(starters, ['client/src/xl/runner.ts']);
  });
  test('only commands/console.ts opens a terminal, with the argv the xl layer builds', () => {
    const openers = clientFiles.filter((file) => readFileSync(file, 'utf8').includes('createTerminal('));
    assert.deepEqual(openers, ['client/src/commands/console.ts']);
    const text = readFileSync('client/src/commands/console.ts', 'utf8');
    assert.match(text, /argv = ctx\.service\.terminalArgv\(/);
    assert.match(readFileSync('client/src/xenService.ts', 'utf8'), /buildTerminalArgv\(/);
  });
  test('the language client forks only the bundled server', () => {
    const forkers = clientFiles.filter((file) => readFileSync(file, 'utf8').includes('TransportKind.'));
    assert.deepEqual(forkers, ['client/src/languageClient.ts']);
  });
});
