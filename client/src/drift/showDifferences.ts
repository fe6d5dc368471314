// "Show Differences from Config": a side-by-side diff of what a running guest's config file says
// (left) and what the guest runs (right), as `key = value` lines with the same keys on both
// sides. The two sides are read-only virtual documents (`xen-drift:`) filled from the drift
// monitor's last check, which the command runs again first.

import * as vscode from 'vscode';
import { choose, requireTrust, type CommandContext } from '../commands/context';
import { isNode, runningGuestOfConfig } from '../commands/targets';
import { configLabel } from '../commands/configFile';
import { readingLines, type DriftItem } from './compare';
import { DRIFT_DIAGNOSTIC_CODE, type DriftMonitor } from './driftMonitor';

export const DRIFT_SCHEME = 'xen-drift';

type Side = 'config' | 'running';

export type DifferencesOutcome =
  | { status: 'shown'; host: string; name: string; items: DriftItem[]; config: string; running: string }
  | { status: 'stopped'; reason: string };

/** Serves `xen-drift:/<host>/<name> (config|running)?<json>` from the monitor's last readings. */
export class DriftDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly monitor: DriftMonitor) {
    this.subscription = monitor.onDidChange(() => this.refreshOpen());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const { hostId, name, side } = parseQuery(uri);
    return sideText(this.monitor, hostId, name, side);
  }

  /** Re-reads every open drift document (after a check). */
  refreshOpen(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === DRIFT_SCHEME) this.changes.fire(document.uri);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changes.dispose();
  }
}

export function driftUri(hostId: string, hostLabel: string, name: string, side: Side): vscode.Uri {
  return vscode.Uri.from({
    scheme: DRIFT_SCHEME,
    path: `/${hostLabel}/${name} (${side})`,
    query: JSON.stringify({ hostId, name, side }),
  });
}

/** The lines of one side; the other side has the same keys in the same order. */
export function sideText(monitor: DriftMonitor, hostId: string, name: string, side: Side): string {
  const result = monitor.result(hostId, name);
  if (result?.file === undefined || result.running === undefined) {
    const why = result?.error ?? 'it has not been compared with a config file in this workspace';
    return `# No reading of ${name}: ${why}\n`;
  }
  const lines = readingLines(result.file, result.running);
  return `${(side === 'config' ? lines.file : lines.running).join('\n')}\n`;
}

/** The command: (node?) → the guest (tree node, CodeLens reference, Configs node, or a pick). */
export async function showDifferences(ctx: CommandContext, node?: unknown): Promise<DifferencesOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const monitor = ctx.drift;
  if (monitor === undefined) return { status: 'stopped', reason: 'drift checks are not running' };
  const target = await resolveTarget(ctx, monitor, node);
  if ('reason' in target) return target;
  const { hostId, name } = target;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Comparing ${name} with its config…` }, () => monitor.recheck(hostId, name));
  const result = monitor.result(hostId, name);
  if (result === undefined) {
    void vscode.window.showInformationMessage(`${JSON.stringify(name)} is not running, or no config file in this workspace has name = "${name}".`);
    return { status: 'stopped', reason: 'not watched' };
  }
  if (result.error !== undefined || result.file === undefined || result.running === undefined) {
    // Not awaited: the message stays until dismissed; the command ends now.
    void vscode.window.showErrorMessage(`Could not compare ${JSON.stringify(name)} with ${configLabel(result.uri)}: ${result.error ?? 'no reading'}`, 'Show Log').then((choice) => {
      if (choice === 'Show Log') ctx.service.showLog();
    });
    return { status: 'stopped', reason: result.error ?? 'no reading' };
  }
  const hostLabel = ctx.service.host(hostId)?.label ?? hostId;
  const left = driftUri(hostId, hostLabel, name, 'config');
  const right = driftUri(hostId, hostLabel, name, 'running');
  ctx.driftDocuments?.refreshOpen();
  await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: config ↔ running`, { preview: true });
  return {
    status: 'shown',
    host: hostId,
    name,
    items: result.items,
    config: sideText(monitor, hostId, name, 'config'),
    running: sideText(monitor, hostId, name, 'running'),
  };
}

/**
 * The code action on a drift diagnostic: Show Differences for the guest(s) this file describes.
 * Offered only where the monitor put a diagnostic.
 */
export class DriftCodeActions implements vscode.CodeActionProvider {
  // A quick fix in VS Code's terms: that is where the diagnostic's hover and lightbulb look.
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly monitor: DriftMonitor) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const drift = context.diagnostics.filter((diagnostic) => diagnostic.code === DRIFT_DIAGNOSTIC_CODE);
    if (drift.length === 0) return [];
    return this.monitor
      .results()
      .filter((result) => result.uri.toString() === document.uri.toString() && result.items.length > 0)
      .map((result) => {
        const action = new vscode.CodeAction(`Show differences between ${result.name} and this file`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = drift;
        action.command = { command: 'xen.guest.showDifferences', title: 'Show Differences from Config', arguments: [{ kind: 'guestRef', hostId: result.hostId, name: result.name }] };
        return action;
      });
  }
}

// --- internals ---

async function resolveTarget(ctx: CommandContext, monitor: DriftMonitor, node: unknown): Promise<{ hostId: string; name: string } | { status: 'stopped'; reason: string }> {
  if (isNode(node)) {
    if (node.kind === 'guest') return { hostId: node.host.id, name: node.domain.name };
    if (node.kind === 'guestRef') return { hostId: node.hostId, name: node.name };
    if (node.kind === 'config') {
      const running = runningGuestOfConfig(ctx, node);
      if (running !== undefined) return { hostId: running.host.id, name: running.domain.name };
      void vscode.window.showInformationMessage('That config\'s guest is not running: there is nothing to compare.');
      return { status: 'stopped', reason: 'not running' };
    }
  }
  await monitor.settled();
  const results = monitor.results();
  if (results.length === 0) {
    void vscode.window.showInformationMessage('No running guest has a config file in this workspace to compare with.');
    return { status: 'stopped', reason: 'nothing to compare' };
  }
  // Drifted guests first: those are the ones worth a look.
  const ordered = [...results].sort((a, b) => Number(b.items.length > 0) - Number(a.items.length > 0) || a.name.localeCompare(b.name));
  const picked = await choose(
    ordered.map((result) => ({
      label: result.name,
      description: result.items.length > 0 ? `${result.items.length} difference${result.items.length === 1 ? '' : 's'}` : 'same as its config',
      detail: `${ctx.service.host(result.hostId)?.label ?? result.hostId} · ${configLabel(result.uri)}`,
      result,
    })),
    { placeHolder: 'Show the differences of which guest from its config?' },
  );
  if (picked === undefined) return { status: 'stopped', reason: 'no guest chosen' };
  return { hostId: picked.result.hostId, name: picked.result.name };
}

function parseQuery(uri: vscode.Uri): { hostId: string; name: string; side: Side } {
  try {
    const value = JSON.parse(uri.query) as { hostId?: unknown; name?: unknown; side?: unknown };
    if (typeof value.hostId === 'string' && typeof value.name === 'string' && (value.side === 'config' || value.side === 'running')) {
      return { hostId: value.hostId, name: value.name, side: value.side };
    }
  } catch {
    // Handled below: a hand-made URI gets the same answer as any malformed one.
  }
  return { hostId: '', name: uri.path, side: 'config' };
}
