// Shut down one guest or a selection with `xl shutdown -w -F`, showing progress until each guest
// is gone. Guests that do not stop within xen.shutdownTimeout can then be destroyed or waited for.

import * as vscode from 'vscode';
import { isXlError, xl } from '../xl';
import { requireTrust, type CommandContext } from './context';
import { confirmAction, reportFailures, runOnGuests } from './guestLifecycle';
import { resolveGuests, type GuestTarget } from './targets';

export async function shutdownGuest(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  if (!requireTrust()) return;
  const targets = await resolveGuests(ctx, 'shutdown', node, nodes);
  if (targets === undefined || !(await confirmAction(ctx, 'shutdown', targets))) return;
  await shutdownAndWait(ctx, targets);
}

async function shutdownAndWait(ctx: CommandContext, targets: readonly GuestTarget[]): Promise<void> {
  const timeoutMs = ctx.service.settings().shutdownTimeoutMs;
  // -w waits until the domain has shut down; -F falls back to an ACPI power button for HVM guests without PV drivers.
  const failures = await runOnGuests(ctx, 'shutdown', targets, (target) => xl.shutdown(target.domain.name, { wait: true, acpiFallback: true }), timeoutMs);
  const slow = failures.filter((failure) => isXlError(failure.error) && failure.error.kind === 'timeout').map((failure) => failure.target);
  await reportFailures(ctx, 'shutdown', failures.filter((failure) => !slow.includes(failure.target)));
  if (slow.length === 0) return;

  const names = slow.map((target) => JSON.stringify(target.domain.name)).join(', ');
  const seconds = Math.round(timeoutMs / 1000);
  const choice = await vscode.window.showWarningMessage(
    `${names} did not shut down within ${seconds} s. Destroy ${slow.length === 1 ? 'it' : 'them'} (like pulling the power cord), or keep waiting?`,
    { modal: true },
    'Destroy',
    'Keep Waiting',
  );
  if (choice === 'Destroy') {
    // The dialog named the guests and said what destroy does: that was the confirmation.
    await reportFailures(ctx, 'destroy', await runOnGuests(ctx, 'destroy', slow, (target) => xl.destroy(target.domain.name)));
  } else if (choice === 'Keep Waiting') {
    await shutdownAndWait(ctx, slow);
  }
}
