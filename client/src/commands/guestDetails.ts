// What the install-cycle commands share: the one guest a command acts on (a tree node, a CodeLens
// reference or a pick), its stored configuration from `xl list -l` (with progress, errors
// shown), and the workspace config that describes it, found by its guest name.

import * as vscode from 'vscode';
import { isXlError, xl, type DomainDetails } from '../xl';
import { abortOn, choose, showError, type CommandContext } from './context';
import type { GuestAction } from './policy';
import { resolveGuests, type GuestTarget } from './targets';

/** The guest a command acts on: the clicked one (a selection of several is not used), or a pick. */
export async function resolveOneGuest(ctx: CommandContext, action: GuestAction, node: unknown): Promise<GuestTarget | undefined> {
  const targets = await resolveGuests(ctx, action, node, undefined);
  return targets?.[0];
}

/** `xl list -l NAME` under a progress notification; undefined (after saying why) when it fails. */
export async function readGuestDetails(ctx: CommandContext, target: GuestTarget): Promise<DomainDetails | undefined> {
  const name = target.domain.name;
  try {
    const details = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading the configuration of ${JSON.stringify(name)} on ${target.host.label}…`, cancellable: true },
      async (_progress, token) => {
        const signal = abortOn(token).signal;
        try {
          return await ctx.service.run(target.host, xl.listLong(target.domain.id), { signal });
        } catch (error) {
          // A read is safe to repeat: once, after a dropped ssh session (seen on the rig when the
          // host's shared connection was replaced at that moment), before telling the user.
          if (!isXlError(error) || error.kind !== 'ssh' || signal.aborted) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500));
          return ctx.service.run(target.host, xl.listLong(target.domain.id), { signal });
        }
      },
    );
    const found = details.find((entry) => entry.domid === target.domain.id);
    if (found === undefined) void vscode.window.showInformationMessage(`${JSON.stringify(name)} is not running on ${target.host.label} any more.`);
    return found;
  } catch (error) {
    // Not awaited: the message stays up until dismissed, and the command ends now.
    void showError(ctx, error, `read the configuration of ${JSON.stringify(name)} on ${target.host.label}`);
    return undefined;
  }
}

/**
 * The workspace config whose `name` is the guest's: the one given (a CodeLens passes its file),
 * the only match, or the user's pick among several. Undefined when there is none (or no pick);
 * `quiet` leaves the saying to the caller.
 */
export async function findGuestConfig(ctx: CommandContext, name: string, given?: vscode.Uri, quiet = false): Promise<vscode.Uri | undefined> {
  if (given !== undefined) return given;
  const matches = (await ctx.configs.ready()).filter((file) => file.name === name);
  if (matches.length === 1) return matches[0].uri;
  if (matches.length === 0) {
    if (!quiet) void vscode.window.showInformationMessage(`No config in this workspace has name = ${JSON.stringify(name)}. Open the folder that holds it (for example /etc/xen).`);
    return undefined;
  }
  const picked = await choose(
    matches.map((file) => ({ label: file.uri.path.slice(file.uri.path.lastIndexOf('/') + 1), detail: file.uri.fsPath, uri: file.uri })),
    { placeHolder: `Several configs are named ${JSON.stringify(name)}: which one describes the guest?` },
  );
  return picked?.uri;
}
