// Delete Guest…: destroys the guest when its domain exists, and, each only when the user ticks
// it, removes its config file, its own logical volumes or image files, and its autostart entry.
// A last modal names exactly what goes; deletePlan.ts decides what may be offered at all.

import * as vscode from 'vscode';
import { autostartOf } from '../tree/autostart';
import { guestDescription, isDom0 } from '../tree/model';
import type { XenHost } from '../xenService';
import { hostTools, isXlError, xl, type Domain, type DomainDetails, type XlCommand } from '../xl';
import { readConfigText } from '../tree/configIndex';
import { configLabel, fileName } from './configFile';
import { vncSecretKey } from '../console/credentials';
import { askModal, choose, chooseMany, requireTrust, showError, type CommandContext } from './context';
import {
  classifyDisks,
  deleteConfirmation,
  deleteFailureMessage,
  deleteSteps,
  describeStep,
  disksFromConfigText,
  disksFromRecords,
  diskTargetsOfText,
  stepDone,
  type DeleteStep,
  type DiskVerdict,
  type RemovableDisk,
  type VolumeFacts,
} from './deletePlan';
import { findGuestConfig } from './guestDetails';
import { formatBytes } from './installCycle';
import { actionApplies } from './policy';
import { isNode, pickHostForConfig } from './targets';

export type DeleteOutcome =
  | { status: 'deleted'; host: string; done: DeleteStep[] }
  | { status: 'failed'; host: string; done: DeleteStep[]; failed: DeleteStep; message: string }
  | { status: 'stopped'; reason: string };

/** What Delete Guest acts on: a guest (its domain may be gone) on a host, and its config if known. */
interface Subject {
  host: XenHost;
  name: string;
  domain?: Domain;
  config?: vscode.Uri;
}

/** lvremove right after a destroy may find the volume still open; it is tried once more after this. */
const VOLUME_RETRY_MS = 2000;

export async function deleteGuest(ctx: CommandContext, node?: unknown): Promise<DeleteOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const subject = await resolveSubject(ctx, node);
  if (subject === undefined) return { status: 'stopped', reason: 'nothing chosen' };
  const { host, name, domain, config } = subject;

  const facts = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Looking at the disks of ${JSON.stringify(name)} on ${host.label}…` },
    () => gatherFacts(ctx, subject),
  );
  if (facts === undefined) return { status: 'stopped', reason: 'the guest could not be read' };
  const removable = facts.verdicts.flatMap((verdict) => (verdict.removable !== undefined ? [verdict.removable] : []));

  const autostartEntry = config === undefined ? undefined : autostartEntryOf(ctx, host, config);
  type Item = vscode.QuickPickItem & ({ what: 'config' } | { what: 'disk'; disk: RemovableDisk } | { what: 'autostart' });
  const items: Item[] = [];
  if (config !== undefined) items.push({ label: 'Delete the config file', description: fileName(config), detail: configLabel(config), what: 'config' });
  for (const disk of removable) {
    items.push(
      disk.kind === 'volume'
        ? { label: 'Remove the logical volume', description: disk.sizeBytes === undefined ? undefined : formatBytes(disk.sizeBytes), detail: disk.path, what: 'disk', disk }
        : { label: 'Delete the image file', detail: disk.path, what: 'disk', disk },
    );
  }
  if (autostartEntry !== undefined) items.push({ label: 'Remove the autostart entry', detail: autostartEntry, what: 'autostart' });

  let chosen: Item[] = [];
  if (items.length > 0) {
    const first = domain !== undefined ? `${JSON.stringify(name)} is destroyed first. ` : '';
    const picked = await chooseMany(items, {
      title: `Delete ${JSON.stringify(name)} on ${host.label}`,
      placeHolder: `${first}Tick what else to delete (nothing is ticked), then OK`,
      ignoreFocusOut: true,
      matchOnDetail: true,
    });
    if (picked === undefined) return { status: 'stopped', reason: 'the user cancelled the choice' };
    chosen = picked;
  }
  const steps = deleteSteps({
    running: domain === undefined ? undefined : { name, domid: domain.id },
    disks: chosen.flatMap((item) => (item.what === 'disk' ? [item.disk] : [])),
    autostart: autostartEntry !== undefined && chosen.some((item) => item.what === 'autostart') ? { path: autostartEntry, fileName: autostartEntry.slice(autostartEntry.lastIndexOf('/') + 1) } : undefined,
    configPath: config !== undefined && chosen.some((item) => item.what === 'config') ? configLabel(config) : undefined,
  });
  const question = deleteConfirmation(name, host.label, steps, facts.verdicts);
  if (question === undefined) {
    void vscode.window.showInformationMessage(`Nothing to delete: ${JSON.stringify(name)} is not running on ${host.label} and nothing was ticked.`);
    return { status: 'stopped', reason: 'nothing to do' };
  }
  // A link in /etc/xen/auto to a config that is deleted would make the host's boot-time start fail.
  const dangling = steps.some((step) => step.kind === 'remove-config') && autostartEntry !== undefined && !steps.some((step) => step.kind === 'remove-autostart');
  const detail = dangling ? `${question.detail}\n\n${autostartEntry} stays: the host will try to start the guest from it at boot.` : question.detail;
  if ((await askModal(question.message, detail, 'Delete')) !== 'Delete') return { status: 'stopped', reason: 'the user did not confirm' };
  return runSteps(ctx, host, name, steps, config);
}

// --- what to delete ---

async function resolveSubject(ctx: CommandContext, node: unknown): Promise<Subject | undefined> {
  if (node instanceof vscode.Uri) return subjectOfConfig(ctx, node);
  if (isNode(node)) {
    if (node.kind === 'guest') return subjectOfGuest(ctx, node.host, node.domain);
    if (node.kind === 'guestRef') {
      const ref = node;
      const host = ctx.service.host(ref.hostId);
      const domain = ctx.state.findDomain(ref.hostId, ref.name);
      return host !== undefined && domain !== undefined ? subjectOfGuest(ctx, host, domain) : undefined;
    }
    if (node.kind === 'config') return subjectOfConfig(ctx, node.uri);
  }
  return pickSubject(ctx);
}

async function subjectOfGuest(ctx: CommandContext, host: XenHost, domain: Domain): Promise<Subject | undefined> {
  if (isDom0(domain) || !actionApplies('delete', domain)) {
    void vscode.window.showInformationMessage(`${JSON.stringify(domain.name)} cannot be deleted from here.`);
    return undefined;
  }
  const config = await findGuestConfig(ctx, domain.name, undefined, true);
  return { host, name: domain.name, domain, config };
}

async function subjectOfConfig(ctx: CommandContext, uri: vscode.Uri): Promise<Subject | undefined> {
  const name = ctx.configs.find(uri)?.name;
  if (name === undefined) {
    void vscode.window.showInformationMessage(`${fileName(uri)} has no name = "..." line, so it names no guest to delete.`);
    return undefined;
  }
  // Where it runs decides the host; a stopped guest's disks are on the host it is started on.
  for (const state of ctx.state.hosts()) {
    const domain = ctx.state.findDomain(state.host.id, name);
    if (domain !== undefined && actionApplies('delete', domain)) return { host: state.host, name, domain, config: uri };
  }
  const host = await pickHostForConfig(ctx, uri);
  return host === undefined ? undefined : { host, name, config: uri };
}

/** From the palette: the guests of every host and the configs of guests that do not run. */
async function pickSubject(ctx: CommandContext): Promise<Subject | undefined> {
  const multiHost = ctx.state.multiHost;
  const running = new Set<string>();
  const items: (vscode.QuickPickItem & { pick: () => Promise<Subject | undefined> })[] = [];
  for (const state of ctx.state.hosts()) {
    for (const domain of state.domains ?? []) {
      if (!actionApplies('delete', domain)) continue;
      running.add(domain.name);
      items.push({ label: domain.name, description: `${guestDescription(domain)}${multiHost ? ` · ${state.host.label}` : ''}`, pick: () => subjectOfGuest(ctx, state.host, domain) });
    }
  }
  for (const file of await ctx.configs.ready()) {
    if (file.name === undefined || running.has(file.name)) continue;
    items.push({ label: file.name, description: 'not running', detail: file.uri.fsPath, pick: () => subjectOfConfig(ctx, file.uri) });
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No guest to delete: no guest runs and no config of this workspace names one.');
    return undefined;
  }
  const picked = await choose(items, { placeHolder: 'Delete which guest?', matchOnDescription: true, matchOnDetail: true });
  return picked?.pick();
}

// --- what it has ---

interface Facts {
  verdicts: DiskVerdict[];
}

/**
 * The guest's disks (from `xl list -l` when its domain exists, and from the config), the host's
 * logical volumes, and who else uses which disk: the other domains of the host and the other
 * configs of the workspace. Undefined (after saying why) when the host cannot be asked.
 */
async function gatherFacts(ctx: CommandContext, subject: Subject): Promise<Facts | undefined> {
  const { host, name, domain, config } = subject;
  let details: DomainDetails[];
  try {
    details = await ctx.service.run(host, xl.listLong());
  } catch (error) {
    await showError(ctx, error, `read the guests of ${host.label}`);
    return undefined;
  }
  let volumes: VolumeFacts[] | undefined;
  try {
    volumes = await ctx.service.run(host, hostTools.logicalVolumes());
  } catch (error) {
    // Without the list no /dev path is offered (deletePlan says why); the log has the error.
    ctx.service.output.warn(`[${host.label}] could not list logical volumes: ${error instanceof Error ? error.message : String(error)}`);
    volumes = undefined;
  }
  const usedElsewhere = new Map<string, string>();
  for (const other of details) {
    if (other.domid === domain?.id || other.name === name) continue;
    for (const disk of disksFromRecords(other.disks)) if (disk.target !== undefined) usedElsewhere.set(disk.target, `the guest ${JSON.stringify(other.name)}`);
  }
  for (const file of ctx.configs.list()) {
    if (config !== undefined && file.uri.toString() === config.toString()) continue;
    if (file.name === name) continue;
    const text = await readConfigText(file.uri);
    for (const target of text === undefined ? [] : diskTargetsOfText(text)) if (!usedElsewhere.has(target)) usedElsewhere.set(target, `the config ${configLabel(file.uri)}`);
  }
  const own = details.find((entry) => entry.domid === domain?.id);
  const configDisks = config === undefined ? [] : disksFromConfigText((await readConfigText(config)) ?? '');
  return { verdicts: classifyDisks([...disksFromRecords(own?.disks ?? []), ...configDisks], volumes, usedElsewhere) };
}

/** The host's autostart entry for the config, from the last refresh. */
function autostartEntryOf(ctx: CommandContext, host: XenHost, config: vscode.Uri): string | undefined {
  const entries = ctx.state.hostState(host.id)?.autostart;
  if (entries === undefined) return undefined;
  const summary = autostartOf(config.scheme === 'file' ? config.fsPath : undefined, fileName(config), [{ hostId: host.id, hostLabel: host.label, isLocal: host.isLocal, entries }]);
  // A link to some other file with the same name is not this guest's to remove; the config
  // itself in the autostart folder is offered as the config file.
  const entry = summary.on.find((found) => found.kind !== 'other' && found.kind !== 'self');
  return entry?.entryPath;
}

// --- doing it ---

async function runSteps(ctx: CommandContext, host: XenHost, name: string, steps: readonly DeleteStep[], config: vscode.Uri | undefined): Promise<DeleteOutcome> {
  const done: DeleteStep[] = [];
  let failure: { step: DeleteStep; error: unknown } | undefined;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting ${JSON.stringify(name)} on ${host.label}` }, async (progress) => {
    for (const step of steps) {
      progress.report({ message: describeStep(step, host.label) });
      try {
        await runStep(ctx, host, name, step, config);
        done.push(step);
      } catch (error) {
        failure = { step, error };
        return;
      }
    }
  });
  if (done.some((step) => step.kind === 'remove-autostart')) ctx.state.markAutostartStale(host.id);
  void ctx.refresh.request('action');
  if (failure === undefined) {
    void vscode.window.showInformationMessage(`Deleted ${JSON.stringify(name)} on ${host.label}: ${done.map(stepDone).join(', ')}.`);
    return { status: 'deleted', host: host.id, done };
  }
  const { step, error } = failure;
  const reason = isXlError(error) || error instanceof Error ? error.message : String(error);
  const message = deleteFailureMessage(steps, steps.indexOf(step), reason, host.label);
  void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
    if (choice === 'Show Log') ctx.service.showLog();
  });
  return { status: 'failed', host: host.id, done, failed: step, message };
}

async function runStep(ctx: CommandContext, host: XenHost, name: string, step: DeleteStep, config: vscode.Uri | undefined): Promise<void> {
  switch (step.kind) {
    case 'destroy':
      await ctx.service.run(host, xl.destroy(step.domid));
      return;
    case 'remove-volume':
      await runRetryingWhileOpen(ctx, host, hostTools.removeVolume(step.vg, step.lv));
      return;
    case 'remove-image':
      await ctx.service.run(host, hostTools.removeImage(step.path));
      return;
    case 'remove-autostart':
      await ctx.service.run(host, hostTools.autostartRemove(step.fileName));
      return;
    case 'remove-config':
      // The step's path is the file the question named; nothing else is deleted.
      if (config === undefined) throw new Error('no config file');
      await vscode.workspace.fs.delete(config, { useTrash: false });
      // With its config gone, a VNC password the console kept for this guest has nothing to open.
      await ctx.secrets?.delete(vncSecretKey(host.id, name));
      return;
  }
}

/** The backend may still hold a just-destroyed guest's volume open for a moment: one more try. */
async function runRetryingWhileOpen(ctx: CommandContext, host: XenHost, command: XlCommand<void>): Promise<void> {
  try {
    await ctx.service.run(host, command);
  } catch (error) {
    if (!(isXlError(error) && error.kind === 'failed' && /open|in use|busy/i.test(`${error.message} ${error.detail ?? ''}`))) throw error;
    await new Promise((resolve) => setTimeout(resolve, VOLUME_RETRY_MS));
    await ctx.service.run(host, command);
  }
}
