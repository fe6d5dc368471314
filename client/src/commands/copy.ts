// Copy a guest's name or domain id (of one guest or a selection, one per line) to the clipboard.

import * as vscode from 'vscode';
import type { CommandContext } from './context';
import { resolveGuests } from './targets';

export function copyGuestName(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  return copy(ctx, node, nodes, (target) => target.domain.name);
}

export function copyGuestId(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  return copy(ctx, node, nodes, (target) => String(target.domain.id));
}

async function copy(
  ctx: CommandContext,
  node: unknown,
  nodes: unknown,
  pick: (target: { domain: { name: string; id: number } }) => string,
): Promise<void> {
  const targets = await resolveGuests(ctx, 'copy', node, nodes);
  if (targets === undefined) return;
  await vscode.env.clipboard.writeText(targets.map(pick).join('\n'));
  vscode.window.setStatusBarMessage(`Copied ${targets.length === 1 ? JSON.stringify(pick(targets[0])) : `${targets.length} lines`}`, 3000);
}
