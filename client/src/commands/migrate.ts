// Migrate to Host…: `xl migrate` of a running guest to another host of xen.hosts. xl on the source
// dom0 reaches the target itself over ssh, so the address is asked as the source sees it. Before
// anything moves, the target is asked whether the guest's disk paths exist there and whether its
// name is free; a modal names the paths and what shared storage means. Both hosts are refreshed.

import * as vscode from 'vscode';
import type { XenHost } from '../xenService';
import { hostTools, isXlError, migrateFailureReason, xl, type DomainDetails } from '../xl';
import { askModal, askText, choose, requireTrust, type CommandContext } from './context';
import { readGuestDetails, resolveOneGuest } from './guestDetails';
import { reportFailure, runWithProgress } from './longRun';
import { defaultMigrationAddress, migrationAddressInputProblem, migrationAddressPrompt, migrationConfirmation, migrationDisks, migrationTargets, migrationVerdict, type TargetFacts } from './migratePlan';
import { TRANSFER_TIMEOUT_MS } from './savePlan';

export type MigrateOutcome =
  | { status: 'migrated'; from: string; to: string; name: string; address: string; sameHost: boolean }
  | { status: 'failed'; from: string; to: string; name: string; address: string; message: string }
  /** `checked` lists the disk paths looked for on the target, when it got that far. */
  | { status: 'stopped'; reason: string; checked?: string[]; missing?: string[] };

/** The button of the migration question. */
export const MIGRATE = 'Migrate';

export async function migrateGuest(ctx: CommandContext, node?: unknown): Promise<MigrateOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  if (ctx.service.hosts().length < 2) {
    const reason = 'Migrate to Host… needs at least two hosts in xen.hosts: the guest moves from one to another.';
    void vscode.window.showInformationMessage(reason);
    return { status: 'stopped', reason };
  }
  const source = await resolveOneGuest(ctx, 'migrate', node);
  if (source === undefined) return { status: 'stopped', reason: 'no guest chosen' };
  const name = source.domain.name;
  const targets = migrationTargets(ctx.service.hosts(), source.host.id);
  const picked = await choose(
    targets.map((host) => ({ label: host.label, description: host.isLocal ? 'this machine' : 'ssh', host })),
    { placeHolder: `Migrate ${JSON.stringify(name)} from ${source.host.label} to which host?` },
  );
  if (picked === undefined) return { status: 'stopped', reason: 'no target chosen' };
  const target: XenHost = picked.host;

  const typed = await askText({
    title: `Address of ${target.label} as ${source.host.label} reaches it`,
    prompt: migrationAddressPrompt(source.host.label, target.label),
    value: defaultMigrationAddress(target),
    validateInput: (text) => migrationAddressInputProblem(text),
  });
  if (typed === undefined) return { status: 'stopped', reason: 'no address given' };
  const address = typed.trim();
  const addressProblem = migrationAddressInputProblem(address);
  if (addressProblem !== undefined) {
    void vscode.window.showWarningMessage(`${JSON.stringify(address)}: ${addressProblem}`);
    return { status: 'stopped', reason: addressProblem };
  }

  const details = await readGuestDetails(ctx, source);
  if (details === undefined) return { status: 'stopped', reason: 'the guest could not be read' };
  const { paths, unchecked } = migrationDisks(details);
  let facts: TargetFacts;
  try {
    facts = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking ${target.label} for the disks and the name of ${JSON.stringify(name)}…`, cancellable: true },
      () => targetFacts(ctx, target, name, paths),
    );
  } catch (error) {
    return { status: 'stopped', reason: reportFailure(ctx, error, `check ${target.label}`), checked: paths };
  }
  const verdict = migrationVerdict({ name, id: source.domain.id, uuid: details.uuid, hostLabel: source.host.label }, target.label, paths, facts);
  if (verdict.problem !== undefined) {
    void vscode.window.showWarningMessage(`Cannot migrate ${JSON.stringify(name)}: ${verdict.problem}`);
    return { status: 'stopped', reason: verdict.problem, checked: paths, missing: verdict.missing };
  }
  const question = migrationConfirmation({ name, sourceLabel: source.host.label, targetLabel: target.label, address, paths, unchecked, sameHost: verdict.sameHost });
  if ((await askModal(question.message, question.detail, MIGRATE)) !== MIGRATE) return { status: 'stopped', reason: 'not confirmed', checked: paths };

  try {
    await runWithProgress(ctx, source.host, xl.migrate(source.domain.id, address), {
      title: `Migrating ${JSON.stringify(name)} from ${source.host.label} to ${target.label}…`,
      cancellable: false,
      timeoutMs: TRANSFER_TIMEOUT_MS,
      note: 'cannot be cancelled safely',
    });
  } catch (error) {
    void ctx.refresh.request('action');
    const message = reportFailure(ctx, error, `migrate ${JSON.stringify(name)}`, (stderr) => migrateFailureReason(stderr, address));
    return { status: 'failed', from: source.host.id, to: target.id, name, address, message };
  }
  // One refresh asks every host, so both ends show where the guest is now.
  void ctx.refresh.request('action');
  vscode.window.setStatusBarMessage(`$(pass) ${name} runs on ${target.label} now`, 10_000);
  return { status: 'migrated', from: source.host.id, to: target.id, name, address, sameHost: verdict.sameHost };
}

/** Asks the target, in parallel, which disk paths exist and whether a guest has the name. */
async function targetFacts(ctx: CommandContext, target: XenHost, name: string, paths: string[]): Promise<TargetFacts> {
  const [existing, domains] = await Promise.all([
    paths.length === 0 ? Promise.resolve([]) : ctx.service.run(target, hostTools.pathsExist(paths)),
    ctx.service.run(target, xl.list()),
  ]);
  const same = domains.find((domain) => domain.name === name && domain.state !== 'dying');
  if (same === undefined) return { existing };
  // The same name: the UUID tells the guest itself (the target is its own dom0) from another one.
  let uuid: string | undefined;
  try {
    const found: DomainDetails | undefined = (await ctx.service.run(target, xl.listLong(same.id))).find((entry) => entry.domid === same.id);
    uuid = found?.uuid;
  } catch (error) {
    // Without the UUID the name counts as taken, which stops the migration: the safe side.
    if (!isXlError(error)) throw error;
  }
  return { existing, sameName: { id: same.id, uuid } };
}
