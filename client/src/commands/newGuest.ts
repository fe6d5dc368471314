// Xen: New Guest…: the steps (client/src/newGuest/wizardSteps.ts) end in a summary with two
// endings. "Write Config" writes `<name>.cfg` (never over an existing file) and opens it.
// "Write, Create Disk and Start" first shows the exact commands, then writes the config, makes the
// disk, starts the guest through the usual start path and opens its screen; when a step fails it
// says which, says what exists now, and offers to remove only what this run made.

import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { vncSecretKey } from '../console/credentials';
import type { XenHost } from '../xenService';
import { displayCommandLine, hostTools, xl, type XlCommand } from '../xl';
import type { NewGuestChoices } from '../newGuest/choices';
import { guestConfigText } from '../newGuest/configText';
import { surveyHost, reasonOf, type HostSurvey } from '../newGuest/hostSurvey';
import { runWizard } from '../newGuest/multiStep';
import { configFolder, joinPath, type Placement } from '../newGuest/placement';
import { diskAndStartSteps, guestExists } from '../newGuest/diskAndStart';
import { plannedDiskCommand } from '../newGuest/plan';
import { failureMessage, runPlan, undoOffer } from '../newGuest/runPlan';
import { newGuestSteps, START_ONLY, START_WITH_DISK, WIZARD_TITLE, type SummaryFacts } from '../newGuest/wizardSteps';
import { keyLines } from '../newGuest/summary';
import { choicesOf, type WizardState } from '../newGuest/wizardState';
import { writeNewConfig } from '../newGuest/writeConfig';
import { configLabel } from './configFile';
import { abortOn, askModal, requireTrust, showError, type CommandContext } from './context';
import { startGuestOnHost } from './startGuest';
import { isNode } from './targets';

/** What New Guest did, for the tests and for commands that follow it. */
export type NewGuestOutcome =
  | { status: 'stopped'; reason: string }
  | { status: 'cancelled' }
  | { status: 'not-written'; path: string; message: string }
  | { status: 'written'; path: string; host: string; name: string }
  | { status: 'started'; path: string; host: string; name: string; made: string[] }
  | { status: 'failed'; path: string; host: string; name: string; step: string; message: string; made: string[]; removed: string[] };

export async function newGuest(ctx: CommandContext, node?: unknown): Promise<NewGuestOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const hosts = ctx.service.hosts();
  if (hosts.length === 0) {
    void vscode.window.showInformationMessage('No Xen host to create a guest on: xen.hosts is empty here.');
    return { status: 'stopped', reason: 'no host' };
  }
  const given = isNode(node) && node.kind === 'host' ? ctx.service.host(node.host.id) : undefined;
  const state: WizardState = { host: given ?? (hosts.length === 1 ? hosts[0] : undefined) };
  // With the host known, a missing config folder stops New Guest before any question.
  const early = state.host === undefined ? undefined : placementFor(ctx, state.host);
  if (early !== undefined && 'problem' in early) {
    void vscode.window.showErrorMessage(early.problem);
    return { status: 'stopped', reason: early.problem };
  }

  const surveys = new Map<string, HostSurvey>();
  const survey = (host: XenHost): HostSurvey => {
    let found = surveys.get(host.id);
    if (found === undefined) {
      found = surveyHost(ctx, host);
      surveys.set(host.id, found);
    }
    return found;
  };
  if (state.host !== undefined) survey(state.host);

  let done: WizardState | undefined;
  try {
    done = await runWizard(WIZARD_TITLE, newGuestSteps({
      hosts,
      hostGiven: given !== undefined,
      survey,
      placement: (host) => placementFor(ctx, host),
      localFileExists: (path) => existsSync(path),
      pathsExist: (host, paths, signal) => ctx.service.run(host, hostTools.pathsExist(paths), { signal }),
      random: Math.random,
      summary: (choices, host) => summaryOf(ctx, choices, host),
      confirmRun: (choices, host) => confirmRun(ctx, choices, host),
    }), state);
  } finally {
    // Questions still out (a slow host) are of no use once the steps are over.
    for (const started of surveys.values()) started.dispose();
  }
  if (done === undefined) return { status: 'cancelled' };
  const host = done.host;
  const choices = choicesOf(done);
  if (host === undefined || 'missing' in choices) throw new Error('New Guest: the steps ended without every answer');
  const placement = placementFor(ctx, host);
  if ('problem' in placement) {
    void vscode.window.showErrorMessage(placement.problem);
    return { status: 'stopped', reason: placement.problem };
  }

  const path = joinPath(placement.folder, `${choices.name}.cfg`);
  const text = guestConfigText(choices);
  const problem = writeNewConfig(path, text, choices.vnc?.password !== undefined);
  if (problem !== undefined) {
    void vscode.window.showErrorMessage(`Could not write the new config: ${problem}`);
    return { status: 'not-written', path, message: problem };
  }
  await rememberPassword(ctx, host, choices);
  const uri = vscode.Uri.file(path);
  await vscode.window.showTextDocument(uri, { preview: false });
  if (done.ending !== 'write-and-start') {
    vscode.window.setStatusBarMessage(`$(check) Wrote ${path}`, 5000);
    return { status: 'written', path, host: host.id, name: choices.name };
  }
  return createDiskAndStart(ctx, host, choices, uri);
}

/** Where the config of a guest on `host` goes (see placement.ts). */
function placementFor(ctx: CommandContext, host: XenHost): Placement {
  const first = vscode.workspace.workspaceFolders?.[0];
  return configFolder({
    setting: ctx.service.settings().configDirectory,
    hostIsLocal: host.isLocal,
    localXenConfigFolder: existsSync('/etc/xen') && existsSync('/proc/xen'),
    workspaceFolder: first?.uri.scheme === 'file' ? first.uri.fsPath : undefined,
  });
}

/** Keeps the config's VNC password where the console looks for it. Says so when that fails. */
async function rememberPassword(ctx: CommandContext, host: XenHost, choices: NewGuestChoices): Promise<void> {
  const password = choices.vnc?.password;
  if (password === undefined || ctx.secrets === undefined) return;
  try {
    await ctx.secrets.store(vncSecretKey(host.id, choices.name), password);
  } catch (error) {
    // The secret store's error (no keyring, say) never holds the password itself.
    void vscode.window.showWarningMessage(`Could not keep the VNC password of ${JSON.stringify(choices.name)} in VS Code's secret storage (it is in the config): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The `xl create` the start path will run, for showing: the path on this machine, else the text. */
function createCommandShown(host: XenHost, path: string, text: string): XlCommand<void> {
  return host.isLocal ? xl.create(path) : xl.createFromText(text, path);
}

function commandLines(choices: NewGuestChoices, host: XenHost, path: string, text: string): string[] {
  const disk = plannedDiskCommand(choices, hostTools);
  return [...(disk === undefined ? [] : [displayCommandLine(disk)]), displayCommandLine(createCommandShown(host, path, text))];
}

function summaryOf(ctx: CommandContext, choices: NewGuestChoices, host: XenHost): SummaryFacts {
  const placement = placementFor(ctx, host);
  const path = joinPath('folder' in placement ? placement.folder : '.', `${choices.name}.cfg`);
  const text = guestConfigText(choices);
  return {
    path,
    keyLines: keyLines(text, choices.vnc?.password),
    commands: commandLines(choices, host, path, text),
    createsDisk: plannedDiskCommand(choices, hostTools) !== undefined,
  };
}

/** The modal before anything runs: the file, each command line, and where they run. */
async function confirmRun(ctx: CommandContext, choices: NewGuestChoices, host: XenHost): Promise<boolean> {
  const facts = summaryOf(ctx, choices, host);
  const button = facts.createsDisk ? 'Create Disk and Start' : 'Start';
  const detail = [
    `Writes ${facts.path}, then runs on ${host.label}:`,
    '',
    ...facts.commands,
    '',
    ...(host.isLocal ? [] : [`xl on ${host.label} reads a temporary copy of the config that VS Code sends; the file stays in this workspace.`]),
    choices.vnc === undefined ? 'Nothing else runs.' : "Then the graphical console opens on the guest's screen.",
  ].join('\n');
  const answer = await askModal(`${facts.createsDisk ? START_WITH_DISK : START_ONLY}: ${choices.name} on ${host.label}`, detail, button);
  return answer === button;
}

async function createDiskAndStart(ctx: CommandContext, host: XenHost, choices: NewGuestChoices, uri: vscode.Uri): Promise<NewGuestOutcome> {
  const name = choices.name;
  const path = uri.fsPath;
  const run = <T>(command: XlCommand<T>, signal?: AbortSignal): Promise<T> => ctx.service.run(host, command, { signal });
  const steps = diskAndStartSteps(choices, host.label, {
    run,
    withProgress: withCancellableProgress,
    start: async () => {
      const outcome = await startGuestOnHost(ctx, uri, host);
      if (outcome.status === 'started') return undefined;
      if (outcome.status === 'stopped') return `the start was stopped (${outcome.reason}).`;
      // startGuest words it as "Could not start FILE on HOST: REASON"; the plan says the first part itself.
      const prefix = `Could not start ${configLabel(uri)} on ${host.label}: `;
      return outcome.message.startsWith(prefix) ? outcome.message.slice(prefix.length) : outcome.message;
    },
  });

  const outcome = await runPlan(steps, undefined, reasonOf);
  if (outcome.status === 'done') {
    if (choices.vnc !== undefined) await vscode.commands.executeCommand('xen.guest.graphicalConsole', { kind: 'guestRef', hostId: host.id, name });
    return { status: 'started', path, host: host.id, name, made: outcome.made.map((thing) => thing.path) };
  }

  const message = failureMessage(outcome, host.label, path);
  const exists = outcome.made.length > 0 ? await guestExists(run, name) : undefined;
  const offer = undoOffer(outcome.made, name, exists);
  const removed: string[] = [];
  if (offer.kind === 'offer') {
    const choice = await askModal(`${message}\n\n${offer.question}`, offer.detail, offer.button);
    if (choice === offer.button) {
      for (const thing of offer.things) {
        try {
          await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Removing ${thing.path} on ${host.label}…` }, () => run(thing.undo));
          removed.push(thing.path);
        } catch (error) {
          await showError(ctx, error, `remove ${thing.path} on ${host.label}`);
        }
      }
      if (removed.length > 0) vscode.window.setStatusBarMessage(`Removed ${removed.join(', ')} on ${host.label}`, 8000);
    }
  } else {
    const shown = offer.kind === 'kept' ? `${message} ${offer.reason}` : message;
    // A failed start leaves the guest's xl log on the host: offer it beside xl's message.
    const logButton = outcome.failed.id === 'start' ? ['Open Log'] : [];
    void vscode.window.showErrorMessage(shown, ...logButton, 'Show Log').then((choice) => {
      if (choice === 'Show Log') ctx.service.showLog();
      if (choice === 'Open Log') void vscode.commands.executeCommand('xen.guest.openLog', { kind: 'guestRef', hostId: host.id, name }, 'xl');
    });
  }
  return { status: 'failed', path, host: host.id, name, step: outcome.failed.id, message, made: outcome.made.map((thing) => thing.path), removed };
}

/** Runs `task` under a cancellable progress notification; its signal follows the Cancel button. */
function withCancellableProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => task(abortOn(token).signal)),
  );
}
