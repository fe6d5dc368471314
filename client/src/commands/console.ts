// Interactive access to a guest: `xl console` in a VS Code terminal named after the guest (the
// argv from buildTerminalArgv, never a shell string), and the guest's VNC address to copy.

import * as vscode from 'vscode';
import type { XenHost } from '../xenService';
import { xl, type XlCommand } from '../xl';
import { abortOn, requireTrust, showError, type CommandContext } from './context';
import { vncInfo, vncMessage } from './policy';
import { resolveGuests } from './targets';

export async function openConsole(ctx: CommandContext, node?: unknown): Promise<void> {
  if (!requireTrust()) return;
  // One console per click: a multi-selection would open a stack of terminals.
  const targets = await resolveGuests(ctx, 'console', node, undefined);
  const target = targets?.[0];
  if (target === undefined) return;
  openXlTerminal(ctx, target.host, xl.console(target.domain.name), target.domain.name);
}

/** Runs an interactive xl command in a new terminal; xl's console escape is Ctrl+]. */
export function openXlTerminal(ctx: CommandContext, host: XenHost, command: XlCommand<unknown>, guestName: string): vscode.Terminal | undefined {
  let argv: string[];
  try {
    argv = ctx.service.terminalArgv(host, command);
  } catch (error) {
    void showError(ctx, error, command.description);
    return undefined;
  }
  const terminal = vscode.window.createTerminal({
    name: ctx.state.multiHost ? `${guestName} (${host.label})` : guestName,
    shellPath: argv[0],
    shellArgs: argv.slice(1),
    iconPath: new vscode.ThemeIcon('vm'),
    message: `xl: ${command.description}. Press Ctrl+] to leave the console.`,
  });
  terminal.show();
  return terminal;
}

export async function showVnc(ctx: CommandContext, node?: unknown): Promise<void> {
  if (!requireTrust()) return;
  const targets = await resolveGuests(ctx, 'vnc', node, undefined);
  const target = targets?.[0];
  if (target === undefined) return;
  let details;
  try {
    details = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Reading the configuration of ${target.domain.name}`, cancellable: true },
      (_progress, token) => ctx.service.run(target.host, xl.listLong(target.domain.name), { signal: abortOn(token).signal }),
    );
  } catch (error) {
    await showError(ctx, error, `read the configuration of ${JSON.stringify(target.domain.name)}`);
    return;
  }
  const config = details.find((entry) => entry.name === target.domain.name) ?? (details.length === 1 ? details[0] : undefined);
  const vnc = config === undefined ? undefined : vncInfo(config.raw);
  if (vnc === undefined) {
    void vscode.window.showInformationMessage(`${JSON.stringify(target.domain.name)} has no VNC console (no vnc in its configuration).`);
    return;
  }
  const destination = target.host.target.kind === 'ssh' ? target.host.target.destination : undefined;
  const { message, address } = vncMessage(target.domain.name, vnc, destination);
  const choice = await vscode.window.showInformationMessage(message, 'Copy Address');
  if (choice === 'Copy Address') await vscode.env.clipboard.writeText(address);
}
