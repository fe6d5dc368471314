// Context keys that check off the "Get started with Xen" walkthrough's first steps: a host has
// answered `xl list`, and the Configs view has at least one config. Set only on change.

import * as vscode from 'vscode';
import type { ConfigIndex } from './tree/configIndex';
import type { XenState } from './tree/xenState';

export function trackWalkthroughContext(state: XenState, configs: ConfigIndex): vscode.Disposable {
  const known = new Map<string, boolean>();
  const set = (key: string, value: boolean): void => {
    if (known.get(key) === value) return;
    known.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const update = (): void => {
    set('xen.hostAnswered', state.hosts().some((host) => host.domains !== undefined));
    set('xen.hasConfigs', configs.list().length > 0);
  };
  update();
  return vscode.Disposable.from(state.onDidChange(update), configs.onDidChange(update));
}
