// Turns a command's arguments into what it acts on: a tree node, a multi-selection, a CodeLens
// reference, an explorer/editor URI, or nothing (then a quick pick), so one function serves the
// palette, the tree and the editor.

import * as vscode from 'vscode';
import type { ConfigNode, GuestRef, XenNode } from '../tree/items';
import { guestDescription } from '../tree/model';
import type { XenHost } from '../xenService';
import type { Domain } from '../xl';
import { choose, type CommandContext } from './context';
import { actionApplies, actionPhrase, partitionTargets, rememberHost, selectTargets, type GuestAction } from './policy';

export interface GuestTarget {
  host: XenHost;
  domain: Domain;
}

/**
 * The guests an action should run on, or undefined when there is nothing to do (the user
 * cancelled a pick, or no selected guest is in a state the action applies to; then we say so).
 */
export async function resolveGuests(
  ctx: CommandContext,
  action: GuestAction,
  node: unknown,
  nodes: unknown,
): Promise<GuestTarget[] | undefined> {
  let targets: GuestTarget[];
  if (!isNode(node)) {
    // From the palette (or with an argument that is not ours, such as a file URI): ask.
    const picked = await pickGuest(ctx, action);
    if (picked === undefined) return undefined;
    targets = [picked];
  } else {
    const selected = Array.isArray(nodes) ? (nodes as XenNode[]) : undefined;
    const chosen = selectTargets(node as XenNode, selected, (a, b) => nodeKey(a) === nodeKey(b));
    targets = chosen.map((item) => toGuestTarget(ctx, item)).filter((target): target is GuestTarget => target !== undefined);
  }
  const { applicable, skipped } = partitionTargets(action, targets);
  if (applicable.length === 0) {
    const names = skipped.map((target) => JSON.stringify(target.domain.name)).join(', ');
    const verb = actionPhrase(action);
    void vscode.window.showInformationMessage(
      names ? `Cannot ${verb} ${names} in its current state.` : 'That guest is not running (any more). Refresh the Xen view.',
    );
    return undefined;
  }
  if (skipped.length > 0) {
    const names = skipped.map((target) => JSON.stringify(target.domain.name)).join(', ');
    vscode.window.setStatusBarMessage(`Xen: skipped ${names} (not in a state for this action)`, 8000);
  }
  return applicable;
}

/** The config file a command acts on: a Configs node, a URI, the active xl editor, or a pick. */
export async function resolveConfig(ctx: CommandContext, arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (isNode(arg) && arg.kind === 'config') return arg.uri;
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId === 'xl' && editor.document.uri.scheme === 'file') return editor.document.uri;
  const files = await ctx.configs.ready();
  if (files.length === 0) {
    void vscode.window.showInformationMessage('No xl guest configs in this workspace. Open a folder such as /etc/xen, or a config file.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((file) => ({ label: file.uri.path.slice(file.uri.path.lastIndexOf('/') + 1), description: file.name ? JSON.stringify(file.name) : '', detail: file.uri.fsPath, uri: file.uri })),
    { placeHolder: 'Choose an xl config', matchOnDetail: true },
  );
  return picked?.uri;
}

/** workspaceState key of the host last chosen per config (URI → host id; nothing secret). */
const HOST_CHOICES_KEY = 'xen.hostForConfig';

/**
 * The host to run a config on: the only host, or the user's pick when xen.hosts has several,
 * with the last choice for this file offered first (and remembered again).
 */
export async function pickHostForConfig(ctx: CommandContext, uri: vscode.Uri): Promise<XenHost | undefined> {
  const hosts = ctx.service.hosts();
  if (hosts.length === 0) {
    void vscode.window.showInformationMessage('No Xen host to run on: xen.hosts is empty here.');
    return undefined;
  }
  if (hosts.length === 1) return hosts[0];
  const key = uri.toString();
  const choices = ctx.memento?.get<Record<string, string>>(HOST_CHOICES_KEY);
  const last = choices?.[key];
  const ordered = [...hosts].sort((a, b) => Number(b.id === last) - Number(a.id === last));
  const picked = await choose(
    ordered.map((host) => ({
      label: host.label,
      description: [host.isLocal ? 'this machine' : 'ssh', host.id === last ? 'last used for this file' : ''].filter(Boolean).join(' · '),
      detail: host.isLocal ? undefined : "xl there gets the editor's text of the config",
      host,
    })),
    { placeHolder: `Run ${uri.path.slice(uri.path.lastIndexOf('/') + 1)} on which host?` },
  );
  if (picked === undefined) return undefined;
  await ctx.memento?.update(HOST_CHOICES_KEY, rememberHost(choices, key, picked.host.id));
  return picked.host;
}

/** The guest a config describes, when it runs somewhere (the local host first). */
export function runningGuestOfConfig(ctx: CommandContext, node: ConfigNode): GuestTarget | undefined {
  if (node.status.kind !== 'running') return undefined;
  const match = node.status.matches.find((candidate) => candidate.hostId === 'local') ?? node.status.matches[0];
  const host = ctx.service.host(match.hostId);
  return host ? { host, domain: match.domain } : undefined;
}

/**
 * The host a command acts on: the host of the node it was given (a host, a guest, or a guest's
 * device), else the only host, else the user's pick. Undefined when there is no host (after
 * saying so) or the pick was dismissed.
 */
export async function resolveHost(ctx: CommandContext, node: unknown, placeHolder: string): Promise<XenHost | undefined> {
  if (isNode(node) && (node.kind === 'host' || node.kind === 'guest' || node.kind === 'detail' || node.kind === 'detailGroup')) {
    return ctx.service.host(node.host.id) ?? node.host;
  }
  const hosts = ctx.service.hosts();
  if (hosts.length === 0) {
    void vscode.window.showInformationMessage('No Xen host: xen.hosts is empty here.');
    return undefined;
  }
  if (hosts.length === 1) return hosts[0];
  const picked = await choose(
    hosts.map((host) => ({ label: host.label, description: host.isLocal ? 'this machine' : 'ssh', host })),
    { placeHolder },
  );
  return picked?.host;
}

export function isNode(value: unknown): value is XenNode | GuestRef {
  return typeof value === 'object' && value !== null && 'kind' in value && typeof value.kind === 'string';
}

// --- internals ---

function nodeKey(node: XenNode): string {
  if (node.kind === 'guest') return node.id;
  if (node.kind === 'config') return node.uri.toString();
  return `${node.kind}:${'id' in node ? node.id : ''}`;
}

function toGuestTarget(ctx: CommandContext, item: XenNode | GuestRef): GuestTarget | undefined {
  if (item.kind === 'guest') return { host: item.host, domain: item.domain };
  if (item.kind === 'guestRef') {
    const host = ctx.service.host(item.hostId);
    const domain = ctx.state.findDomain(item.hostId, item.name);
    return host && domain ? { host, domain } : undefined;
  }
  if (item.kind === 'config') return runningGuestOfConfig(ctx, item);
  return undefined;
}

async function pickGuest(ctx: CommandContext, action: GuestAction): Promise<GuestTarget | undefined> {
  if (!ctx.state.hosts().some((host) => host.domains !== undefined)) {
    // Nothing known yet: ask the hosts, and show that we wait (a host that does not answer takes
    // up to ssh's 10 s connect timeout).
    const names = ctx.state.hosts().map((host) => host.host.label).join(', ');
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Asking ${names || 'the Xen host'} for its guests…` },
      () => ctx.refresh.request('user'),
    );
  }
  const multiHost = ctx.state.multiHost;
  const items = ctx.state.hosts().flatMap((host) =>
    (host.domains ?? [])
      .filter((domain) => actionApplies(action, domain))
      .map((domain) => ({
        label: domain.name,
        description: guestDescription(domain),
        detail: multiHost ? host.host.label : undefined,
        target: { host: host.host, domain },
      })),
  );
  if (items.length === 0) {
    const failed = ctx.state.hosts().find((host) => host.listError);
    void vscode.window.showInformationMessage(
      failed?.listError ? `No guests to choose from: ${failed.listError.message}` : 'No guest is in a state for this action.',
    );
    return undefined;
  }
  const phrase = actionPhrase(action);
  const picked = await vscode.window.showQuickPick(items, { placeHolder: `${phrase[0].toUpperCase()}${phrase.slice(1)}: choose a guest`, matchOnDescription: true });
  return picked?.target;
}
