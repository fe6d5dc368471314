// The Host Dashboard panels, one per host: opens or reveals them, tells the live figures which
// hosts' dashboards are visible (only those are sampled for the dashboards), and posts each
// visible dashboard its rows when its host's figures change. Keeps what it posted last per host,
// for the extension-host tests.

import * as vscode from 'vscode';
import { makeNonce } from '../console/html';
import type { LiveFigures } from '../figures/liveFigures';
import { HISTORY_WINDOW_MS } from '../figures/history';
import type { XenHost } from '../xenService';
import { dashboardHtml } from './html';
import type { DashboardUpdate, FromWebview } from './protocol';
import { dashboardUpdate, statusText } from './rows';

export const DASHBOARD_VIEW_TYPE = 'xen.hostDashboard';

interface OpenDashboard {
  host: XenHost;
  panel: vscode.WebviewPanel;
  ready: boolean;
  disposables: vscode.Disposable[];
}

export class DashboardManager implements vscode.Disposable {
  private readonly open = new Map<string, OpenDashboard>();
  private readonly posted = new Map<string, DashboardUpdate>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly figures: LiveFigures,
    /** Reveals a guest in the Guests view (a click on its name). */
    private readonly revealGuest: (host: XenHost, name: string) => void,
  ) {
    this.subscription = figures.onDidChange((hostId) => this.post(hostId));
  }

  /** Opens the host's dashboard, or brings it to the front. */
  show(host: XenHost): void {
    // Opening a dashboard is the way to try a host whose figures failed (its status line says so).
    this.figures.retry(host.id);
    const known = this.open.get(host.id);
    if (known !== undefined) {
      known.panel.reveal();
      return;
    }
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, `Dashboard: ${host.label}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      // Hidden, it neither samples nor draws; the figures it missed are in the history when it comes back.
      retainContextWhenHidden: false,
      localResourceRoots: [root],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'xen.svg');
    const entry: OpenDashboard = { host, panel, ready: false, disposables: [] };
    this.open.set(host.id, entry);
    this.render(entry, root);
    entry.disposables.push(
      panel.webview.onDidReceiveMessage((message: FromWebview) => this.receive(entry, message)),
      panel.onDidChangeViewState(() => {
        // A page hidden without retained context starts again when shown: it says `ready` again.
        if (!panel.visible) entry.ready = false;
        this.updateDemand();
      }),
      panel.onDidDispose(() => {
        for (const disposable of entry.disposables) disposable.dispose();
        if (this.open.get(host.id) === entry) this.open.delete(host.id);
        this.updateDemand();
      }),
    );
    this.updateDemand();
  }

  /** What the host's dashboard was last sent (for tests): undefined before its first update. */
  lastPosted(hostId: string): DashboardUpdate | undefined {
    return this.posted.get(hostId);
  }

  /** The hosts with an open dashboard (visible or not). */
  openHosts(): string[] {
    return [...this.open.keys()];
  }

  dispose(): void {
    this.subscription.dispose();
    for (const entry of [...this.open.values()]) entry.panel.dispose();
    this.open.clear();
  }

  // --- internals ---

  private render(entry: OpenDashboard, root: vscode.Uri): void {
    const webview = entry.panel.webview;
    webview.html = dashboardHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'dashboard.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'dashboard.css')).toString(),
      title: `Dashboard: ${entry.host.label}`,
    });
  }

  private receive(entry: OpenDashboard, message: FromWebview): void {
    if (message === null || typeof message !== 'object') return;
    if (message.type === 'ready') {
      entry.ready = true;
      this.post(entry.host.id);
    } else if (message.type === 'reveal' && typeof message.name === 'string') {
      this.revealGuest(entry.host, message.name);
    }
  }

  private updateDemand(): void {
    this.figures.setDashboardHosts([...this.open.values()].filter((entry) => entry.panel.visible).map((entry) => entry.host.id));
  }

  private post(hostId: string): void {
    const entry = this.open.get(hostId);
    if (entry === undefined || !entry.ready || !entry.panel.visible) return;
    const status = this.figures.status(hostId);
    const update = dashboardUpdate({
      hostLabel: entry.host.label,
      history: this.figures.history,
      hostId,
      now: Date.now(),
      windowMs: HISTORY_WINDOW_MS,
      status: statusText(status, this.figures.intervalSeconds()),
      unavailable: status.kind === 'unavailable',
    });
    this.posted.set(hostId, update);
    void entry.panel.webview.postMessage(update);
  }
}
