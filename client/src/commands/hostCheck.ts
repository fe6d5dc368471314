// The preflight of a config on its target host (files and bridges it names; see
// xl/preflight.ts), turned into "xl (host)" diagnostics on their lines and, before a start, a
// question when something is missing.

import * as vscode from 'vscode';
import type { XenHost } from '../xenService';
import { isBlocking, isXlError, preflight, preflightMessage, scanHostReferences, type PreflightFinding } from '../xl';
import { HOST_DIAGNOSTICS_NAME, fileName } from './configFile';
import { askModal, type CommandContext } from './context';

/**
 * Runs the preflight for the document's text on the host: one `sh` call. Resolves to the
 * findings ([] when the config names nothing to check). Rejects like any runner call.
 */
export async function runPreflight(ctx: CommandContext, host: XenHost, document: vscode.TextDocument, signal?: AbortSignal): Promise<PreflightFinding[]> {
  const references = scanHostReferences(document.getText());
  if (references.length === 0) return [];
  const command = preflight(references);
  // Relative paths resolve as xl resolves them: the config's folder locally, the login folder over ssh.
  if (host.isLocal && document.uri.scheme === 'file') command.cwd = document.uri.fsPath.slice(0, document.uri.fsPath.lastIndexOf('/')) || '/';
  return ctx.service.run(host, command, { signal });
}

export function findingDiagnostics(document: vscode.TextDocument, findings: readonly PreflightFinding[], hostLabel: string): vscode.Diagnostic[] {
  return findings.map((finding) => {
    const line = Math.min(finding.reference.line, Math.max(0, document.lineCount - 1));
    const text = document.lineAt(line).text;
    const at = text.indexOf(finding.reference.value);
    const range = at >= 0 ? new vscode.Range(line, at, line, at + finding.reference.value.length) : document.lineAt(line).range;
    const diagnostic = new vscode.Diagnostic(
      range,
      preflightMessage(finding, hostLabel),
      isBlocking(finding) ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Information,
    );
    diagnostic.source = HOST_DIAGNOSTICS_NAME;
    diagnostic.code = 'xl.host-preflight';
    return diagnostic;
  });
}

/**
 * Before a start: checks the host and, when files or bridges are missing, puts them on their
 * lines and asks. True to go on. A failed check is logged and does not stop the start (xl
 * reports the same problem in its own words), except for cancellation (false) and an ssh
 * failure or timeout, which xl would meet as well (rethrown, for the start's error message).
 */
export async function preflightBeforeStart(ctx: CommandContext, host: XenHost, document: vscode.TextDocument, signal?: AbortSignal): Promise<boolean> {
  let findings: PreflightFinding[];
  try {
    findings = await runPreflight(ctx, host, document, signal);
  } catch (error) {
    if (isXlError(error) && error.kind === 'cancelled') return false;
    // xl would meet the same dead link or hang: report it once, from here.
    if (isXlError(error) && (error.kind === 'ssh' || error.kind === 'timeout')) throw error;
    ctx.service.output.warn(`[${host.label}] could not check the files of ${fileName(document.uri)} before starting: ${error instanceof Error ? error.message : String(error)}`);
    return true;
  }
  const blocking = findings.filter(isBlocking);
  if (findings.length > 0) ctx.hostDiagnostics.set(document.uri, findingDiagnostics(document, findings, host.label));
  if (blocking.length === 0) return true;
  const listed = blocking.slice(0, 5).map((finding) => `line ${finding.reference.line + 1}: ${preflightMessage(finding, host.label)}`);
  if (blocking.length > 5) listed.push(`and ${blocking.length - 5} more`);
  const choice = await askModal(
    `${fileName(document.uri)} names ${blocking.length === 1 ? 'something' : `${blocking.length} things`} that ${host.label} does not have, so xl will probably fail. Start anyway?`,
    listed.join('\n'),
    'Start Anyway',
  );
  return choice === 'Start Anyway';
}
