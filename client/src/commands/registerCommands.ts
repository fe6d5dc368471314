// The table of Xen commands: id → function. Every function takes `(node?, nodes?)` as VS Code
// passes them (tree item and selection, a URI from the explorer or editor, a CodeLens argument,
// or nothing from the palette).

import * as vscode from 'vscode';
import { VIEW_IDS } from '../tree/views';
import type { CommandContext } from './context';
import { autostartOff, autostartOn } from './autostart';
import { openConsole, showVnc } from './console';
import { copyGuestId, copyGuestName } from './copy';
import { deleteGuest } from './deleteGuest';
import { copyDetailMac, copyDetailTarget, openDetailConfigLine } from './detailActions';
import { finishInstall } from './finishInstall';
import { openHostDashboard } from './hostDashboard';
import { openGraphicalConsole, saveScreenshot, sendCtrlAltDel, sendKey, typeClipboard, typeText } from './graphicalConsole';
import { destroyGuest, pauseGuest, rebootGuest, unpauseGuest } from './guestLifecycle';
import type { CommandId } from './ids';
import { ejectIso, insertIso } from './installMedia';
import { followLog, openGuestLog, showHypervisorMessages, stopFollowingLog } from './logs';
import { migrateGuest } from './migrate';
import { newGuest } from './newGuest';
import { setMemory, setVcpus } from './resources';
import { restoreGuest, saveGuest } from './saveRestore';
import { showGuestConfig } from './showConfig';
import { shutdownGuest } from './shutdownGuest';
import { startGuest, startGuestWithConsole } from './startGuest';
import { resolveConfig } from './targets';
import { validateConfig } from './validateConfig';
import { showDifferences } from '../drift/showDifferences';

type Handler = (ctx: CommandContext, node?: unknown, nodes?: unknown) => unknown;

const HANDLERS: Record<CommandId, Handler> = {
  'xen.refresh': refreshViews,
  'xen.showLog': (ctx) => ctx.service.showLog(),
  'xen.manageTrust': () => vscode.commands.executeCommand('workbench.trust.manage'),
  'xen.config.start': startGuest,
  'xen.config.startWithConsole': startGuestWithConsole,
  'xen.config.validate': validateConfig,
  'xen.config.open': openConfig,
  'xen.guest.console': openConsole,
  'xen.guest.graphicalConsole': openGraphicalConsole,
  'xen.guest.vnc': showVnc,
  'xen.console.sendCtrlAltDel': sendCtrlAltDel,
  'xen.console.sendKey': sendKey,
  'xen.console.typeText': typeText,
  'xen.console.typeClipboard': typeClipboard,
  'xen.console.screenshot': saveScreenshot,
  'xen.guest.shutdown': shutdownGuest,
  'xen.guest.reboot': rebootGuest,
  'xen.guest.pause': pauseGuest,
  'xen.guest.unpause': unpauseGuest,
  'xen.guest.destroy': destroyGuest,
  'xen.guest.insertIso': insertIso,
  'xen.guest.ejectIso': ejectIso,
  'xen.guest.finishInstall': finishInstall,
  'xen.guest.delete': deleteGuest,
  'xen.config.autostartOn': autostartOn,
  'xen.config.autostartOff': autostartOff,
  'xen.guest.showConfig': showGuestConfig,
  'xen.guest.copyName': copyGuestName,
  'xen.guest.copyId': copyGuestId,
  'xen.newGuest': newGuest,
  'xen.guest.showDifferences': showDifferences,
  'xen.guest.openLog': openGuestLog,
  'xen.host.dmesg': showHypervisorMessages,
  'xen.log.follow': followLog,
  'xen.log.stopFollowing': stopFollowingLog,
  'xen.detail.copyMac': copyDetailMac,
  'xen.detail.copyTarget': copyDetailTarget,
  'xen.detail.openConfigLine': openDetailConfigLine,
  'xen.guest.setMemory': setMemory,
  'xen.guest.setVcpus': setVcpus,
  'xen.guest.save': saveGuest,
  'xen.host.restore': restoreGuest,
  'xen.guest.migrate': migrateGuest,
  'xen.host.dashboard': openHostDashboard,
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(HANDLERS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (node?: unknown, nodes?: unknown) => handler(ctx, node, nodes)),
  );
}

/** The Refresh button: fetches now (including `xl info`), with progress on the views. */
async function refreshViews(ctx: CommandContext): Promise<void> {
  ctx.state.syncHosts();
  // The devices of expanded guests are read again too.
  ctx.views.guestsProvider.forgetDetails();
  // So are the figures of a host that refused or failed.
  ctx.figures?.restart();
  const done = ctx.refresh.request('user');
  await Promise.all(
    [VIEW_IDS.guests, VIEW_IDS.configs, VIEW_IDS.host].map((viewId) => vscode.window.withProgress({ location: { viewId } }, () => done)),
  );
}

async function openConfig(ctx: CommandContext, node?: unknown): Promise<void> {
  const uri = await resolveConfig(ctx, node);
  if (uri !== undefined) await vscode.window.showTextDocument(uri);
}
