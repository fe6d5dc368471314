// Reboot, pause, unpause and destroy, for one guest or a multi-selection, and the shared way of
// running one xl action on several guests: ask first when needed, show progress, report failures.

import * as vscode from 'vscode';
import { isXlError, xl, type XlCommand } from '../xl';
import { abortOn, requireTrust, showError, type CommandContext } from './context';
import { ACTION_VERBS, confirmationText, needsConfirmation, type GuestAction } from './policy';
import { resolveGuests, type GuestTarget } from './targets';

export function rebootGuest(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  return guestAction(ctx, 'reboot', node, nodes, (target) => xl.reboot(target.domain.name, { acpiFallback: true }));
}

export function pauseGuest(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  return guestAction(ctx, 'pause', node, nodes, (target) => xl.pause(target.domain.name));
}

export function unpauseGuest(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  return guestAction(ctx, 'unpause', node, nodes, (target) => xl.unpause(target.domain.name));
}

export function destroyGuest(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  return guestAction(ctx, 'destroy', node, nodes, (target) => xl.destroy(target.domain.name));
}

/** Asks before a destructive or bulk action (xen.confirmDestructiveActions); true to go on. */
export async function confirmAction(ctx: CommandContext, action: GuestAction, targets: readonly GuestTarget[]): Promise<boolean> {
  if (!needsConfirmation(action, targets.length, ctx.service.settings().confirmDestructiveActions)) return true;
  const multiHost = ctx.state.multiHost;
  const { message, detail } = confirmationText(
    action,
    targets.map((target) => ({ name: target.domain.name, hostLabel: multiHost ? target.host.label : undefined })),
  );
  const button = ACTION_VERBS[action]?.button ?? 'OK';
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, button);
  return choice === button;
}

/**
 * Runs `command(target)` for every target (at most four at a time) under one cancellable
 * progress notification, then refreshes. Returns the targets whose call failed, with the error.
 */
export async function runOnGuests(
  ctx: CommandContext,
  action: GuestAction,
  targets: readonly GuestTarget[],
  command: (target: GuestTarget) => XlCommand<void>,
  timeoutMs?: number,
): Promise<{ target: GuestTarget; error: unknown }[]> {
  const verb = ACTION_VERBS[action]?.progress ?? action;
  const title = targets.length === 1 ? `${verb} ${JSON.stringify(targets[0].domain.name)}…` : `${verb} ${targets.length} guests…`;
  const failures: { target: GuestTarget; error: unknown }[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = abortOn(token);
    let done = 0;
    await forEachLimited(targets, 4, async (target) => {
      try {
        await ctx.service.run(target.host, command(target), { signal: controller.signal, timeoutMs });
      } catch (error) {
        failures.push({ target, error });
      }
      done++;
      if (targets.length > 1) progress.report({ message: `${done} of ${targets.length} done`, increment: 100 / targets.length });
    });
  });
  void ctx.refresh.request('action');
  return failures;
}

/** Reports failures of a bulk run: one message for one failure, a summary for several. */
export async function reportFailures(ctx: CommandContext, action: GuestAction, all: { target: GuestTarget; error: unknown }[]): Promise<void> {
  // Cancelling the progress is the user's own doing, not a failure to report.
  const failures = all.filter((failure) => !(isXlError(failure.error) && failure.error.kind === 'cancelled'));
  if (failures.length === 0) return;
  const verb = ACTION_VERBS[action]?.verb.toLowerCase() ?? action;
  if (failures.length === 1) {
    await showError(ctx, failures[0].error, `${verb} ${JSON.stringify(failures[0].target.domain.name)}`);
    return;
  }
  const names = failures.map((failure) => JSON.stringify(failure.target.domain.name)).join(', ');
  const choice = await vscode.window.showErrorMessage(`Could not ${verb} ${failures.length} guests: ${names}. The log has each error.`, 'Show Log');
  if (choice === 'Show Log') ctx.service.showLog();
}

async function guestAction(
  ctx: CommandContext,
  action: GuestAction,
  node: unknown,
  nodes: unknown,
  command: (target: GuestTarget) => XlCommand<void>,
): Promise<void> {
  if (!requireTrust()) return;
  const targets = await resolveGuests(ctx, action, node, nodes);
  if (targets === undefined || !(await confirmAction(ctx, action, targets))) return;
  const failures = await runOnGuests(ctx, action, targets, command);
  await reportFailures(ctx, action, failures);
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
