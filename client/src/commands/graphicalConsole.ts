// The graphical console commands: open a guest's screen in a VS Code tab, and the actions of the
// console in front (keys VS Code would keep for itself, typing text, scaling, view-only, a
// screenshot). The panel itself lives in client/src/console/.

import * as vscode from 'vscode';
import { KEY_CHORD_LABELS, KEY_CHORD_MENU } from '../console/protocol';
import { locateConsole, NoConsoleError, type LocatedConsole } from '../console/locate';
import { abortOn, requireTrust, showError, type CommandContext } from './context';
import { resolveGuests, type GuestTarget } from './targets';

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
  const located = await findVncServer(ctx, target);
  if (located === undefined) return;
  ctx.consoles.open(ctx, target.host, name, located);
}

/**
 * Finds the VNC server of a guest, with progress in the status bar (cancellable). Undefined when
 * there is none or the lookup failed, after saying why.
 */
export async function findVncServer(ctx: CommandContext, target: GuestTarget): Promise<LocatedConsole | undefined> {
  const name = target.domain.name;
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Finding the VNC server of ${name}`, cancellable: true },
      (_progress, token) => locateConsole(ctx.service, target.host, name, abortOn(token).signal),
    );
  } catch (error) {
    if (error instanceof NoConsoleError) void vscode.window.showInformationMessage(error.message);
    else await showError(ctx, error, `find the VNC server of ${JSON.stringify(name)}`);
    return undefined;
  }
}

/** The console in front, or a message saying none is open. */
function front(ctx: CommandContext) {
  const panel = ctx.consoles?.current();
  if (panel === undefined) void vscode.window.showInformationMessage('No graphical console is open. Open one from a running guest in the Xen view.');
  return panel;
}


export function sendCtrlAltDel(ctx: CommandContext): void {
  front(ctx)?.post({ type: 'sendKeys', chord: 'ctrl-alt-del' });
}

/** Send Key…: a chord from the list, or the one given (tests and keybindings pass it). */
export async function sendKey(ctx: CommandContext, chord?: unknown): Promise<void> {
  const panel = front(ctx);
  if (panel === undefined) return;
  let picked = KEY_CHORD_MENU.find((entry) => entry === chord);
  if (picked === undefined) {
    const item = await vscode.window.showQuickPick(KEY_CHORD_MENU.map((entry) => ({ label: KEY_CHORD_LABELS[entry], chord: entry })), { placeHolder: `Send a key chord to ${panel.guest}` });
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
