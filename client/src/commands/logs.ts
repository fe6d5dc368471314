// Open Log… (a guest's xl or qemu-dm log from /var/log/xen), Show Hypervisor Messages (`xl
// dmesg`), and Follow / Stop Following in a log's editor title. The documents are virtual and
// read-only (logs/logDocuments.ts); nothing is written anywhere.

import * as vscode from 'vscode';
import type { XenHost } from '../xenService';
import { formatSize, guestLogFile, guestLogFiles, LOG_DIR, type GuestLogKind, type LogFileEntry } from '../xl';
import type { LogSource } from '../logs/logDocuments';
import { abortOn, choose, requireTrust, showError, type CommandContext } from './context';
import { resolveOneGuest } from './guestDetails';
import { isNode, pickHostForConfig, resolveHost } from './targets';

/** What Open Log and Show Hypervisor Messages did, for the tests. `uri` is the document's. */
export type LogOutcome =
  | { status: 'opened'; uri: string; host: string; file: string; sizeBytes: number; cut: boolean }
  | { status: 'missing'; host: string; path: string; message: string }
  | { status: 'failed'; message: string }
  | { status: 'stopped'; reason: string };

export type FollowOutcome = { status: 'following' | 'not-following'; uri: string } | { status: 'stopped'; reason: string };

/** A reference to a guest whose logs are wanted; it need not run (a failed start has no domain). */
export interface LogGuest {
  host: XenHost;
  name: string;
}

/**
 * `xen.guest.openLog(node?, kind?)`: with kind `'xl'` or `'qemu'` the current log of that kind
 * opens at once; otherwise the guest's logs (current and rotated, with sizes) are offered.
 */
export async function openGuestLog(ctx: CommandContext, node?: unknown, kindArg?: unknown): Promise<LogOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const guest = await resolveLogGuest(ctx, node);
  if (guest === undefined) return { status: 'stopped', reason: 'no guest chosen' };
  const kind: GuestLogKind | undefined = kindArg === 'xl' || kindArg === 'qemu' ? kindArg : undefined;
  let file: string | { none: string } | undefined;
  try {
    file = kind === undefined ? await pickLogFile(ctx, guest) : guestLogFile(kind, guest.name);
  } catch (error) {
    if (error instanceof RangeError) {
      const message = `${JSON.stringify(guest.name)} has no log file: ${error.message}`;
      void vscode.window.showInformationMessage(message);
      return { status: 'failed', message };
    }
    // Not awaited: the message stays until dismissed; the command ends now.
    void showError(ctx, error, `list the logs of ${JSON.stringify(guest.name)} on ${guest.host.label}`);
    return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  if (file === undefined) return { status: 'stopped', reason: 'no log chosen' };
  if (typeof file !== 'string') {
    void vscode.window.showInformationMessage(file.none);
    return { status: 'missing', host: guest.host.id, path: LOG_DIR, message: file.none };
  }
  return openLogDocument(ctx, { kind: 'file', host: guest.host, file }, file);
}

/** `xen.host.dmesg(node?)`: the hypervisor's messages of the node's host, or a picked one. */
export async function showHypervisorMessages(ctx: CommandContext, node?: unknown): Promise<LogOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const host = await resolveHost(ctx, node, 'Show the hypervisor messages of which host?');
  if (host === undefined) return { status: 'stopped', reason: 'no host chosen' };
  return openLogDocument(ctx, { kind: 'dmesg', host }, 'xl dmesg');
}

/** `xen.log.follow(uri?)`: from the editor title (which passes the document's URI) or the palette. */
export function followLog(ctx: CommandContext, arg?: unknown): FollowOutcome {
  const uri = logUriOf(ctx, arg);
  if (uri === undefined || ctx.logs === undefined) return { status: 'stopped', reason: 'no log document' };
  if (!ctx.logs.follow(uri)) return { status: 'stopped', reason: 'that log is not loaded any more' };
  vscode.window.setStatusBarMessage('$(sync~spin) Following the log: new lines appear at its end every 2 s', 4000);
  return { status: 'following', uri: uri.toString() };
}

export function stopFollowingLog(ctx: CommandContext, arg?: unknown): FollowOutcome {
  const uri = logUriOf(ctx, arg);
  if (uri === undefined || ctx.logs === undefined) return { status: 'stopped', reason: 'no log document' };
  ctx.logs.stopFollowing(uri);
  return { status: 'not-following', uri: uri.toString() };
}

// --- internals ---

async function openLogDocument(ctx: CommandContext, source: LogSource, title: string): Promise<LogOutcome> {
  const logs = ctx.logs;
  if (logs === undefined) return { status: 'failed', message: 'log documents are not available' };
  const host = source.host;
  let result;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading ${title} on ${host.label}…`, cancellable: true },
      (_progress, token) => logs.load(source, abortOn(token).signal),
    );
  } catch (error) {
    void showError(ctx, error, `read ${title} on ${host.label}`);
    return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  if (result.status === 'missing') {
    const message = `${result.path} does not exist on ${host.label}. xl writes it when the guest is started; a guest started by another tool may have none.`;
    void vscode.window.showInformationMessage(message);
    return { status: 'missing', host: host.id, path: result.path, message };
  }
  let document = await vscode.workspace.openTextDocument(result.uri);
  try {
    document = await vscode.languages.setTextDocumentLanguage(document, 'log');
  } catch {
    // VS Code's own Log language is missing in this editor build: the log shows as plain text.
  }
  await vscode.window.showTextDocument(document, { preview: false });
  return { status: 'opened', uri: result.uri.toString(), host: host.id, file: source.kind === 'file' ? source.file : 'xl dmesg', sizeBytes: result.sizeBytes, cut: result.cut };
}

/** The guest's logs as a pick, the current xl log first: the file, why there is none, or undefined when dismissed. */
async function pickLogFile(ctx: CommandContext, guest: LogGuest): Promise<string | { none: string } | undefined> {
  const listing = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Listing the logs of ${JSON.stringify(guest.name)} on ${guest.host.label}…`, cancellable: true },
    (_progress, token) => ctx.service.run(guest.host, guestLogFiles(guest.name), { signal: abortOn(token).signal }),
  );
  if (listing.files.length === 0) {
    return {
      none: listing.folderExists
        ? `No logs of ${JSON.stringify(guest.name)} in ${LOG_DIR} on ${guest.host.label} (looked for ${guestLogFile('xl', guest.name)} and ${guestLogFile('qemu', guest.name)}, and older copies of them).`
        : `${LOG_DIR} does not exist on ${guest.host.label}.`,
    };
  }
  const now = Date.now() / 1000;
  const picked = await choose(
    listing.files.map((entry) => ({ label: entry.file, description: logDescription(entry, now), detail: logDetail(entry), file: entry.file })),
    { placeHolder: `Which log of ${JSON.stringify(guest.name)} on ${guest.host.label}?${listing.truncated ? ' (the oldest are not listed)' : ''}` },
  );
  return picked?.file;
}

function logDescription(entry: LogFileEntry, nowSeconds: number): string {
  const age = entry.modifiedSeconds === undefined ? undefined : ageText(nowSeconds - entry.modifiedSeconds);
  return [formatSize(entry.sizeBytes), age === undefined ? undefined : `changed ${age}`].filter(Boolean).join(' · ');
}

function logDetail(entry: LogFileEntry): string {
  const what = entry.kind === 'xl' ? 'xl (creation, devices, shutdown)' : 'device model (qemu: emulated disks, network, display)';
  return entry.generation === 0 ? `The current ${what} log` : `An older ${what} log, from an earlier start`;
}

function ageText(seconds: number): string {
  if (seconds < 90) return 'just now';
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

async function resolveLogGuest(ctx: CommandContext, node: unknown): Promise<LogGuest | undefined> {
  if (isNode(node)) {
    const item = node;
    switch (item.kind) {
      case 'guest':
        if (item.domain.id === 0) {
          void vscode.window.showInformationMessage('Domain-0 has no xl log. Its hypervisor messages are in "Xen: Show Hypervisor Messages (xl dmesg)".');
          return undefined;
        }
        return { host: item.host, name: item.domain.name };
      case 'guestRef': {
        const host = ctx.service.host(item.hostId);
        if (host === undefined) void vscode.window.showInformationMessage(`The host ${item.hostId} is not in xen.hosts any more.`);
        return host && { host, name: item.name };
      }
      case 'detail':
      case 'detailGroup':
        return { host: item.host, name: item.guestName };
      case 'config': {
        if (item.name === undefined) {
          void vscode.window.showInformationMessage('This config sets no name, so its logs cannot be found.');
          return undefined;
        }
        const running = item.status.kind === 'running' ? item.status.matches[0] : undefined;
        const host = running ? ctx.service.host(running.hostId) : await pickHostForConfig(ctx, item.uri);
        return host && { host, name: item.name };
      }
      default:
        break;
    }
  }
  const target = await resolveOneGuest(ctx, 'log', undefined);
  return target && { host: target.host, name: target.domain.name };
}


function logUriOf(ctx: CommandContext, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri && ctx.logs?.isLog(arg)) return arg;
  if (typeof arg === 'string') {
    const parsed = vscode.Uri.parse(arg);
    if (ctx.logs?.isLog(parsed)) return parsed;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active !== undefined && ctx.logs?.isLog(active)) return active;
  void vscode.window.showInformationMessage('Open a log first (Xen: Open Log… or Xen: Show Hypervisor Messages).');
  return undefined;
}
