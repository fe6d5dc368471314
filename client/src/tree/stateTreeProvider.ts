// What the Guests and Host views share: they redraw whenever the hosts' state changes, turn nodes
// into tree items the same way, and only differ in which children they list.

import * as vscode from 'vscode';
import { toTreeItem, type XenNode } from './items';
import { hostHealthText, type HealthText, type HostHealthFacts } from './model';
import type { XenState } from './xenState';

export abstract class StateTreeProvider implements vscode.TreeDataProvider<XenNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<XenNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    protected readonly state: XenState,
    protected readonly trusted: () => boolean,
    /** Each host's polling state (RefreshManager.healthOf). */
    protected readonly health: (hostId: string) => HostHealthFacts = () => ({ kind: 'ok' }),
  ) {
    this.subscription = state.onDidChange(() => this.changed.fire(undefined));
  }

  abstract getChildren(node?: XenNode): XenNode[] | Promise<XenNode[]>;

  /** Fires a change without new data, e.g. when trust was granted. */
  refreshView(): void {
    this.changed.fire(undefined);
  }

  /** What to say about a host that is backing off or no longer polled, now. */
  protected healthText(hostId: string): HealthText | undefined {
    return hostHealthText(this.health(hostId), Date.now());
  }

  getTreeItem(node: XenNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
