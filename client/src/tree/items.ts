// The nodes of the Xen views (plain data that commands receive as arguments) and how each becomes
// a TreeItem. Error and trust nodes live here too, so every view explains a failure the same way.

import * as vscode from 'vscode';
import type { DriftItem } from '../drift/compare';
import { DRIFT_MARK, driftTooltipLines } from '../drift/presentation';
import type { XenHost } from '../xenService';
import type { Domain, XlError } from '../xl';
import { figuresDescription, figuresTooltipLines, type GuestFigures } from '../figures/format';
import { autostartDescription, autostartTooltip, type AutostartSummary } from './autostart';
import type { DetailKind, DetailRow } from './details';
import {
  configContextValue,
  configDescription,
  errorPresentation,
  guestContextValue,
  guestDescription,
  guestIcon,
  guestTooltip,
  type ConfigStatus,
  type HealthText,
  type IconSpec,
  type InfoRow,
} from './model';

export type XenNode = HostNode | GuestNode | ConfigNode | InfoNode | MessageNode | DetailGroupNode | DetailNode;

/** A host as a root of the Guests or Host view (only shown when there is more than one place). */
export interface HostNode {
  kind: 'host';
  view: 'guests' | 'host';
  host: XenHost;
  description: string;
  failed: boolean;
  /** Set while the host backs off or is no longer polled; its text replaces the description. */
  health?: HealthText;
}

export interface GuestNode {
  kind: 'guest';
  host: XenHost;
  domain: Domain;
  /** Unique within the view, stable across refreshes (reveal relies on it). */
  id: string;
  multiHost: boolean;
  uptimeSeconds?: number;
  /** How it differs from its workspace config (drift/driftMonitor.ts); absent when it does not or nobody checked. */
  drift?: readonly DriftItem[];
  /** Its devices can be listed below it (a running or paused guest, or Domain-0's vCPUs). */
  expandable?: boolean;
  /** The latest live figures (xentop), while the view is sampled. */
  figures?: GuestFigures;
  /** Why the host's live figures are not available (xentop missing, not root, ...). */
  figuresUnavailable?: string;
}

/** "Disks (2)", "Network (1)", "vCPUs (2)" below an expanded guest. */
export interface DetailGroupNode {
  kind: 'detailGroup';
  id: string;
  label: string;
  description?: string;
  detail: DetailKind;
  host: XenHost;
  guestName: string;
  domid: number;
  children: XenNode[];
}

/** One disk, network interface or vCPU of a guest, with what its actions need. */
export interface DetailNode {
  kind: 'detail';
  id: string;
  host: XenHost;
  guestName: string;
  domid: number;
  row: DetailRow;
}

export interface ConfigNode {
  kind: 'config';
  uri: vscode.Uri;
  /** The guest name from `name = "..."`, if the file has one. */
  name?: string;
  status: ConfigStatus;
  multiHost: boolean;
  /** Shown after the status when workspace folders would make the label ambiguous. */
  folderHint?: string;
  /** Which hosts start it at boot (their /etc/xen/auto), when any host's folder was read. */
  autostart?: AutostartSummary;
}

export interface InfoNode {
  kind: 'info';
  id: string;
  row: InfoRow;
}

/** Everything that is not data: loading, errors, hints, and their actions. */
export interface MessageNode {
  kind: 'message';
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: IconSpec;
  /** `xen.error` (inline "Show log") or `xen.untrusted` (inline "Manage Workspace Trust"). */
  contextValue?: string;
  command?: vscode.Command;
  children?: MessageNode[];
}

/** A reference to a guest that is not a tree node (from a CodeLens). */
export interface GuestRef {
  kind: 'guestRef';
  hostId: string;
  name: string;
}

export function toTreeItem(node: XenNode): vscode.TreeItem {
  switch (node.kind) {
    case 'host':
      return hostItem(node);
    case 'guest':
      return guestItem(node);
    case 'config':
      return configItem(node);
    case 'info':
      return infoItem(node);
    case 'message':
      return messageItem(node);
    case 'detailGroup':
      return detailGroupItem(node);
    case 'detail':
      return detailItem(node);
  }
}

/**
 * An error as an expanded node: the title, then the explanation one sentence per line, then
 * "Show log" and the settings that may fix it. The command line and stderr go in the tooltip.
 */
export function errorNode(idPrefix: string, error: XlError, where?: string): MessageNode {
  const presentation = errorPresentation(error.kind, error.message);
  // The first sentence is the node's description; the rest follow as lines below it.
  const lines = presentation.lines.slice(1).map<MessageNode>((line, index) => ({ kind: 'message', id: `${idPrefix}/line${index}`, label: line, tooltip: line }));
  const actions: MessageNode[] = [
    { kind: 'message', id: `${idPrefix}/log`, label: 'Show log', icon: { id: 'output' }, command: { command: 'xen.showLog', title: 'Show Log' } },
    ...presentation.settings.map<MessageNode>((setting) => ({
      kind: 'message',
      id: `${idPrefix}/setting/${setting}`,
      label: `Open setting ${setting}`,
      icon: { id: 'settings-gear' },
      command: { command: 'workbench.action.openSettings', title: 'Open Setting', arguments: [setting] },
    })),
  ];
  const tooltip = [error.message, error.commandLine ? `\nCommand: ${error.commandLine}` : '', error.detail ? `\n${error.detail}` : ''].join('');
  return {
    kind: 'message',
    id: idPrefix,
    label: where ? `${where}: ${presentation.title}` : presentation.title,
    description: presentation.lines[0],
    tooltip,
    icon: { id: 'error', color: 'errorForeground' },
    contextValue: 'xen.error',
    children: [...lines, ...actions],
  };
}

/** Shown instead of data in an untrusted workspace. */
export function untrustedNode(idPrefix: string): MessageNode {
  return {
    kind: 'message',
    id: `${idPrefix}/untrusted`,
    label: 'Workspace not trusted',
    description: 'xl and ssh are disabled',
    tooltip: 'In an untrusted workspace the Xen extension edits configs but never runs xl or ssh, and ignores xen.xlPath, xen.hosts and xen.sudo.',
    icon: { id: 'shield', color: 'problemsWarningIcon.foreground' },
    contextValue: 'xen.untrusted',
    children: [
      {
        kind: 'message',
        id: `${idPrefix}/untrusted/why`,
        label: 'Trust this workspace to list and run guests.',
        tooltip: 'Settings in a workspace could point xl at any program, so running needs trust.',
      },
      {
        kind: 'message',
        id: `${idPrefix}/untrusted/manage`,
        label: 'Manage Workspace Trust',
        icon: { id: 'workspace-trusted' },
        command: { command: 'xen.manageTrust', title: 'Manage Workspace Trust' },
      },
    ],
  };
}

/** Under a failing host's error: when it is tried next, or that it is no longer polled. */
export function healthNode(idPrefix: string, health: HealthText): MessageNode {
  return {
    kind: 'message',
    id: `${idPrefix}/health`,
    label: health.short.charAt(0).toUpperCase() + health.short.slice(1),
    tooltip: health.long,
    icon: { id: /polling stopped/.test(health.short) ? 'debug-pause' : 'history' },
    command: { command: 'xen.refresh', title: 'Refresh' },
  };
}

export function loadingNode(idPrefix: string, label = 'Asking xl…'): MessageNode {
  return { kind: 'message', id: `${idPrefix}/loading`, label, icon: { id: 'loading~spin' } };
}

// --- builders ---

function themeIcon(icon: IconSpec): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon.id, icon.color === undefined ? undefined : new vscode.ThemeColor(icon.color));
}

function hostItem(node: HostNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.host.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `${node.view}/host/${node.host.id}`;
  item.description = node.health?.short ?? node.description;
  const where = node.host.isLocal ? `This machine (${node.host.label})` : `ssh ${node.host.label}`;
  item.tooltip = node.health ? `${where}\n${node.health.short}\n${node.health.long}` : where;
  item.iconPath = new vscode.ThemeIcon(node.failed ? 'warning' : node.host.isLocal ? 'server' : 'remote');
  item.contextValue = node.host.isLocal ? 'xen.host.local' : 'xen.host.ssh';
  return item;
}

function guestItem(node: GuestNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.domain.name, node.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const drifted = node.drift !== undefined && node.drift.length > 0;
  const description = guestDescription(node.domain, node.uptimeSeconds);
  item.description = (node.figures === undefined ? description : `${description} · ${figuresDescription(node.figures)}`) + (drifted ? ` · ${DRIFT_MARK}` : '');
  const tooltip = guestTooltip(node.domain, { hostLabel: node.multiHost ? node.host.label : undefined, uptimeSeconds: node.uptimeSeconds });
  const figureLines = node.figures !== undefined ? figuresTooltipLines(node.figures) : node.figuresUnavailable !== undefined ? [`Live figures unavailable: ${node.figuresUnavailable}`] : [];
  item.tooltip = [tooltip, ...(figureLines.length === 0 ? [] : ['', ...figureLines]), ...driftTooltipLines(node.drift)].join('\n');
  item.iconPath = themeIcon(guestIcon(node.domain));
  item.contextValue = guestContextValue(node.domain, drifted);
  item.accessibilityInformation = { label: `${node.domain.name}, ${item.description}` };
  return item;
}

function configItem(node: ConfigNode): vscode.TreeItem {
  const base = node.uri.path.slice(node.uri.path.lastIndexOf('/') + 1);
  const item = new vscode.TreeItem(base, vscode.TreeItemCollapsibleState.None);
  item.id = `config/${node.uri.toString()}`;
  item.resourceUri = node.uri;
  const autostart = autostartDescription(node.autostart, node.multiHost);
  const description = autostart === undefined ? configDescription(node.name, node.status, node.multiHost) : `${configDescription(node.name, node.status, node.multiHost)} · ${autostart}`;
  item.description = node.folderHint ? `${description} · ${node.folderHint}` : description;
  item.tooltip = [node.uri.fsPath, description, ...autostartTooltip(node.autostart)].join('\n');
  item.iconPath = new vscode.ThemeIcon(
    node.status.kind === 'running' ? 'vm-running' : 'vm-outline',
    node.status.kind === 'running' ? new vscode.ThemeColor('charts.green') : undefined,
  );
  item.contextValue = configContextValue(node.status, node.autostart);
  item.command = { command: 'vscode.open', title: 'Open Config', arguments: [node.uri] };
  return item;
}

function infoItem(node: InfoNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.row.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = node.row.value;
  item.tooltip = node.row.tooltip ? `${node.row.value}\n${node.row.tooltip}` : node.row.value;
  item.contextValue = 'xen.info';
  return item;
}

function messageItem(node: MessageNode): vscode.TreeItem {
  const state = node.children && node.children.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(node.label, state);
  item.id = node.id;
  item.description = node.description;
  item.tooltip = node.tooltip;
  if (node.icon) item.iconPath = themeIcon(node.icon);
  item.contextValue = node.contextValue;
  item.command = node.command;
  return item;
}

const DETAIL_GROUP_ICONS: Record<DetailKind, string> = { disk: 'database', nic: 'globe', vcpu: 'circuit-board' };

function detailGroupItem(node: DetailGroupNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  item.description = node.description;
  item.iconPath = new vscode.ThemeIcon(DETAIL_GROUP_ICONS[node.detail]);
  item.contextValue = `detailGroup:${node.detail}`;
  return item;
}

function detailItem(node: DetailNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.row.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = node.row.description;
  item.tooltip = node.row.tooltip;
  item.iconPath = themeIcon(node.row.icon);
  item.contextValue = `detail:${node.row.kind}`;
  return item;
}
