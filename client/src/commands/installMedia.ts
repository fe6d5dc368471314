// Insert ISO… and Eject ISO: change the disc in a running HVM guest's CD drive (`xl cd-insert`,
// `xl cd-eject`). The ISO is picked from the host's ISO folders (xen.isoDirectories); nothing is
// written to the config, so the change lasts until the guest is created again.

import * as vscode from 'vscode';
import { hostTools, xl, type XlCommand } from '../xl';
import { abortOn, choose, requireTrust, showError, type CommandContext } from './context';
import { readGuestDetails, resolveOneGuest } from './guestDetails';
import { cdDrives, cdProblem, formatBytes, isoListingProblem, type CdDrive } from './installCycle';
import type { GuestTarget } from './targets';

/** What Insert ISO or Eject ISO did, for the tests and for callers that chain commands. */
export type MediaOutcome =
  | { status: 'inserted'; host: string; name: string; vdev: string; iso: string }
  | { status: 'ejected'; host: string; name: string; vdev: string }
  | { status: 'stopped'; reason: string };

export async function insertIso(ctx: CommandContext, node?: unknown): Promise<MediaOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const guest = await cdGuest(ctx, node);
  if ('reason' in guest) return { status: 'stopped', reason: guest.reason };
  const { target, drives } = guest;
  const name = target.domain.name;
  const drive = await pickDrive(drives, `Insert an ISO into which CD drive of ${JSON.stringify(name)}?`);
  if (drive === undefined) return { status: 'stopped', reason: 'no drive chosen' };

  const folders = ctx.service.settings().isoDirectories;
  let listing;
  try {
    listing = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Looking for ISOs on ${target.host.label}…`, cancellable: true },
      (_progress, token) => ctx.service.run(target.host, hostTools.isoFiles(folders), { signal: abortOn(token).signal }),
    );
  } catch (error) {
    await showError(ctx, error, `list the ISO folders on ${target.host.label}`);
    return { status: 'stopped', reason: 'the ISO folders could not be listed' };
  }
  const problem = isoListingProblem(listing, target.host.label);
  if (problem !== undefined) {
    void vscode.window.showWarningMessage(problem, 'Open Setting').then((choice) => {
      if (choice === 'Open Setting') void vscode.commands.executeCommand('workbench.action.openSettings', 'xen.isoDirectories');
    });
    return { status: 'stopped', reason: problem };
  }
  const picked = await choose(
    listing.isos.map((iso) => ({
      label: iso.path.slice(iso.path.lastIndexOf('/') + 1),
      description: `${formatBytes(iso.sizeBytes)}${iso.path === drive.media ? ' · in the drive now' : ''}`,
      detail: iso.path,
      path: iso.path,
    })),
    {
      placeHolder: `The ISO for ${drive.vdev} of ${JSON.stringify(name)} on ${target.host.label}${listing.truncated ? ` (the first ${listing.isos.length} found)` : ''}`,
      matchOnDetail: true,
    },
  );
  if (picked === undefined) return { status: 'stopped', reason: 'no ISO chosen' };
  const done = await runMediaCommand(ctx, target, xl.cdInsert(target.domain.id, drive.vdev, picked.path), `Inserting ${picked.label} into ${drive.vdev} of ${JSON.stringify(name)}…`);
  if (!done) return { status: 'stopped', reason: 'xl cd-insert failed' };
  vscode.window.setStatusBarMessage(`$(pass) ${picked.label} is in ${drive.vdev} of ${name}`, 8000);
  return { status: 'inserted', host: target.host.id, name, vdev: drive.vdev, iso: picked.path };
}

export async function ejectIso(ctx: CommandContext, node?: unknown): Promise<MediaOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const guest = await cdGuest(ctx, node);
  if ('reason' in guest) return { status: 'stopped', reason: guest.reason };
  const { target, drives } = guest;
  const name = target.domain.name;
  const loaded = drives.filter((drive) => drive.media !== undefined);
  if (loaded.length === 0) {
    const which = drives.map((drive) => drive.vdev).join(', ');
    void vscode.window.showInformationMessage(`The CD drive${drives.length === 1 ? '' : 's'} ${which} of ${JSON.stringify(name)} ${drives.length === 1 ? 'is' : 'are'} empty already.`);
    return { status: 'stopped', reason: 'nothing to eject' };
  }
  const drive = await pickDrive(loaded, `Eject the disc from which CD drive of ${JSON.stringify(name)}?`);
  if (drive === undefined) return { status: 'stopped', reason: 'no drive chosen' };
  const done = await runMediaCommand(ctx, target, xl.cdEject(target.domain.id, drive.vdev), `Ejecting ${drive.vdev} of ${JSON.stringify(name)}…`);
  if (!done) return { status: 'stopped', reason: 'xl cd-eject failed' };
  vscode.window.setStatusBarMessage(`$(pass) Ejected ${drive.vdev} of ${name}`, 8000);
  return { status: 'ejected', host: target.host.id, name, vdev: drive.vdev };
}

/** The guest and its CD drives, or why there is nothing to do (already said to the user). */
async function cdGuest(ctx: CommandContext, node: unknown): Promise<{ target: GuestTarget; drives: CdDrive[] } | { reason: string }> {
  const target = await resolveOneGuest(ctx, 'media', node);
  if (target === undefined) return { reason: 'no guest chosen' };
  const details = await readGuestDetails(ctx, target);
  if (details === undefined) return { reason: 'the guest could not be read' };
  const problem = cdProblem(target.domain.name, details);
  if (problem !== undefined) {
    void vscode.window.showInformationMessage(problem);
    return { reason: problem };
  }
  return { target, drives: cdDrives(details) };
}

/** The only drive, or the user's pick (each with what is in it). */
async function pickDrive(drives: readonly CdDrive[], placeHolder: string): Promise<CdDrive | undefined> {
  if (drives.length === 1) return drives[0];
  const picked = await choose(
    drives.map((drive) => ({ label: drive.vdev, description: drive.media ?? 'empty', drive })),
    { placeHolder },
  );
  return picked?.drive;
}

/** Runs one cd-insert or cd-eject with progress, then refreshes; false (after saying why) on failure. */
async function runMediaCommand(ctx: CommandContext, target: GuestTarget, command: XlCommand<void>, title: string): Promise<boolean> {
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
      ctx.service.run(target.host, command, { signal: abortOn(token).signal }),
    );
    return true;
  } catch (error) {
    await showError(ctx, error, command.description);
    return false;
  } finally {
    void ctx.refresh.request('action');
    // The drive's media is part of what the config says: compare again (no-op without a workspace config).
    void ctx.drift?.recheck(target.host.id, target.domain.name);
  }
}
