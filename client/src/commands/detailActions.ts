// The actions on a guest's device nodes: copy an interface's MAC, copy a disk's target, and open
// the guest's workspace config with the `disk =` / `vif =` entry of that device selected.

import * as vscode from 'vscode';
import type { DetailNode } from '../tree/items';
import { locateConfigEntry, type ConfigEntryQuery } from './configLine';
import type { CommandContext } from './context';
import { findGuestConfig } from './guestDetails';
import { isNode } from './targets';

export type DetailActionOutcome =
  | { status: 'copied'; text: string }
  | { status: 'opened'; uri: string; line: number; matched: 'entry' | 'key' | 'none' }
  | { status: 'stopped'; reason: string };

export async function copyDetailMac(_ctx: CommandContext, node?: unknown): Promise<DetailActionOutcome> {
  const detail = detailNode(node, 'nic');
  if (detail?.row.mac === undefined) return { status: 'stopped', reason: 'not a network interface' };
  return copy(detail.row.mac);
}

export async function copyDetailTarget(_ctx: CommandContext, node?: unknown): Promise<DetailActionOutcome> {
  const detail = detailNode(node, 'disk');
  if (detail === undefined) return { status: 'stopped', reason: 'not a disk' };
  if (detail.row.target === undefined) {
    void vscode.window.showInformationMessage(detail.row.cdrom ? `The CD drive ${detail.row.vdev ?? ''} is empty.` : 'The target of this disk is not known (xl list -l did not name it).');
    return { status: 'stopped', reason: 'no target' };
  }
  return copy(detail.row.target);
}

/**
 * Opens the config whose `name` is the guest's (a pick among several) and selects the entry of
 * this disk (by target, else virtual device) or interface (by MAC, else position), falling back to
 * the `disk` / `vif` key, then to the top of the file.
 */
export async function openDetailConfigLine(ctx: CommandContext, node?: unknown): Promise<DetailActionOutcome> {
  const detail = detailNode(node);
  if (detail === undefined || detail.row.kind === 'vcpu') return { status: 'stopped', reason: 'not a disk or network interface' };
  const uri = await findGuestConfig(ctx, detail.guestName);
  if (uri === undefined) return { status: 'stopped', reason: 'no config of this guest in the workspace' };
  const document = await vscode.workspace.openTextDocument(uri);
  const row = detail.row;
  const query: ConfigEntryQuery =
    row.kind === 'disk'
      ? { key: 'disk', needles: [row.target ?? '', row.vdev ?? ''] }
      : { key: 'vif', needles: [row.mac ?? ''], index: row.devid, ignoreCase: true };
  const span = locateConfigEntry(document.getText(), query);
  const selection = span === undefined ? new vscode.Range(0, 0, 0, 0) : new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
  await vscode.window.showTextDocument(document, { selection, preview: false });
  if (span === undefined) vscode.window.setStatusBarMessage(`${uri.path.slice(uri.path.lastIndexOf('/') + 1)} has no ${query.key} = line`, 6000);
  return { status: 'opened', uri: uri.toString(), line: selection.start.line, matched: span?.matched ?? 'none' };
}

function detailNode(node: unknown, kind?: DetailNode['row']['kind']): DetailNode | undefined {
  if (!isNode(node) || node.kind !== 'detail') return undefined;
  const detail = node;
  return kind === undefined || detail.row.kind === kind ? detail : undefined;
}

async function copy(text: string): Promise<DetailActionOutcome> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
  return { status: 'copied', text };
}
