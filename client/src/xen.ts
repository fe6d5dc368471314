// Wires the Xen sidebar, status bar, CodeLens and guest commands together and keeps them in step
// with settings, workspace trust and window focus. Called once from `activate`.

import * as vscode from 'vscode';
import { ConfigCodeLensProvider } from './codelens';
import { testDialogs, type CommandContext } from './commands/context';
import { registerCommands } from './commands/registerCommands';
import { ConsoleManager } from './console/consoleManager';
import { DashboardManager } from './dashboard/dashboardManager';
import { LiveFigures } from './figures/liveFigures';
import { CONFIG_SCHEME, GuestConfigProvider } from './commands/showConfig';
import { HOST_DIAGNOSTICS_NAME, clearHostDiagnosticsOnEdit } from './commands/validateConfig';
import { FreeMemoryStatus } from './statusBar';
import { ConfigIndex } from './tree/configIndex';
import { GuestDetailsCache, serviceDetailReader } from './tree/detailsCache';
import { LOG_SCHEME, LogDocuments } from './logs/logDocuments';
import { RefreshManager } from './tree/refreshManager';
import { createViews, type XenViews } from './tree/views';
import { XenState } from './tree/xenState';
import { oldestHostVersion } from './hostVersion';
import { trackWalkthroughContext } from './walkthroughContext';
import { XenService } from './xenService';
import { DriftMonitor, type DriftResult } from './drift/driftMonitor';
import { DriftCodeActions, DriftDocuments, DRIFT_SCHEME } from './drift/showDifferences';

/** What the extension exposes to other extensions and to its own extension-host tests. */
export interface XenApi {
  readonly views: Pick<XenViews, 'guestsProvider' | 'configsProvider'>;
  /** The oldest Xen (major.minor) among the hosts that answered `xl info`, for the language server's version checks. */
  readonly hostVersion: { current(): string | null; readonly onDidChange: vscode.Event<string | null> };
  /** Only when VS Code runs the extension's tests: answers for modal questions. */
  readonly testing?: { dialogs: typeof testDialogs; consoles: ConsoleManager; drift: DriftTestApi; logs: LogDocuments; dashboards: DashboardManager; figures: LiveFigures };
}

/** What the extension-host tests see of the drift checks. */
export interface DriftTestApi {
  /** The last result of every watched guest (running, with a workspace config). */
  results(): DriftResult[];
  /** Resolves when no drift check is running or waiting (the 1 s pause after edits included). */
  settled(): Promise<void>;
  /** Checks one guest now and resolves when done. */
  recheck(hostId: string, name: string): Promise<void>;
}

/** Follows the hosts' `xl info` answers and says when the oldest Xen among them changes. */
function hostVersionOf(state: XenState, context: vscode.ExtensionContext): XenApi['hostVersion'] {
  const changed = new vscode.EventEmitter<string | null>();
  const current = (): string | null => oldestHostVersion(state.hosts().map((host) => host.info?.xenVersion));
  let last = current();
  context.subscriptions.push(
    changed,
    state.onDidChange(() => {
      const now = current();
      if (now === last) return;
      last = now;
      changed.fire(now);
    }),
  );
  return { current: () => last, onDidChange: changed.event };
}

function driftTestApi(drift: DriftMonitor): DriftTestApi {
  return { results: () => drift.results(), settled: () => drift.settled(), recheck: (hostId, name) => drift.recheck(hostId, name) };
}

export function registerXen(context: vscode.ExtensionContext): XenApi {
  const service = new XenService();
  const state = new XenState(service);
  const settings = service.settings();
  const refresh = new RefreshManager({ refresh: (scope) => state.refresh(scope), intervalSeconds: settings.refreshIntervalSeconds });
  refresh.setEnabled(vscode.workspace.isTrusted);
  refresh.setFocused(vscode.window.state.focused);
  const configs = new ConfigIndex();
  const statusBar = new FreeMemoryStatus(state, () => service.settings().statusBarFreeMemory);
  const views = createViews(state, configs, refresh, () => service.settings().statusBarFreeMemory, new GuestDetailsCache(serviceDetailReader(service)));
  const logs = new LogDocuments(service);
  const hostDiagnostics = vscode.languages.createDiagnosticCollection(HOST_DIAGNOSTICS_NAME);
  const consoles = new ConsoleManager(context.extensionUri, { recordTimings: context.extensionMode === vscode.ExtensionMode.Test });
  const figures = new LiveFigures(service, state);
  views.guestsProvider.setFigures((hostId, name) => figures.guestFigures(hostId, name));
  figures.setGuestsRedraw(() => views.guestsProvider.refreshView());
  figures.setFocused(vscode.window.state.focused);
  figures.setGuestsVisible(views.guests.visible);
  const dashboards = new DashboardManager(context.extensionUri, figures, (host, name) => {
    const node = views.guestsProvider.guestNode(host.id, name);
    if (node !== undefined) void views.guests.reveal(node, { select: true, focus: false });
  });
  const ctx: CommandContext = { service, state, refresh, views, configs, hostDiagnostics, memento: context.workspaceState, secrets: context.secrets, consoles, dashboards, figures, logs };
  const codeLens = new ConfigCodeLensProvider(state, refresh);
  const configProvider = new GuestConfigProvider(ctx);
  ctx.configProvider = configProvider;
  const drift = new DriftMonitor(ctx);
  const driftDocuments = new DriftDocuments(drift);
  ctx.drift = drift;
  ctx.driftDocuments = driftDocuments;
  views.guestsProvider.driftOf = (hostId, name) => drift.driftOf(hostId, name);

  context.subscriptions.push(
    service,
    state,
    { dispose: () => refresh.dispose() },
    configs,
    statusBar,
    views,
    hostDiagnostics,
    clearHostDiagnosticsOnEdit(hostDiagnostics),
    codeLens,
    vscode.languages.registerCodeLensProvider({ language: 'xl', scheme: 'file' }, codeLens),
    configProvider,
    consoles,
    dashboards,
    figures,
    views.guests.onDidChangeVisibility((event) => figures.setGuestsVisible(event.visible)),
    trackWalkthroughContext(state, configs),
    vscode.workspace.registerTextDocumentContentProvider(CONFIG_SCHEME, configProvider),
    drift,
    driftDocuments,
    drift.onDidChange(() => views.guestsProvider.refreshView()),
    vscode.workspace.registerTextDocumentContentProvider(DRIFT_SCHEME, driftDocuments),
    vscode.languages.registerCodeActionsProvider({ language: 'xl' }, new DriftCodeActions(drift), { providedCodeActionKinds: DriftCodeActions.kinds }),
    logs,
    vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, logs),
    ...registerCommands(ctx),
    vscode.window.onDidChangeWindowState((window) => {
      refresh.setFocused(window.focused);
      figures.setFocused(window.focused);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      state.syncHosts();
      refresh.setEnabled(true);
      figures.restart();
      views.redraw();
      statusBar.update();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('xen')) return;
      const next = service.settings();
      if (['xen.hosts', 'xen.xlPath', 'xen.sudo'].some((key) => event.affectsConfiguration(key))) {
        state.syncHosts();
        refresh.reset();
        figures.restart();
      } else if (event.affectsConfiguration('xen.figuresInterval')) figures.restart();
      if (event.affectsConfiguration('xen.refreshInterval')) refresh.setIntervalSeconds(next.refreshIntervalSeconds);
      if (event.affectsConfiguration('xen.statusBar.freeMemory')) {
        views.updateDemand();
        statusBar.update();
      }
    }),
  );
  const testing = context.extensionMode === vscode.ExtensionMode.Test ? { dialogs: testDialogs, consoles, drift: driftTestApi(drift), logs, dashboards, figures } : undefined;
  return { views: { guestsProvider: views.guestsProvider, configsProvider: views.configsProvider }, hostVersion: hostVersionOf(state, context), ...(testing ? { testing } : {}) };
}
