// Start a guest from a config (`xl create`), from the explorer, the editor title, the Configs
// view, a CodeLens or the palette; or start it with its console in a terminal. What runs is the
// text in the editor (see createCommand), and nothing is written to disk.

import * as vscode from 'vscode';
import { scanConfigName } from '../configFiles';
import type { XenHost } from '../xenService';
import { createFailureCause, isXlError, startFailureLogs, xl, type GuestLogKind } from '../xl';
import { configLabel, confirmBufferErrors, createCommand, fileName, openConfig } from './configFile';
import { openXlTerminal } from './console';
import { abortOn, requireTrust, showError, type CommandContext } from './context';
import { preflightBeforeStart } from './hostCheck';
import { createTimeoutMs } from './policy';
import { pickHostForConfig, resolveConfig } from './targets';

/**
 * With the console: the guest is created paused, the console terminal opened, and the guest
 * unpaused this long after the terminal's process started, so the console sees the boot.
 */
const CONSOLE_ATTACH_MS = 1500;

/** What a start did, for the tests and for callers that chain commands. */
export type StartOutcome =
  | { status: 'started'; host: string; name?: string; sentText: boolean }
  /** `logs`: the logs the failure message offered to open (`xen.guest.openLog` with a guestRef and this kind). */
  | { status: 'failed'; host: string; message: string; name?: string; logs?: GuestLogKind[] }
  | { status: 'stopped'; reason: string };

export function startGuest(ctx: CommandContext, node?: unknown): Promise<StartOutcome> {
  return start(ctx, node, false);
}

export function startGuestWithConsole(ctx: CommandContext, node?: unknown): Promise<StartOutcome> {
  return start(ctx, node, true);
}

/** Starts a config on a host chosen already (New Guest asked for it), without asking again. */
export function startGuestOnHost(ctx: CommandContext, uri: vscode.Uri, host: XenHost): Promise<StartOutcome> {
  return start(ctx, uri, false, host);
}

async function start(ctx: CommandContext, arg: unknown, attachConsole: boolean, chosenHost?: XenHost): Promise<StartOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const uri = await resolveConfig(ctx, arg);
  if (uri === undefined) return { status: 'stopped', reason: 'no config chosen' };
  const { document, wasOpen } = await openConfig(uri);
  // The question comes before anything runs, and no answer writes the file.
  if (!(await confirmBufferErrors(document, wasOpen))) return { status: 'stopped', reason: 'the user did not start a config with errors' };
  const host = chosenHost ?? (await pickHostForConfig(ctx, uri));
  if (host === undefined) return { status: 'stopped', reason: 'no host chosen' };
  const name = scanConfigName(document.getText())?.name;
  const label = name ?? fileName(uri);

  const running = name === undefined ? undefined : ctx.state.findDomain(host.id, name);
  if (running !== undefined) {
    const choice = await vscode.window.showInformationMessage(`${JSON.stringify(name)} is already running on ${host.label} (id ${running.id}).`, 'Open Console');
    if (choice === 'Open Console') openXlTerminal(ctx, host, xl.console(running.name), running.name);
    return { status: 'stopped', reason: 'already running' };
  }

  const paused = attachConsole && name !== undefined;
  let sentText = false;
  try {
    const go = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Starting ${JSON.stringify(label)} on ${host.label}…`, cancellable: true },
      async (progress, token) => {
        const signal = abortOn(token).signal;
        progress.report({ message: 'checking files and bridges' });
        if (!(await preflightBeforeStart(ctx, host, document, signal))) return false;
        progress.report({ message: 'xl create' });
        const command = createCommand(ctx, host, document, { paused });
        sentText = command.configText !== undefined;
        // createdGuest: after a timeout or cancel, xl list tells whether the guest exists anyway.
        await ctx.service.run(host, command, { signal, timeoutMs: createTimeoutMs(ctx.service.settings().commandTimeoutMs), createdGuest: name });
        return true;
      },
    );
    if (!go) return { status: 'stopped', reason: 'the user did not start a config with missing files' };
  } catch (error) {
    void ctx.refresh.request('action');
    if (isXlError(error) && error.kind === 'cancelled') {
      // Cancelled mid-create: xl was ended on the host; say whether the guest exists anyway.
      if (error.guestOutcome !== undefined) void vscode.window.showWarningMessage(`Start of ${JSON.stringify(label)} cancelled. ${error.message.replace(/^The xl command was cancelled\.\s*/, '')}`);
      return { status: 'stopped', reason: 'cancelled' };
    }
    const { message, logs } = showStartFailure(ctx, error, configLabel(uri), host, name);
    return { status: 'failed', host: host.id, message, ...(name === undefined ? {} : { name }), ...(logs.length > 0 ? { logs } : {}) };
  }

  if (attachConsole) {
    if (name === undefined) {
      void vscode.window.showWarningMessage(`${fileName(uri)} sets no name, so its console cannot be opened by name.`);
    } else {
      await attachAndUnpause(ctx, host, name);
    }
  } else {
    vscode.window.setStatusBarMessage(`$(vm-running) Started ${label} on ${host.label}`, 5000);
  }
  await ctx.refresh.request('action');
  if (name !== undefined) {
    const node = ctx.views.guestsProvider.guestNode(host.id, name);
    if (node !== undefined && !attachConsole) await ctx.views.guests.reveal(node, { select: true, focus: false });
  }
  return { status: 'started', host: host.id, name, sentText };
}

/**
 * A failed start in one notification: the lines of xl's output that carry the cause (not only
 * its last line, which is usually libxl cleaning up), with Show Log beside them, and the guest's
 * xl log (and qemu-dm log when the device model failed) when xl got far enough to write one.
 */
function showStartFailure(ctx: CommandContext, error: unknown, label: string, host: XenHost, name: string | undefined): { message: string; logs: GuestLogKind[] } {
  const causes = isXlError(error) && error.kind === 'failed' ? createFailureCause(error.detail) : [];
  const reason = causes.length > 0 ? causes.join(' · ') : error instanceof Error ? error.message : String(error);
  const message = `Could not start ${label} on ${host.label}: ${reason}`;
  if (isXlError(error) && error.kind === 'failed') {
    const logs = name === undefined ? [] : startFailureLogs(error.detail ?? error.message);
    const buttons = logs.map((kind) => LOG_BUTTONS[kind]);
    void vscode.window.showErrorMessage(message, ...buttons, 'Show Log').then((choice) => {
      if (choice === 'Show Log') ctx.service.showLog();
      const kind = logs.find((candidate) => LOG_BUTTONS[candidate] === choice);
      if (kind !== undefined && name !== undefined) void vscode.commands.executeCommand('xen.guest.openLog', { kind: 'guestRef', hostId: host.id, name }, kind);
    });
    return { message, logs };
  }
  void showError(ctx, error, `start ${label} on ${host.label}`);
  return { message, logs: [] };
}

const LOG_BUTTONS: Record<GuestLogKind, string> = { xl: 'Open Log', qemu: 'Open qemu-dm Log' };

/**
 * Opens the console of a guest that was created paused, then unpauses it once the terminal's
 * process runs, so the first lines of the boot reach the console.
 */
async function attachAndUnpause(ctx: CommandContext, host: XenHost, name: string): Promise<void> {
  const terminal = openXlTerminal(ctx, host, xl.console(name), name);
  if (terminal !== undefined) {
    await Promise.race([terminal.processId, delay(5000)]);
    await delay(CONSOLE_ATTACH_MS);
  }
  try {
    await ctx.service.run(host, xl.unpause(name));
  } catch (error) {
    await showError(ctx, error, `unpause ${JSON.stringify(name)} (it was created paused for its console)`);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
