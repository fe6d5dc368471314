// The status bar item with the hosts' free memory (setting xen.statusBar.freeMemory). It shows
// what the last `xl info` said; clicking it opens the Host view.

import * as vscode from 'vscode';
import { freeMemoryStatus } from './tree/model';
import type { XenState } from './tree/xenState';

export class FreeMemoryStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('xen.freeMemory', vscode.StatusBarAlignment.Right, 100);
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly state: XenState,
    private readonly enabled: () => boolean,
  ) {
    this.item.name = 'Xen free memory';
    this.item.command = 'xen.host.focus';
    this.subscription = state.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    const status = this.enabled() && vscode.workspace.isTrusted ? freeMemoryStatus(this.state.hosts().map((host) => ({ label: host.host.label, info: host.info }))) : undefined;
    if (status === undefined) {
      this.item.hide();
      return;
    }
    this.item.text = status.text;
    this.item.tooltip = `${status.tooltip}\n(from xl info; refreshed at most once a minute)`;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
