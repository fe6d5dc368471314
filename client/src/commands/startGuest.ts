// Start a guest from a config file (`xl create -f FILE`), from the explorer, the editor title, the
// Configs view, a CodeLens or the palette; or start it with its console attached (`xl create -c`).

import * as vscode from 'vscode';
import { scanConfigName } from '../configFiles';
import { xl } from '../xl';
import { fileName, prepareConfig } from './configFile';
import { openXlTerminal } from './console';
import { abortOn, requireTrust, showError, type CommandContext } from './context';
import { createTimeoutMs } from './policy';
import { pickHostForConfig, resolveConfig } from './targets';

/** After `xl create -c` in a terminal we cannot see when the domain exists; look again then. */
const CONSOLE_START_REFRESH_MS = 3000;

export function startGuest(ctx: CommandContext, node?: unknown): Promise<void> {
  return start(ctx, node, false);
}

export function startGuestWithConsole(ctx: CommandContext, node?: unknown): Promise<void> {
  return start(ctx, node, true);
}

async function start(ctx: CommandContext, arg: unknown, attachConsole: boolean): Promise<void> {
  if (!requireTrust()) return;
  const uri = await resolveConfig(ctx, arg);
  if (uri === undefined) return;
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(`xl can only start a config that is a file on the Xen host; ${uri.toString()} is not.`);
    return;
  }
  const document = await prepareConfig(uri, 'start');
  if (document === undefined) return;
  const host = await pickHostForConfig(ctx);
  if (host === undefined) return;
  const name = scanConfigName(document.getText())?.name;
  const label = name ?? fileName(uri);

  const running = name === undefined ? undefined : ctx.state.findDomain(host.id, name);
  if (running !== undefined) {
    const choice = await vscode.window.showInformationMessage(`${JSON.stringify(name)} is already running (id ${running.id}).`, 'Open Console');
    if (choice === 'Open Console') openXlTerminal(ctx, host, xl.console(running.name), running.name);
    return;
  }

  if (attachConsole) {
    openXlTerminal(ctx, host, xl.create(uri.fsPath, { console: true }), label);
    setTimeout(() => void ctx.refresh.request('action'), CONSOLE_START_REFRESH_MS);
    return;
  }

  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Starting ${JSON.stringify(label)}…`, cancellable: true },
      (_progress, token) =>
        ctx.service.run(host, xl.create(uri.fsPath), {
          signal: abortOn(token).signal,
          timeoutMs: createTimeoutMs(ctx.service.settings().commandTimeoutMs),
        }),
    );
  } catch (error) {
    void ctx.refresh.request('action');
    await showError(ctx, error, `start ${fileName(uri)}`);
    return;
  }
  vscode.window.setStatusBarMessage(`$(vm-running) Started ${label}`, 5000);
  await ctx.refresh.request('action');
  if (name === undefined) return;
  const node = ctx.views.guestsProvider.guestNode(host.id, name);
  if (node !== undefined) await ctx.views.guests.reveal(node, { select: true, focus: false });
}
