// "Show config of running guest": `xl list -l NAME` in a read-only JSON document, served by a
// TextDocumentContentProvider under the `xen-config` scheme (VS Code never lets it be saved).

import * as vscode from 'vscode';
import { xl } from '../xl';
import { requireTrust, showError, type CommandContext } from './context';
import { resolveGuests } from './targets';

export const CONFIG_SCHEME = 'xen-config';

/** Serves `xen-config:/<host>/<guest>.json?<hostId, name>`; re-runs xl each time it is opened. */
export class GuestConfigProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly ctx: Pick<CommandContext, 'service'>) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const { hostId, name } = JSON.parse(uri.query) as { hostId: string; name: string };
    const host = this.ctx.service.host(hostId);
    if (host === undefined) return `// The host ${hostId} is no longer in xen.hosts.\n`;
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const details = await this.ctx.service.run(host, xl.listLong(name), { signal: controller.signal });
    // The shape xl prints: [{ "domid": ..., "config": {...} }].
    return `${JSON.stringify(details.map((entry) => ({ domid: entry.domid, config: entry.raw })), null, 4)}\n`;
  }
}

export async function showGuestConfig(ctx: CommandContext, node?: unknown): Promise<void> {
  if (!requireTrust()) return;
  const targets = await resolveGuests(ctx, 'showConfig', node, undefined);
  const target = targets?.[0];
  if (target === undefined) return;
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
  } catch (error) {
    await showError(ctx, error, `read the configuration of ${JSON.stringify(target.domain.name)}`);
  }
}
