// Interactive access to a guest: `xl console` in a VS Code terminal named after the guest (the
// argv from buildTerminalArgv, never a shell string), and the guest's VNC address to copy.

import * as vscode from 'vscode';
import type { XenHost } from '../xenService';
import { xl, type XlCommand } from '../xl';
import { requireTrust, showError, type CommandContext } from './context';
import { formatAddress } from '../console/endpoint';
import { findVncServer } from './graphicalConsole';
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
  const name = target.domain.name;
  const located = await findVncServer(ctx, target);
  if (located === undefined) return;
  const { endpoint, settings } = located;
  const address = formatAddress(endpoint.address, endpoint.port);
  const where = target.host.isLocal ? 'this host' : target.host.label;
  let message = `${JSON.stringify(name)}: VNC at ${address} on ${where}${endpoint.source === 'xenstore' ? '' : ` (a guess: ${endpoint.note})`}.`;
  if (settings.password !== undefined) message += ' A VNC password is set.';
  if (!target.host.isLocal) message += ' Open Graphical Console shows it here through ssh, with no port opened.';
  const choice = await vscode.window.showInformationMessage(message, 'Open Graphical Console', 'Copy Address');
  if (choice === 'Copy Address') await vscode.env.clipboard.writeText(address);
  if (choice === 'Open Graphical Console') ctx.consoles?.open(ctx, target.host, name, located);
}
