// "Validate on the host": `xl -N create -f FILE` builds the guest's configuration without creating
// anything (it needs Xen). Its warnings and errors go to the Problems panel as "xl (host)".

import * as vscode from 'vscode';
import { isXlError, xl } from '../xl';
import { fileName, prepareConfig } from './configFile';
import { abortOn, requireTrust, showError, type CommandContext } from './context';
import { mapHostCheckOutput, type HostProblem } from './policy';
import { pickHostForConfig, resolveConfig } from './targets';

export const HOST_DIAGNOSTICS_NAME = 'xl (host)';

export async function validateConfig(ctx: CommandContext, node?: unknown): Promise<void> {
  if (!requireTrust()) return;
  const uri = await resolveConfig(ctx, node);
  if (uri === undefined) return;
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(`xl can only check a config that is a file on the Xen host; ${uri.toString()} is not.`);
    return;
  }
  const document = await prepareConfig(uri, 'check');
  if (document === undefined) return;
  const host = await pickHostForConfig(ctx);
  if (host === undefined) return;

  let stderr = '';
  let failure: unknown;
  let summary = '';
  try {
    const config = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking ${fileName(uri)} with xl create -N…`, cancellable: true },
      (_progress, token) =>
        ctx.service.run(host, xl.create(uri.fsPath, { dryRun: true }), {
          signal: abortOn(token).signal,
          onStderr: (text) => (stderr = text),
        }),
    );
    const memory = config.targetMemKiB === undefined ? '' : `, ${Math.round(config.targetMemKiB / 1024)} MiB`;
    const vcpus = config.maxVcpus === undefined ? '' : `, ${config.maxVcpus} vCPU${config.maxVcpus === 1 ? '' : 's'}`;
    summary = `${(config.type ?? '').toUpperCase()} guest ${JSON.stringify(config.name)}${memory}${vcpus}`.trim();
  } catch (error) {
    if (isXlError(error) && error.kind === 'cancelled') return;
    failure = error;
  }

  // Errors that are not about the file (no xl, no root, ssh) are not Problems of the file.
  if (isXlError(failure) && failure.kind !== 'failed') {
    ctx.hostDiagnostics.delete(uri);
    await showError(ctx, failure, `check ${fileName(uri)} on ${host.label}`);
    return;
  }
  const failed = failure === undefined ? undefined : { message: failure instanceof Error ? failure.message : String(failure) };
  const detail = isXlError(failure) ? failure.detail : stderr;
  const problems = mapHostCheckOutput(detail || stderr, uri.fsPath, document.getText(), failed);
  ctx.hostDiagnostics.set(uri, problems.map((problem) => toDiagnostic(document, problem)));

  if (failure !== undefined) {
    const choice = await vscode.window.showErrorMessage(`xl refuses ${fileName(uri)}: ${problems.find((p) => p.severity === 'error')?.message ?? failed?.message}`, 'Show Problems', 'Show Log');
    if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (choice === 'Show Log') ctx.service.showLog();
    return;
  }
  const warnings = problems.filter((problem) => problem.severity !== 'information').length;
  const note = warnings === 0 ? '' : ` with ${warnings} warning${warnings === 1 ? '' : 's'} (see Problems)`;
  void vscode.window.showInformationMessage(`xl on ${host.label} accepts ${fileName(uri)}${note}: ${summary}.`);
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
