// The Configs view: the workspace's xl guest configs, each marked running or stopped by matching
// its `name` against the domains every host reported in the last refresh.

import * as vscode from 'vscode';
import type { ConfigIndex } from './configIndex';
import { toTreeItem, untrustedNode, type ConfigNode, type XenNode } from './items';
import { autostartOf } from './autostart';
import { configStatus } from './model';
import type { XenState } from './xenState';

export class ConfigsProvider implements vscode.TreeDataProvider<XenNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<XenNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly state: XenState,
    private readonly index: ConfigIndex,
    private readonly trusted: () => boolean,
  ) {
    this.subscriptions = [state.onDidChange(() => this.changed.fire(undefined)), index.onDidChange(() => this.changed.fire(undefined))];
  }

  refreshView(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: XenNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  getChildren(node?: XenNode): XenNode[] {
    if (node?.kind === 'message') return node.children ?? [];
    if (node !== undefined) return [];
    const configs = this.configNodes();
    // With no configs the view stays empty, so its welcome text (package.json) shows.
    if (!this.trusted() && configs.length > 0) return [untrustedNode('configs'), ...configs];
    return configs;
  }

  /** Every config as a node with its current status (also used by the pickers). */
  configNodes(): ConfigNode[] {
    const hosts = this.state.hostDomains();
    const multiHost = this.state.multiHost;
    const multiFolder = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const autostartFolders = this.state.hosts().map((host) => ({ hostId: host.host.id, hostLabel: host.host.label, isLocal: host.host.isLocal, entries: host.autostart }));
    return this.index.list().map((file) => ({
      kind: 'config',
      uri: file.uri,
      name: file.name,
      status: this.trusted() ? configStatus(file.name, hosts) : file.name === undefined ? { kind: 'no-name' } : { kind: 'unknown' },
      multiHost,
      folderHint: multiFolder ? vscode.workspace.asRelativePath(file.uri, true) : undefined,
      autostart: this.trusted() ? autostartOf(file.uri.scheme === 'file' ? file.uri.fsPath : undefined, fileNameOf(file.uri), autostartFolders) : undefined,
    }));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

function fileNameOf(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
