// The graphical console commands: open a guest's screen in a VS Code tab, and the actions of the
// console in front (keys VS Code would keep for itself, typing text, scaling, view-only, a
// screenshot). The panel itself lives in client/src/console/.

import * as vscode from 'vscode';
import type { KeyChord } from '../console/protocol';
import { locateConsole, NoConsoleError } from '../console/locate';
import { abortOn, requireTrust, showError, type CommandContext } from './context';
import { resolveGuests } from './targets';

export async function openGraphicalConsole(ctx: CommandContext, node?: unknown): Promise<void> {
  if (!requireTrust() || ctx.consoles === undefined) return;
  const targets = await resolveGuests(ctx, 'graphicalConsole', node, undefined);
  const target = targets?.[0];
  if (target === undefined) return;
  const name = target.domain.name;
  const open = ctx.consoles.find(target.host.id, name);
  if (open !== undefined) {
    open.reveal();
    return;
  }
  // Find the server first, so a guest without VNC gets a message instead of an empty tab.
  let located;
  try {
    located = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Finding the screen of ${name}`, cancellable: true },
      (_progress, token) => locateConsole(ctx.service, target.host, name, abortOn(token).signal),
    );
  } catch (error) {
    if (error instanceof NoConsoleError) void vscode.window.showInformationMessage(error.message);
    else await showError(ctx, error, `find the graphical console of ${JSON.stringify(name)}`);
    return;
  }
  ctx.consoles.open(ctx, target.host, name, located);
}

/** The console in front, or a message saying none is open. */
function front(ctx: CommandContext) {
  const panel = ctx.consoles?.current();
  if (panel === undefined) void vscode.window.showInformationMessage('No graphical console is open. Open one from a running guest in the Xen view.');
  return panel;
}

const CHORDS: { chord: KeyChord; label: string }[] = [
  { chord: 'ctrl-alt-del', label: 'Ctrl+Alt+Del' },
  ...Array.from({ length: 12 }, (_, i) => ({ chord: `ctrl-alt-f${i + 1}` as KeyChord, label: `Ctrl+Alt+F${i + 1}` })),
  { chord: 'ctrl-alt-backspace', label: 'Ctrl+Alt+Backspace' },
  { chord: 'print-screen', label: 'Print Screen' },
  { chord: 'alt-tab', label: 'Alt+Tab' },
  { chord: 'alt-f4', label: 'Alt+F4' },
  { chord: 'escape', label: 'Esc' },
  { chord: 'tab', label: 'Tab' },
  { chord: 'ctrl-c', label: 'Ctrl+C' },
  { chord: 'ctrl-d', label: 'Ctrl+D' },
  { chord: 'ctrl-w', label: 'Ctrl+W' },
  { chord: 'ctrl-p', label: 'Ctrl+P' },
  { chord: 'ctrl-n', label: 'Ctrl+N' },
  { chord: 'ctrl-t', label: 'Ctrl+T' },
  { chord: 'super', label: 'Super (Windows key)' },
];

export function sendCtrlAltDel(ctx: CommandContext): void {
  front(ctx)?.post({ type: 'sendKeys', chord: 'ctrl-alt-del' });
}

/** Send Key…: a chord from the list, or the one given (tests and keybindings pass it). */
export async function sendKey(ctx: CommandContext, chord?: unknown): Promise<void> {
  const panel = front(ctx);
  if (panel === undefined) return;
  let picked = CHORDS.find((entry) => entry.chord === chord)?.chord;
  if (picked === undefined) {
    const item = await vscode.window.showQuickPick(CHORDS.map((entry) => ({ label: entry.label, chord: entry.chord })), { placeHolder: `Send a key chord to ${panel.guest}` });
    picked = item?.chord;
  }
  if (picked !== undefined) panel.post({ type: 'sendKeys', chord: picked });
}

export async function typeText(ctx: CommandContext, text?: unknown): Promise<void> {
  const panel = front(ctx);
  if (panel === undefined) return;
  if (typeof text === 'string' && text !== '') panel.post({ type: 'typeText', text });
  else await panel.handleToolbar('typeText');
}

export async function typeClipboard(ctx: CommandContext): Promise<void> {
  await front(ctx)?.handleToolbar('typeClipboard');
}

export async function saveScreenshot(ctx: CommandContext, target?: unknown): Promise<void> {
  const panel = front(ctx);
  if (panel === undefined) return;
  try {
    const uri = await panel.saveScreenshot(target instanceof vscode.Uri ? target : undefined);
    if (uri !== undefined) vscode.window.setStatusBarMessage(`Saved the screen of ${panel.guest} to ${uri.fsPath}`, 5000);
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not save the screen of ${panel.guest}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
