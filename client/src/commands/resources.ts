// Set Memory… and Set vCPUs… on a running guest (`xl mem-set`, `xl vcpu-set`): the bounds come
// from `xl list -l`, are shown in the prompt and checked as the user types; after a change the
// user may have the same value written into the guest's workspace config (an edit of the
// editor's text, unsaved: only Save writes the file).

import * as vscode from 'vscode';
import { memSetFailureReason, vcpuSetFailureReason, xl, type DomainDetails } from '../xl';
import type { GuestTarget } from './targets';
import { abortOn, askText, offer, requireTrust, type CommandContext } from './context';
import { findGuestConfig, readGuestDetails, resolveOneGuest } from './guestDetails';
import { reportFailure, runWithProgress } from './longRun';
import { checkMemoryText, checkVcpuText, configValueEdit, memoryBounds, memoryPrompt, memoryReached, vcpuBounds, vcpuPrompt, type InputCheck } from './resourcePlan';

/** What Set Memory… or Set vCPUs… did, for the tests and for callers that chain commands. */
export type ResourceOutcome =
  | {
      status: 'set';
      host: string;
      name: string;
      key: 'memory' | 'vcpus';
      value: number;
      /** Memory only: what `xl list` showed once the guest had time to follow (undefined if it could not be read). */
      reportedMiB?: number;
      /** Memory only: whether that is the new size (within a small allowance). */
      reached?: boolean;
      /** The config whose editor text now says the same value, when the user asked for it. */
      config?: string;
    }
  | { status: 'failed'; host: string; name: string; key: 'memory' | 'vcpus'; message: string }
  | { status: 'stopped'; reason: string };

/** The button of the offer to write the value into the config. */
export const WRITE_TO_CONFIG = 'Write to Config';
/** How long the guest's balloon driver gets to reach a new memory target, checked each second. */
const BALLOON_WAIT_SECONDS = 8;

export async function setMemory(ctx: CommandContext, node?: unknown): Promise<ResourceOutcome> {
  const asked = await askValue(ctx, node, {
    what: 'Memory',
    noun: 'size',
    ask: (target, details) => {
      const bounds = memoryBounds(target.domain, details);
      return { prompt: memoryPrompt(target.domain.name, bounds), value: bounds.currentMiB, check: (text) => checkMemoryText(text, bounds) };
    },
  });
  if ('reason' in asked) return { status: 'stopped', reason: asked.reason };
  const { target, value: mib } = asked;
  const name = target.domain.name;

  let reportedMiB: number | undefined;
  try {
    reportedMiB = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Setting the memory of ${JSON.stringify(name)} to ${mib} MiB…`, cancellable: true },
      async (progress, token) => {
        await ctx.service.run(target.host, xl.memSet(target.domain.id, mib), { signal: abortOn(token).signal });
        progress.report({ message: "waiting for the guest's balloon driver to follow" });
        return watchMemory(ctx, target, mib, token);
      },
    );
  } catch (error) {
    void ctx.refresh.request('action');
    const message = reportFailure(ctx, error, `set the memory of ${JSON.stringify(name)}`, memSetFailureReason);
    return { status: 'failed', host: target.host.id, name, key: 'memory', message };
  }
  void ctx.refresh.request('action');
  // The running value changed: its config may now differ from it (or agree again).
  void ctx.drift?.recheck(target.host.id, name);
  const reached = reportedMiB === undefined ? undefined : memoryReached(reportedMiB, mib);
  const lead =
    reached === false
      ? `xl set the memory target of ${JSON.stringify(name)} to ${mib} MiB, but after ${BALLOON_WAIT_SECONDS} s it still has ${reportedMiB} MiB: ` +
        'the guest may lack a balloon driver (xen-balloon), or the host may lack free memory; it may also just need more time.'
      : `The memory of ${JSON.stringify(name)} is now ${mib} MiB.`;
  const config = await offerConfigWrite(ctx, name, 'memory', mib, lead, reached === false);
  return { status: 'set', host: target.host.id, name, key: 'memory', value: mib, reportedMiB, reached, ...(config ? { config } : {}) };
}

export async function setVcpus(ctx: CommandContext, node?: unknown): Promise<ResourceOutcome> {
  let current = 0;
  const asked = await askValue(ctx, node, {
    what: 'vCPUs',
    noun: 'number',
    ask: (target, details) => {
      const bounds = vcpuBounds(target.domain, details, ctx.state.hostState(target.host.id)?.info?.nrCpus);
      current = bounds.current;
      return { prompt: vcpuPrompt(target.domain.name, bounds), value: bounds.current, check: (text) => checkVcpuText(text, bounds) };
    },
  });
  if ('reason' in asked) return { status: 'stopped', reason: asked.reason };
  const { target, value: count } = asked;
  const name = target.domain.name;
  try {
    await runWithProgress(ctx, target.host, xl.vcpuSet(target.domain.id, count), { title: `Setting the vCPUs of ${JSON.stringify(name)} to ${count}…`, cancellable: true });
  } catch (error) {
    void ctx.refresh.request('action');
    const message = reportFailure(ctx, error, `set the vCPUs of ${JSON.stringify(name)}`, vcpuSetFailureReason);
    return { status: 'failed', host: target.host.id, name, key: 'vcpus', message };
  }
  void ctx.refresh.request('action');
  void ctx.drift?.recheck(target.host.id, name);
  const lead = `${JSON.stringify(name)} now has ${count} vCPU${count === 1 ? '' : 's'} online${count > current ? ' (the guest may have to bring the new ones online itself)' : ''}.`;
  const config = await offerConfigWrite(ctx, name, 'vcpus', count, lead);
  return { status: 'set', host: target.host.id, name, key: 'vcpus', value: count, ...(config ? { config } : {}) };
}

/** An input check as the input box wants it: an error blocks, a warning only says. */
/** How Set Memory… or Set vCPUs… asks for its value, given the guest and its `xl list -l`. */
interface ValueQuestion {
  /** `Memory` or `vCPUs`, for the title and messages. */
  what: string;
  /** `size` or `number`: what was not given. */
  noun: string;
  ask(target: GuestTarget, details: DomainDetails): { prompt: string; value: number; check: (text: string) => InputCheck };
}

/**
 * The common start of both commands: the guest, its bounds from `xl list -l`, and the value asked
 * for and checked as typed. The chosen value, or why there is none (already said to the user).
 */
async function askValue(ctx: CommandContext, node: unknown, question: ValueQuestion): Promise<{ target: GuestTarget; value: number } | { reason: string }> {
  if (!requireTrust()) return { reason: 'untrusted workspace' };
  const target = await resolveOneGuest(ctx, 'resources', node);
  if (target === undefined) return { reason: 'no guest chosen' };
  const details = await readGuestDetails(ctx, target);
  if (details === undefined) return { reason: 'the guest could not be read' };
  const name = target.domain.name;
  const { prompt, value, check } = question.ask(target, details);
  const answer = await askText({
    title: `Set ${question.what} of ${JSON.stringify(name)} on ${target.host.label}`,
    prompt,
    value: String(value),
    validateInput: (text) => validation(check(text)),
  });
  if (answer === undefined) return { reason: `no ${question.noun} given` };
  const checked = check(answer);
  if (checked.value === undefined) {
    void vscode.window.showWarningMessage(`${question.what} of ${JSON.stringify(name)} not changed: ${checked.error ?? `no ${question.noun}`}`);
    return { reason: checked.error ?? `no ${question.noun}` };
  }
  return { target, value: checked.value };
}

function validation(check: InputCheck): vscode.InputBoxValidationMessage | string | undefined {
  if (check.error !== undefined) return check.error;
  if (check.warning !== undefined) return { message: check.warning, severity: vscode.InputBoxValidationSeverity.Warning };
  return undefined;
}

/**
 * What `xl list` shows for the guest's memory once it reached MIB, or after BALLOON_WAIT_SECONDS;
 * undefined when the guest is gone or the list failed (the change itself did not).
 */
async function watchMemory(ctx: CommandContext, target: GuestTarget, mib: number, token: vscode.CancellationToken): Promise<number | undefined> {
  let last: number | undefined;
  // Cancel during the wait ends the wait only: the target is set already.
  for (let second = 0; second < BALLOON_WAIT_SECONDS && !token.isCancellationRequested; second++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    let domains;
    try {
      domains = await ctx.service.run(target.host, xl.list(), { timeoutMs: 15_000 });
    } catch {
      // The memory was set; not knowing whether the guest followed is said as such.
      return last;
    }
    const now = domains.find((domain) => domain.id === target.domain.id);
    if (now === undefined) return undefined;
    last = now.memoryMiB;
    if (memoryReached(now.memoryMiB, mib)) return last;
  }
  return last;
}

/**
 * Offers to write KEY = VALUE into the guest's workspace config; on yes, edits the editor's text
 * (the file is not saved) and shows it. Returns the config's path when it was edited.
 */
async function offerConfigWrite(ctx: CommandContext, name: string, key: 'memory' | 'vcpus', value: number, lead: string, warn = false): Promise<string | undefined> {
  const matches = (await ctx.configs.ready()).filter((file) => file.name === name);
  if (matches.length === 0) {
    if (warn) void vscode.window.showWarningMessage(lead);
    else void vscode.window.showInformationMessage(lead);
    return undefined;
  }
  const where = matches.length === 1 ? matches[0].uri.path.slice(matches[0].uri.path.lastIndexOf('/') + 1) : 'its config';
  const choice = await offer(`${lead} Also write ${key} = ${value} into ${where}? The editor's text changes; Save writes the file.`, WRITE_TO_CONFIG);
  if (choice !== WRITE_TO_CONFIG) return undefined;
  const uri = await findGuestConfig(ctx, name, undefined, true);
  if (uri === undefined) return undefined;
  const document = await vscode.workspace.openTextDocument(uri);
  const change = configValueEdit(document.getText(), key, String(value));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.text);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showWarningMessage(`Could not edit ${uri.fsPath}: the editor refused the change.`);
    return undefined;
  }
  await vscode.window.showTextDocument(document, { preview: false, preserveFocus: true });
  return uri.fsPath;
}
