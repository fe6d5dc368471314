// "Validate on the host": `xl -N create` builds the guest's configuration from the editor's text
// without creating anything (it needs Xen), and the preflight checks that the files and bridges
// the config names exist on that host. Results go to the Problems panel as "xl (host)". The file
// is never saved: an unsaved or remote check sends the text through a temporary file.

import * as vscode from 'vscode';
import { isXlError, preflightMessage, type PreflightFinding } from '../xl';
import { HOST_DIAGNOSTICS_NAME, configLabel, createCommand, fileName, openConfig } from './configFile';
import { abortOn, requireTrust, showError, type CommandContext } from './context';
import { findingDiagnostics, runPreflight } from './hostCheck';
import { configLocationProblem, mapHostCheckOutput, type HostProblem } from './policy';
import { pickHostForConfig, resolveConfig } from './targets';

export { HOST_DIAGNOSTICS_NAME } from './configFile';

/** What a check found, for tests and callers. */
export type ValidateOutcome =
  | { status: 'accepted' | 'refused'; host: string; problems: number; missing: string[]; sentText: boolean }
  | { status: 'stopped'; reason: string };

export async function validateConfig(ctx: CommandContext, node?: unknown): Promise<ValidateOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const uri = await resolveConfig(ctx, node);
  if (uri === undefined) return { status: 'stopped', reason: 'no config chosen' };
  const { document } = await openConfig(uri);
  const host = await pickHostForConfig(ctx, uri);
  if (host === undefined) return { status: 'stopped', reason: 'no host chosen' };
  const version = document.version;
  const label = configLabel(uri);

  let stderr = '';
  let failure: unknown;
  let summary = '';
  let findings: PreflightFinding[] = [];
  /** Why the file and bridge check failed, if it did. */
  let preflightProblem: string | undefined;
  let sentText = false;
  const cancelled = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking ${fileName(uri)} on ${host.label}…`, cancellable: true },
    async (progress, token) => {
      const signal = abortOn(token).signal;
      try {
        progress.report({ message: 'xl create -N' });
        const command = createCommand(ctx, host, document, { dryRun: true });
        sentText = command.configText !== undefined;
        const config = await ctx.service.run(host, command, { signal, onStderr: (text) => (stderr = text) });
        const memory = config.targetMemKiB === undefined ? '' : `, ${Math.round(config.targetMemKiB / 1024)} MiB`;
        const vcpus = config.maxVcpus === undefined ? '' : `, ${config.maxVcpus} vCPU${config.maxVcpus === 1 ? '' : 's'}`;
        summary = `${(config.type ?? '').toUpperCase()} guest ${JSON.stringify(config.name)}${memory}${vcpus}`.trim();
      } catch (error) {
        if (isXlError(error) && error.kind === 'cancelled') return true;
        failure = error;
      }
      // A host that could not run xl at all (ssh, no xl, no root) will not run sh either.
      if (isXlError(failure) && failure.kind !== 'failed') return false;
      try {
        progress.report({ message: 'files and bridges' });
        findings = await runPreflight(ctx, host, document, signal);
      } catch (error) {
        if (isXlError(error) && error.kind === 'cancelled') return true;
        preflightProblem = messageOf(error);
      }
      return false;
    },
  );
  if (cancelled) return { status: 'stopped', reason: 'cancelled' };

  // Errors that are not about the text (no xl, no root, ssh) are not Problems of the file.
  if (isXlError(failure) && failure.kind !== 'failed') {
    ctx.hostDiagnostics.delete(uri);
    await showError(ctx, failure, `check ${fileName(uri)} on ${host.label}`);
    return { status: 'stopped', reason: failure.message };
  }
  if (preflightProblem !== undefined) {
    ctx.service.output.warn(`[${host.label}] the file and bridge check of ${label} failed: ${preflightProblem}`);
  }
  if (document.version !== version) {
    void vscode.window.showInformationMessage(`${fileName(uri)} changed while it was being checked; run Validate on the Host again.`);
    return { status: 'stopped', reason: 'the text changed during the check' };
  }

  const detail = isXlError(failure) ? failure.detail : stderr;
  // The host could not read the file it was given: say so, but it is not a problem of the text.
  const location = configLocationProblem(detail || stderr);
  const failed = failure === undefined ? undefined : { message: messageOf(failure) };
  const problems = mapHostCheckOutput(detail || stderr, label, document.getText(), failed);
  const diagnostics = [...problems.map((problem) => toDiagnostic(document, problem)), ...findingDiagnostics(document, findings, host.label)];
  ctx.hostDiagnostics.set(uri, diagnostics);
  const missing = findings.map((finding) => preflightMessage(finding, host.label));
  const outcome = {
    host: host.id,
    problems: diagnostics.length,
    missing,
    sentText,
  };

  if (location !== undefined && failure !== undefined) {
    const choice = await vscode.window.showErrorMessage(`xl on ${host.label} could not read the config it was given (${location}); this says nothing about the config itself.`, 'Show Log');
    if (choice === 'Show Log') ctx.service.showLog();
    return { status: 'refused', ...outcome };
  }
  if (failure !== undefined) {
    const first = problems.find((p) => p.severity === 'error')?.message ?? failed?.message;
    void vscode.window.showErrorMessage(`xl on ${host.label} refuses ${fileName(uri)}: ${first}`, 'Show Problems', 'Show Log').then(async (choice) => {
      if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
      if (choice === 'Show Log') ctx.service.showLog();
    });
    return { status: 'refused', ...outcome };
  }
  const warnings = problems.filter((problem) => problem.severity !== 'information').length;
  const note = warnings === 0 ? '' : ` with ${warnings} warning${warnings === 1 ? '' : 's'} (see Problems)`;
  if (findings.length > 0) {
    void vscode.window.showWarningMessage(`xl on ${host.label} accepts ${fileName(uri)}${note}, but ${missing[0]}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}: Start would fail.`, 'Show Problems').then(async (choice) => {
      if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return { status: 'refused', ...outcome };
  }
  void vscode.window.showInformationMessage(`xl on ${host.label} accepts ${fileName(uri)}${note}: ${summary}.`);
  return { status: 'accepted', ...outcome };
}

/** Drops a file's host-check problems once it is edited: their lines may no longer match. */
export function clearHostDiagnosticsOnEdit(collection: vscode.DiagnosticCollection): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0 && collection.has(event.document.uri)) collection.delete(event.document.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => collection.delete(document.uri)),
  );
}

function toDiagnostic(document: vscode.TextDocument, problem: HostProblem): vscode.Diagnostic {
  const line = Math.min(problem.line, Math.max(0, document.lineCount - 1));
  const range = document.lineAt(line).range;
  const severity =
    problem.severity === 'error'
      ? vscode.DiagnosticSeverity.Error
      : problem.severity === 'warning'
        ? vscode.DiagnosticSeverity.Warning
        : vscode.DiagnosticSeverity.Information;
  const diagnostic = new vscode.Diagnostic(range, problem.message, severity);
  diagnostic.source = HOST_DIAGNOSTICS_NAME;
  return diagnostic;
}

/** An error's message; for a thrown value that is not an Error, its String(). */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
