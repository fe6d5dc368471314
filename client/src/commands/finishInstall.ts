// Finish Install, for a running HVM guest that booted its installer from a CD: ejects the ISO,
// edits the guest's config to boot from its disk with an empty CD drive or none (the language
// server's refactorings, the same edit as "Boot from disk only"), and offers to restart the guest
// so the edit applies. The edit stays unsaved in the editor; the restart sends that text.

import * as vscode from 'vscode';
import { isXlError, xl } from '../xl';
import { configLabel, fileName, openConfig } from './configFile';
import { abortOn, askModal, choose, offer, requireTrust, showError, type CommandContext } from './context';
import { findGuestConfig, readGuestDetails, resolveOneGuest } from './guestDetails';
import { cdDrives, cdProblem } from './installCycle';
import { startGuest, type StartOutcome } from './startGuest';
import type { GuestTarget } from './targets';

/** The code action kinds of the server's two Finish Install refactorings (server/src/analysis/codeActions.ts). */
export const FINISH_INSTALL_KINDS = {
  emptyCd: 'refactor.rewrite.xen.finishInstall.emptyCd',
  removeCd: 'refactor.rewrite.xen.finishInstall.removeCd',
} as const;
const FINISH_INSTALL_FAMILY = 'refactor.rewrite.xen.finishInstall';

type CdChoice = keyof typeof FINISH_INSTALL_KINDS;

export type FinishInstallOutcome =
  | { status: 'finished'; host: string; name: string; config: string; ejected: string[]; edit: CdChoice; restart: StartOutcome | 'not-now' | 'not-stopped' }
  | { status: 'stopped'; reason: string };

export async function finishInstall(ctx: CommandContext, node?: unknown, configArg?: unknown): Promise<FinishInstallOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const target = await resolveOneGuest(ctx, 'finishInstall', node);
  if (target === undefined) return { status: 'stopped', reason: 'no guest chosen' };
  const name = target.domain.name;
  // The CodeLens passes the config it sits in.
  const uri = await findGuestConfig(ctx, name, configArg instanceof vscode.Uri ? configArg : undefined);
  if (uri === undefined) return { status: 'stopped', reason: 'no config for the guest' };
  const details = await readGuestDetails(ctx, target);
  if (details === undefined) return { status: 'stopped', reason: 'the guest could not be read' };
  const problem = cdProblem(name, details);
  if (problem !== undefined) {
    void vscode.window.showInformationMessage(problem);
    return { status: 'stopped', reason: problem };
  }

  const { document } = await openConfig(uri);
  const offered = await finishInstallActions(document);
  if (offered.size === 0) {
    const message = `${fileName(uri)} does not boot from its CD drive first, or has no CD drive in its disk list: there is no install to finish in it. Eject ISO empties the drive of the running guest.`;
    void vscode.window.showInformationMessage(message);
    return { status: 'stopped', reason: message };
  }
  const options = [
    { label: 'Keep an empty CD drive', detail: 'boot = "c"; the drive stays in the config, empty, so Insert ISO still works later', choice: 'emptyCd' as const },
    { label: 'Remove the CD drive', detail: 'boot = "c"; the CD drive leaves the config', choice: 'removeCd' as const },
  ].filter((option) => offered.has(option.choice));
  const picked = await choose(options, { placeHolder: `Finish the install of ${JSON.stringify(name)}: it boots from its disk from now on, and its CD drive…` });
  if (picked === undefined) return { status: 'stopped', reason: 'no choice made' };

  const ejected = await ejectAll(ctx, target, cdDrives(details).filter((drive) => drive.media !== undefined).map((drive) => drive.vdev));
  if (ejected === undefined) return { status: 'stopped', reason: 'xl cd-eject failed' };

  // Asked again now: the text may have changed while the ISO was ejected.
  const action = (await finishInstallActions(document)).get(picked.choice);
  const edited = action?.edit !== undefined && (await vscode.workspace.applyEdit(action.edit));
  if (!edited) {
    void vscode.window.showErrorMessage(`Ejected the ISO of ${JSON.stringify(name)}, but could not edit ${configLabel(uri)}: its text changed meanwhile. Run Finish Install again.`);
    return { status: 'stopped', reason: 'the edit could not be applied' };
  }
  await vscode.window.showTextDocument(document, { preview: false });

  const restart = await offerRestart(ctx, target, uri, ejected);
  return { status: 'finished', host: target.host.id, name, config: configLabel(uri), ejected, edit: picked.choice, restart };
}

/** The server's Finish Install refactorings for the whole document, by choice. */
async function finishInstallActions(document: vscode.TextDocument): Promise<Map<CdChoice, vscode.CodeAction>> {
  const whole = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>('vscode.executeCodeActionProvider', document.uri, whole, FINISH_INSTALL_FAMILY)) ?? [];
  const found = new Map<CdChoice, vscode.CodeAction>();
  for (const [choice, kind] of Object.entries(FINISH_INSTALL_KINDS) as [CdChoice, string][]) {
    const action = actions.find((candidate) => candidate.kind?.value === kind);
    if (action !== undefined) found.set(choice, action);
  }
  return found;
}

/** Ejects each drive in turn; the drives ejected, or undefined (after saying why) when one failed. */
async function ejectAll(ctx: CommandContext, target: GuestTarget, vdevs: readonly string[]): Promise<string[] | undefined> {
  const done: string[] = [];
  for (const vdev of vdevs) {
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Ejecting ${vdev} of ${JSON.stringify(target.domain.name)}…`, cancellable: true },
        (_progress, token) => ctx.service.run(target.host, xl.cdEject(target.domain.id, vdev), { signal: abortOn(token).signal }),
      );
      done.push(vdev);
    } catch (error) {
      const before = done.length > 0 ? ` (${done.join(', ')} ejected already)` : '';
      await showError(ctx, error, `eject ${vdev} of ${JSON.stringify(target.domain.name)}${before}; the config was not changed`);
      return undefined;
    }
  }
  return done;
}

/**
 * Offers the restart that makes the edit count: `xl shutdown -w` (and, when the guest does not
 * stop in time, destroy if the user says so), then Start with the editor's text.
 */
async function offerRestart(ctx: CommandContext, target: GuestTarget, uri: vscode.Uri, ejected: readonly string[]): Promise<StartOutcome | 'not-now' | 'not-stopped'> {
  const name = target.domain.name;
  const what = ejected.length > 0 ? `${ejected.join(', ')} ejected, ` : '';
  const answer = await offer(
    `${JSON.stringify(name)}: ${what}${fileName(uri)} now boots from the disk (edited, not saved). Restart the guest so the change applies?`,
    'Restart Now',
  );
  if (answer !== 'Restart Now') return 'not-now';
  if (!(await stopGuest(ctx, target))) return 'not-stopped';
  // The start looks at the state to refuse a guest that still runs: it must see the stop.
  await ctx.refresh.request('action');
  return startGuest(ctx, uri);
}

/** Shuts the guest down and waits; on a timeout offers to destroy it. True once it is gone. */
async function stopGuest(ctx: CommandContext, target: GuestTarget): Promise<boolean> {
  const name = target.domain.name;
  const timeoutMs = ctx.service.settings().shutdownTimeoutMs;
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Shutting down ${JSON.stringify(name)} to restart it from its disk…`, cancellable: true },
      (_progress, token) => ctx.service.run(target.host, xl.shutdown(target.domain.id, { wait: true, acpiFallback: true }), { signal: abortOn(token).signal, timeoutMs }),
    );
    return true;
  } catch (error) {
    if (!(isXlError(error) && error.kind === 'timeout')) {
      await showError(ctx, error, `shut down ${JSON.stringify(name)}`);
      return false;
    }
  }
  const seconds = Math.round(timeoutMs / 1000);
  const choice = await askModal(
    `${JSON.stringify(name)} did not shut down within ${seconds} s. Destroy it and start it from its disk?`,
    'Destroy stops the guest at once, like pulling the power cord: an installer still writing to the disk loses that. The config edit stays in the editor either way.',
    'Destroy and Start',
  );
  if (choice !== 'Destroy and Start') return false;
  try {
    await ctx.service.run(target.host, xl.destroy(target.domain.id));
    return true;
  } catch (error) {
    await showError(ctx, error, `destroy ${JSON.stringify(name)}`);
    return false;
  }
}
