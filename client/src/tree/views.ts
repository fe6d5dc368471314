// Creates the three Xen views and tells the RefreshManager who is looking: the Guests and Configs
// views need `xl list`, the Host view (and the status bar) `xl info`.

import * as vscode from 'vscode';
import type { ConfigIndex } from './configIndex';
import { ConfigsProvider } from './configsProvider';
import type { GuestDetailsCache } from './detailsCache';
import { GuestsProvider } from './guestsProvider';
import { HostProvider } from './hostProvider';
import type { XenNode } from './items';
import type { RefreshManager } from './refreshManager';
import type { XenState } from './xenState';

/** How often a failing host's countdown is redrawn. */
const HEALTH_REDRAW_MS = 5000;

export const VIEW_IDS = { guests: 'xen.guests', configs: 'xen.configs', host: 'xen.host' } as const;

export interface XenViews extends vscode.Disposable {
  guests: vscode.TreeView<XenNode>;
  configs: vscode.TreeView<XenNode>;
  host: vscode.TreeView<XenNode>;
  guestsProvider: GuestsProvider;
  configsProvider: ConfigsProvider;
  hostProvider: HostProvider;
  /** Re-evaluates the refresh demand (e.g. after the status bar setting changed). */
  updateDemand(): void;
  /** Redraws every view without fetching (e.g. after trust was granted). */
  redraw(): void;
}

export function createViews(state: XenState, index: ConfigIndex, refresh: RefreshManager, statusBarWantsInfo: () => boolean, details?: GuestDetailsCache): XenViews {
  const trusted = (): boolean => vscode.workspace.isTrusted;
  const health = (hostId: string) => refresh.healthOf(hostId);
  const guestsProvider = new GuestsProvider(state, trusted, health, details);
  const configsProvider = new ConfigsProvider(state, index, trusted);
  const hostProvider = new HostProvider(state, trusted, health);
  const guests = vscode.window.createTreeView(VIEW_IDS.guests, { treeDataProvider: guestsProvider, canSelectMany: true, showCollapseAll: false });
  const configs = vscode.window.createTreeView(VIEW_IDS.configs, { treeDataProvider: configsProvider, canSelectMany: false });
  const host = vscode.window.createTreeView(VIEW_IDS.host, { treeDataProvider: hostProvider });

  const updateDemand = (): void =>
    refresh.setDemand({ list: guests.visible || configs.visible, info: host.visible || statusBarWantsInfo() });
  const disposables: vscode.Disposable[] = [
    guestsProvider,
    configsProvider,
    hostProvider,
    guests,
    configs,
    host,
    guests.onDidChangeVisibility(updateDemand),
    configs.onDidChangeVisibility(updateDemand),
    host.onDidChangeVisibility(updateDemand),
  ];
  updateDemand();
  // "next try in 40 s" counts down: redraw while some host backs off and a view shows it.
  const countdown = setInterval(() => {
    if (!refresh.anyHostUnhealthy) return;
    if (guests.visible) guestsProvider.refreshView();
    if (host.visible) hostProvider.refreshView();
  }, HEALTH_REDRAW_MS);
  disposables.push({ dispose: () => clearInterval(countdown) });

  return {
    guests,
    configs,
    host,
    guestsProvider,
    configsProvider,
    hostProvider,
    updateDemand,
    redraw: () => {
      guestsProvider.refreshView();
      configsProvider.refreshView();
      hostProvider.refreshView();
    },
    dispose: () => {
      for (const disposable of disposables) disposable.dispose();
    },
  };
}
