// What the Guests and Host views share: they redraw whenever the hosts' state changes, turn nodes
// into tree items the same way, and only differ in which children they list.

import * as vscode from 'vscode';
import { toTreeItem, type XenNode } from './items';
import type { XenState } from './xenState';

export abstract class StateTreeProvider implements vscode.TreeDataProvider<XenNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<XenNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    protected readonly state: XenState,
    protected readonly trusted: () => boolean,
  ) {
    this.subscription = state.onDidChange(() => this.changed.fire(undefined));
  }

  abstract getChildren(node?: XenNode): XenNode[];

  /** Fires a change without new data, e.g. when trust was granted. */
  refreshView(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: XenNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
