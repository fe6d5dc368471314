// Shared helpers for the extension-host suite (bundled into each *.test.js that imports them).

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as vscode from 'vscode';

/** The extension's id, `<publisher>.<name>` from package.json. */
export const EXTENSION_ID = 'xen-xl-tools.xen-xl';

/** The extension under test, activated. */
export async function ourExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is loaded`);
  await extension.activate();
  return extension;
}

/** The `contributes` section of the extension's package.json, as VS Code read it. */
export interface Contributions {
  commands?: { command: string; title: string; category?: string }[];
  viewsContainers?: Record<string, { id: string; title: string; icon?: string }[]>;
  views?: Record<string, { id: string; name: string }[]>;
  menus?: Record<string, { command: string; when?: string; group?: string }[]>;
}

export async function contributions(): Promise<Contributions> {
  const extension = await ourExtension();
  return (extension.packageJSON as { contributes: Contributions }).contributes;
}

/** Resolves when VS Code reports diagnostics for `uri` that satisfy `predicate`; rejects after `timeoutMs`. */
export function diagnosticsFor(uri: vscode.Uri, predicate: (diagnostics: vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let subscription: vscode.Disposable | undefined;
    const timer = setTimeout(() => {
      subscription?.dispose();
      const now = vscode.languages.getDiagnostics(uri).map((d) => `${d.range.start.line}:${d.range.start.character} ${codeOf(d)} ${d.message}`);
      reject(new Error(`diagnostics for ${uri.toString()} did not reach the expected state within ${timeoutMs} ms; they are: ${JSON.stringify(now)}`));
    }, timeoutMs);
    const check = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!predicate(diagnostics)) return false;
      clearTimeout(timer);
      subscription?.dispose();
      resolve(diagnostics);
      return true;
    };
    if (check()) return;
    subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
  });
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return String(typeof code === 'object' ? code.value : code);
}

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** An untitled document in language xl with `content`, shown in an editor. */
export async function untitledXl(content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'xl', content });
  await vscode.window.showTextDocument(document);
  assert.equal(document.languageId, 'xl');
  return document;
}

/** Plain text of hover contents, completion documentation and the like. */
export function textOf(value: string | vscode.MarkdownString | vscode.MarkedString | undefined | null): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if ('value' in value) return value.value;
  return '';
}

/** Collapses whitespace so that wrapped markdown compares with the catalogue's text. */
export function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

type Falsy = undefined | null | false | 0 | '';

/** Waits until `condition()` is truthy, polling every 100 ms; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, condition: () => T | Falsy | Promise<T | Falsy>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  /** The latest failure, as text (String() of an Error gives its name and message). */
  let last: string | undefined;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type ChildProcessModule = typeof import('node:child_process');
const FUNCTIONS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

export interface SpawnRecord {
  fn: string;
  command: string;
  stack: string;
}

/** Replaces the child_process functions (shared by every extension in this host) with recorders. */
export function recordSpawns(): { calls: SpawnRecord[]; restore: () => void } {
  // The module object itself (not an esbuild namespace copy): bundled extensions look the
  // functions up on it at call time.
  const childProcess = createRequire(__filename)('child_process') as ChildProcessModule & Record<string, unknown>;
  const calls: SpawnRecord[] = [];
  const originals = new Map<string, unknown>();
  for (const name of FUNCTIONS) {
    const original = childProcess[name] as (...args: unknown[]) => unknown;
    originals.set(name, original);
    childProcess[name] = function (this: unknown, ...args: unknown[]) {
      calls.push({ fn: name, command: String(args[0]), stack: new Error().stack ?? '' });
      return original.apply(this, args);
    } as never;
  }
  return {
    calls,
    restore: () => {
      for (const [name, original] of originals) childProcess[name] = original;
    },
  };
}

/** A tree item's label as text (VS Code allows a string or a label with highlights). */
export function labelText(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}
