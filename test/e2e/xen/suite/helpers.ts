// Shared by the workbench-on-Xen tests (bundled into each *.test.js): the bridge to the harness,
// the report's bookkeeping, the Guests view's tree as the extension hands it to VS Code, and
// plain ssh to dom0 for set-up and for checking what really happened there.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { rigGuestConfig, rigVncGuestConfig } from '../../../xen/lib/guestConfig.mjs';
import { bridge } from '../../../support/bridge';
import { runProcess, type ProcessResult } from '../../../support/process';

export const EXTENSION_ID = 'xen-xl-tools.xen-xl';

export const rig = {
  guestKernel: process.env.XEN_XL_E2E_GUEST_KERNEL ?? '/guest/vmlinux',
  /** The same kernel as a bzImage, for HVM guests. */
  guestBzImage: process.env.XEN_XL_E2E_GUEST_BZIMAGE ?? '/guest/vmlinuz',
  guestDir: process.env.XEN_XL_E2E_GUEST_DIR ?? '/guest',
  aliases: JSON.parse(process.env.XEN_XL_E2E_ALIASES ?? '{"a":"xen-a","b":"xen-b"}') as { a: string; b: string },
};

// ---------------------------------------------------------------- report bookkeeping

export interface ReportEntry {
  name: string;
  command: string | string[] | null;
  status: 'passed' | 'failed' | 'skipped';
  screenshot: string | null;
  screenshots: string[];
  durationMs?: number;
  error?: string;
}

interface E2eState {
  current: { commands: string[]; screenshots: string[] };
  entries: ReportEntry[];
}

/** One state for the whole run (each test file has its own copy of this module). */
export function e2eState(): E2eState {
  const holder = globalThis as { __xenXlE2e?: E2eState };
  holder.__xenXlE2e ??= { current: { commands: [], screenshots: [] }, entries: [] };
  return holder.__xenXlE2e;
}

/** Runs one of our commands as the workbench would, and records it for the report. */
export function command<T = unknown>(id: string, ...args: unknown[]): Thenable<T> {
  const current = e2eState().current;
  if (!current.commands.includes(id)) current.commands.push(id);
  return vscode.commands.executeCommand<T>(id, ...args);
}

/** Records a command the test drove through the UI (a click) rather than executeCommand. */
export function drove(id: string): void {
  const current = e2eState().current;
  if (!current.commands.includes(id)) current.commands.push(id);
}

// ---------------------------------------------------------------- the bridge

/** Asks the harness to do something in the page (see test/support/bridge.ts). */
export { bridge };

/** A screenshot of the workbench now; returns its path and lists it in the test's entry. */
export async function screenshot(name: string): Promise<string> {
  const path = await bridge<string>('screenshot', { name }, 30_000);
  return path;
}

/** A screenshot that also appears in this test's report entry. */
export async function shot(name: string): Promise<string> {
  const path = await screenshot(name);
  e2eState().current.screenshots.push(path);
  return path;
}

/** Waits for the modal dialog and returns its text; clicks `click` if given. */
export function dialog(click?: string, timeoutMs = 30_000): Promise<string> {
  return bridge<string>('dialog', { click, timeoutMs }, timeoutMs);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- the extension and its views

interface TreeProvider {
  getChildren(node?: unknown): unknown[];
  getTreeItem(node: unknown): vscode.TreeItem;
}

export interface GuestNodeLike {
  kind: 'guest';
  id: string;
  host: { id: string; label: string };
  domain: { id: number; name: string; state: string; memoryMiB: number };
}

interface HostNodeLike {
  kind: 'host';
  host: { id: string; label: string };
}

export async function guestsProvider(): Promise<TreeProvider> {
  const extension = vscode.extensions.getExtension<{ views: { guestsProvider: TreeProvider } }>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  assert.ok(api?.views?.guestsProvider, 'activate() returns the Guests view provider');
  return api.views.guestsProvider;
}

/** What the Guests view shows now: its root nodes with their tree items, and the guests below. */
export async function guestsView(): Promise<{ roots: { node: unknown; item: vscode.TreeItem }[]; guests: GuestNodeLike[] }> {
  const provider = await guestsProvider();
  const roots = provider.getChildren().map((node) => ({ node, item: provider.getTreeItem(node) }));
  const guests: GuestNodeLike[] = [];
  for (const { node } of roots) {
    const kind = (node as { kind?: string }).kind;
    if (kind === 'guest') guests.push(node as GuestNodeLike);
    if (kind === 'host') guests.push(...(provider.getChildren(node) as GuestNodeLike[]).filter((child) => child.kind === 'guest'));
  }
  return { roots, guests };
}

export function isHostNode(node: unknown): node is HostNodeLike {
  return (node as { kind?: string }).kind === 'host';
}

/** The guest node named `name` in the Guests view now (on host `hostLabel` when given). */
export async function guestNode(name: string, hostLabel?: string): Promise<GuestNodeLike | undefined> {
  const { guests } = await guestsView();
  return guests.find((g) => g.domain.name === name && g.domain.state !== 'dying' && (hostLabel === undefined || g.host.label === hostLabel));
}

/** The view's contextValue of a guest node (`guest:running`, `guest:paused`, ...). */
export async function contextOf(node: GuestNodeLike): Promise<string | undefined> {
  return (await guestsProvider()).getTreeItem(node).contextValue;
}

/** A short description of the Guests view for failure messages. */
export async function describeView(): Promise<string> {
  const provider = await guestsProvider();
  const { roots, guests } = await guestsView();
  const rootText = roots
    .map(({ node, item }) => {
      // An error or message node: its explanation lines and tooltip say what went wrong.
      const kind = (node as { kind?: string }).kind;
      const below =
        kind === 'message' || (kind === 'host' && item.description === 'error')
          ? provider.getChildren(node).map((child) => {
              const childItem = provider.getTreeItem(child);
              const childTip = typeof childItem.tooltip === 'string' ? childItem.tooltip : childItem.tooltip?.value ?? '';
              return `${labelOf(childItem)} ${childItem.description ?? ''} ${childTip}`;
            })
          : [];
      const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value ?? '';
      return `${labelOf(item)} ${item.description ?? ''} ${below.join(' / ')} ${tooltip}`.trim();
    })
    .join(' | ');
  return `roots: ${rootText}; guests: ${guests.map((g) => `${g.host.label}/${g.domain.name}#${g.domain.id} ${provider.getTreeItem(g).contextValue}`).join(', ')}`;
}

export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}

type Falsy = undefined | null | false | 0 | '';

/** Polls `condition` every 250 ms; with `refresh`, presses the view's Refresh between polls. */
export async function waitFor<T>(what: string, condition: () => T | Falsy | Promise<T | Falsy>, timeoutMs: number, { refresh = false } = {}): Promise<T> {
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
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${last}` : ''}; the Guests view: ${await describeView()}`);
    if (refresh) await command('xen.refresh');
    await sleep(refresh ? 1000 : 250);
  }
}

/** States xl lists for a live guest (the view shows all three as running). */
export const LIVE = new Set(['running', 'blocked', 'idle']);

// ---------------------------------------------------------------- files and dom0

/** A PV guest of the rig whose /init prints `XEN-XL-GUEST-UP tag=<tag>` on its console. */
export function guestConfig(name: string, tag: string, { ignoreShutdown = false, extraLines = [] as string[] } = {}): string {
  return rigGuestConfig({ name, tag, ignoreShutdown, extraLines, kernel: rig.guestKernel, guestDir: rig.guestDir, comment: 'written by the workbench-on-Xen suite: a PV guest of the rig' });
}

/**
 * A guest of the rig with a VNC screen (PV: a framebuffer, `vfb`; HVM: `vnc = 1`), listening on
 * 127.0.0.1 in dom0. The screen shows `XEN-XL-VNC-GUEST tag=<tag>` and a shell on tty1; the
 * console gets `XEN-XL-SCREEN-SHELL tag=<tag>` once that shell runs (see test/xen/lib/guestConfig.mjs).
 */
export function vncGuestConfig(name: string, tag: string, { type = 'pv', extraLines = [] }: { type?: 'pv' | 'hvm'; extraLines?: string[] } = {}): string {
  return rigVncGuestConfig({ name, tag, type, extraLines, kernel: type === 'hvm' ? rig.guestBzImage : rig.guestKernel, guestDir: rig.guestDir, comment: `written by the workbench-on-Xen suite: a ${type} guest of the rig with a VNC screen` });
}

/** Writes `xen/<file>` in the workspace (as the user's own file) and returns its URI. */
export async function writeConfig(file: string, text: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the workspace is open');
  const uri = vscode.Uri.joinPath(folder.uri, 'xen', file);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  return uri;
}

/** Runs a shell script in dom0 over plain ssh through the user's alias (no connection sharing). */
export function dom0(script: string, { alias = rig.aliases.a, timeoutMs = 60_000 } = {}): Promise<ProcessResult> {
  return runProcess('ssh', ['-o', 'ControlPath=none', '-o', 'BatchMode=yes', alias, script], '', timeoutMs);
}

/** dom0's own `xl list` for one guest: `{ id, state }` or undefined when it does not exist. */
export async function xlListed(name: string): Promise<{ id: number; flags: string } | undefined> {
  const result = await dom0(`xl list -- ${name} 2>/dev/null | tail -n +2`);
  const fields = result.stdout.trim().split(/\s+/);
  if (result.status !== 0 || fields.length < 6 || fields[0] !== name) return undefined;
  return { id: Number(fields[1]), flags: fields[4] };
}

/** Destroys a guest in dom0 if it exists (clean-up between tests, not under test). */
export async function destroyInDom0(name: string): Promise<void> {
  await dom0(`xl destroy -- ${name} 2>/dev/null; true`);
  await waitFor(`${name} to be gone from dom0`, async () => (await xlListed(name)) === undefined, 60_000);
}

/** A diagnostic's code as text, whether VS Code gives it bare or with a link. */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return String(typeof code === 'object' ? code.value : code);
}
