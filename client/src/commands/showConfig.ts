// "Show config of running guest": `xl list -l NAME` in a read-only JSON document, served by a
// TextDocumentContentProvider under the `xen-config` scheme (VS Code never lets it be saved).
// Passwords (VNC, SPICE) are hidden unless the user reveals them for that open document; the
// reveal lives in memory only (not in the URI, which VS Code may store to restore editors).

import * as vscode from 'vscode';
import { hidePasswords, xl } from '../xl';
import { offer, requireTrust, showError, type CommandContext } from './context';
import { resolveGuests } from './targets';

export const CONFIG_SCHEME = 'xen-config';

/** Serves `xen-config:/<host>/<guest>.json?<hostId, name>`; re-runs xl each time it is opened. */
export class GuestConfigProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  /** Documents whose passwords the user chose to see, until they are closed. Memory only. */
  private readonly revealed = new Set<string>();
  /** How many passwords the last content of each document hid. */
  private readonly hiddenCounts = new Map<string, number>();
  private readonly closing: vscode.Disposable;

  constructor(private readonly ctx: Pick<CommandContext, 'service'>) {
    // NOTE: changing a document's language closes and reopens it, so only the reveal is dropped
    // here (a closed document shows its passwords hidden again); the counts are a few numbers.
    this.closing = vscode.workspace.onDidCloseTextDocument((document) => this.revealed.delete(document.uri.toString()));
  }

  /** Passwords hidden in the document's current content (0 when none, or when revealed). */
  hiddenPasswords(uri: vscode.Uri): number {
    return this.hiddenCounts.get(uri.toString()) ?? 0;
  }

  /** Shows the passwords of this one document until it is closed. */
  reveal(uri: vscode.Uri): void {
    this.revealed.add(uri.toString());
    this.changes.fire(uri);
  }

  dispose(): void {
    this.closing.dispose();
    this.changes.dispose();
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const { hostId, name } = JSON.parse(uri.query) as { hostId: string; name: string };
    const host = this.ctx.service.host(hostId);
    if (host === undefined) return `// The host ${hostId} is no longer in xen.hosts.\n`;
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const details = await this.ctx.service.run(host, xl.listLong(name), { signal: controller.signal });
    // The shape xl prints: [{ "domid": ..., "config": {...} }].
    const shown = details.map((entry) => ({ domid: entry.domid, config: entry.raw }));
    const key = uri.toString();
    if (this.revealed.has(key)) {
      this.hiddenCounts.set(key, 0);
      return `${JSON.stringify(shown, null, 4)}\n`;
    }
    const { value, hidden } = hidePasswords(shown);
    this.hiddenCounts.set(key, hidden);
    return `${JSON.stringify(value, null, 4)}\n`;
  }
}

/** What Show Running Configuration did, for tests: the document, and how many passwords it hid. */
export interface ShowConfigOutcome {
  uri: vscode.Uri;
  hidden: number;
  revealed: boolean;
}

export async function showGuestConfig(ctx: CommandContext, node?: unknown): Promise<ShowConfigOutcome | undefined> {
  if (!requireTrust()) return undefined;
  const targets = await resolveGuests(ctx, 'showConfig', node, undefined);
  const target = targets?.[0];
  if (target === undefined) return undefined;
  // The path is for the tab title only; the query carries the exact host and name.
  const safe = target.domain.name.replace(/[/\\\0-\x1f]/g, '_');
  const uri = vscode.Uri.from({
    scheme: CONFIG_SCHEME,
    path: `/${target.host.label.replace(/[/\\]/g, '_')}/${safe}.json`,
    query: JSON.stringify({ hostId: target.host.id, name: target.domain.name }),
  });
  try {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
    const hidden = ctx.configProvider?.hiddenPasswords(uri) ?? 0;
    if (hidden > 0) {
      const choice = await offer(
        `${hidden === 1 ? 'A password' : `${hidden} passwords`} of ${JSON.stringify(target.domain.name)} ${hidden === 1 ? 'is' : 'are'} hidden as "(hidden)".`,
        'Reveal Passwords',
      );
      if (choice === 'Reveal Passwords') ctx.configProvider?.reveal(uri);
      return { uri, hidden, revealed: choice === 'Reveal Passwords' };
    }
    return { uri, hidden, revealed: false };
  } catch (error) {
    await showError(ctx, error, `read the configuration of ${JSON.stringify(target.domain.name)}`);
    return undefined;
  }
}
