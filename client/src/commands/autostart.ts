// Autostart On / Off for a config of the Configs view: the entry in a host's /etc/xen/auto that
// the xendomains service creates at boot. On this machine the entry is a symbolic link to the
// config file; on an ssh host, where the config lives only in the workspace, it is a copy of the
// saved file (the user is told so first, since later edits need Autostart again).

import * as vscode from 'vscode';
import { AUTOSTART_DIR, autostartOf, type HostAutostart } from '../tree/autostart';
import type { XenHost } from '../xenService';
import { hostTools, type XlCommand } from '../xl';
import { configLabel, fileName } from './configFile';
import { abortOn, askModal, choose, requireTrust, showError, type CommandContext } from './context';
import { pickHostForConfig, resolveConfig } from './targets';

export type AutostartOutcome =
  | { status: 'on'; host: string; entryPath: string; kind: 'link' | 'copy' }
  | { status: 'off'; host: string; entryPath: string }
  | { status: 'stopped'; reason: string };

export async function autostartOn(ctx: CommandContext, node?: unknown): Promise<AutostartOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const uri = await resolveConfig(ctx, node);
  if (uri === undefined) return { status: 'stopped', reason: 'no config chosen' };
  const file = fileName(uri);
  // xendomains starts every entry of the folder except hidden ones.
  if (file.startsWith('.')) {
    void vscode.window.showWarningMessage(`${file} cannot autostart: the autostart folder skips names that start with a dot. Rename the config first.`);
    return { status: 'stopped', reason: 'hidden file name' };
  }
  const host = await pickHostForConfig(ctx, uri);
  if (host === undefined) return { status: 'stopped', reason: 'no host chosen' };
  const current = await readHostAutostart(ctx, host, uri);
  if (current === 'failed') return { status: 'stopped', reason: 'the autostart folder could not be read' };
  if (current !== undefined) {
    const message =
      current.kind === 'other'
        ? `${current.entryPath} on ${host.label} exists already and links to ${current.target}, not to this file. Turn Autostart Off first to replace it.`
        : `${file} autostarts on ${host.label} already (${current.entryPath}${current.kind === 'copy' ? ', a copy' : ''}).`;
    void vscode.window.showInformationMessage(message);
    return { status: 'stopped', reason: 'an entry exists' };
  }

  const entryPath = `${AUTOSTART_DIR}/${file}`;
  const dirty = vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString() && document.isDirty);
  const unsaved = dirty ? ' The editor has unsaved changes: they are not in it until you save (and, for a copy, turn Autostart on again).' : '';
  let command: XlCommand<void>;
  let kind: 'link' | 'copy';
  if (host.isLocal && uri.scheme === 'file') {
    kind = 'link';
    command = hostTools.autostartLink(uri.fsPath);
  } else {
    kind = 'copy';
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not read the saved file ${configLabel(uri)}: ${error instanceof Error ? error.message : String(error)}`);
      return { status: 'stopped', reason: 'the saved file could not be read' };
    }
    const answer = await askModal(
      `Copy ${file} to ${entryPath} on ${host.label} so the guest starts at boot?`,
      `The config is not on ${host.label}, so ${host.label} gets a copy of the saved file. It is a copy: later edits of ${configLabel(uri)} reach ${host.label} only when you turn Autostart off and on again.${unsaved}`,
      'Copy and Autostart',
    );
    if (answer !== 'Copy and Autostart') return { status: 'stopped', reason: 'the user did not confirm the copy' };
    command = hostTools.autostartCopy(text, configLabel(uri), file);
  }
  const done = await runAutostartCommand(ctx, host, command, `Turning autostart on for ${file} on ${host.label}…`, `turn autostart on for ${file} on ${host.label}`);
  if (!done) return { status: 'stopped', reason: 'the host refused' };
  const how = kind === 'link' ? `${entryPath} links to ${uri.fsPath}` : `${entryPath} is a copy of the saved file`;
  void vscode.window.showInformationMessage(`${file} now starts when ${host.label} boots: ${how}.${kind === 'link' ? unsaved : ''}`);
  return { status: 'on', host: host.id, entryPath, kind };
}

export async function autostartOff(ctx: CommandContext, node?: unknown): Promise<AutostartOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const uri = await resolveConfig(ctx, node);
  if (uri === undefined) return { status: 'stopped', reason: 'no config chosen' };
  const file = fileName(uri);
  const host = await pickAutostartHost(ctx, uri);
  if (host === undefined) return { status: 'stopped', reason: 'no host chosen' };
  const current = await readHostAutostart(ctx, host, uri);
  if (current === 'failed') return { status: 'stopped', reason: 'the autostart folder could not be read' };
  if (current === undefined) {
    void vscode.window.showInformationMessage(`${file} has no autostart entry on ${host.label}.`);
    return { status: 'stopped', reason: 'no entry' };
  }
  const what =
    current.kind === 'link'
      ? 'a link to this config'
      : current.kind === 'copy'
        ? `a copy of the config${host.isLocal ? '' : `; ${configLabel(uri)} in the workspace stays`}`
        : `a link to ${current.target}, not to this file`;
  const answer = await askModal(
    `Turn autostart off for ${file} on ${host.label}?`,
    `This removes ${current.entryPath} (${what}). The config file itself is not touched, and a running guest keeps running.`,
    'Remove Entry',
  );
  if (answer !== 'Remove Entry') return { status: 'stopped', reason: 'the user did not confirm' };
  const entryName = current.entryPath.slice(current.entryPath.lastIndexOf('/') + 1);
  const done = await runAutostartCommand(ctx, host, hostTools.autostartRemove(entryName), `Turning autostart off for ${file} on ${host.label}…`, `remove ${current.entryPath} on ${host.label}`);
  if (!done) return { status: 'stopped', reason: 'the host refused' };
  vscode.window.setStatusBarMessage(`$(pass) ${file} no longer starts when ${host.label} boots`, 8000);
  return { status: 'off', host: host.id, entryPath: current.entryPath };
}

/**
 * The host to turn autostart off on: the only host, the only one known to autostart the config,
 * or a pick among those that do (or might: their folder could not be read).
 */
async function pickAutostartHost(ctx: CommandContext, uri: vscode.Uri): Promise<XenHost | undefined> {
  const hosts = ctx.service.hosts();
  if (hosts.length <= 1) return pickHostForConfig(ctx, uri);
  const candidates = hosts.filter((host) => {
    const entries = ctx.state.hostState(host.id)?.autostart;
    return entries === undefined || autostartOf(configPath(uri), fileName(uri), [{ hostId: host.id, hostLabel: host.label, isLocal: host.isLocal, entries }]).on.length > 0;
  });
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`${fileName(uri)} has no autostart entry on any host.`);
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const picked = await choose(
    candidates.map((host) => ({ label: host.label, description: host.isLocal ? 'this machine' : 'ssh', host })),
    { placeHolder: `Turn autostart off for ${fileName(uri)} on which host?` },
  );
  return picked?.host;
}

/** The host's entry for the config, read now (the view's last reading may be old), or 'failed'. */
async function readHostAutostart(ctx: CommandContext, host: XenHost, uri: vscode.Uri): Promise<HostAutostart | undefined | 'failed'> {
  try {
    const entries = await ctx.service.run(host, hostTools.autostartEntries());
    return autostartOf(configPath(uri), fileName(uri), [{ hostId: host.id, hostLabel: host.label, isLocal: host.isLocal, entries }]).on[0];
  } catch (error) {
    await showError(ctx, error, `read ${AUTOSTART_DIR} on ${host.label}`);
    return 'failed';
  }
}

async function runAutostartCommand(ctx: CommandContext, host: XenHost, command: XlCommand<void>, title: string, what: string): Promise<boolean> {
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
      ctx.service.run(host, command, { signal: abortOn(token).signal }),
    );
    return true;
  } catch (error) {
    await showError(ctx, error, what);
    return false;
  } finally {
    ctx.state.markAutostartStale(host.id);
    await ctx.refresh.request('action');
  }
}

function configPath(uri: vscode.Uri): string | undefined {
  return uri.scheme === 'file' ? uri.fsPath : undefined;
}
