// CodeLens above `name = "..."` in an xl config: "▶ Start" when no host runs that guest, or
// "● running (id 7) · Console · Shutdown" when one does, and "Installed? Finish install" above a
// `boot` that still tries the CD first while the guest runs. Reads the last refresh; asks for a new
// one only when it is stale, so an open editor costs no extra xl runs.

import * as vscode from 'vscode';
import { bootsFromCdFirst } from './commands/installCycle';
import { actionApplies } from './commands/policy';
import { scanConfigName } from './configFiles';
import type { GuestRef } from './tree/items';
import { configStatus, stateLabel, guestStateKey } from './tree/model';
import type { RefreshManager } from './tree/refreshManager';
import type { XenState } from './tree/xenState';

export class ConfigCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** What the lenses showed last, so a refresh that changes nothing does not redraw them. */
  private signature = '';

  constructor(
    private readonly state: XenState,
    private readonly refresh: RefreshManager,
  ) {
    this.subscription = state.onDidChange(() => {
      const next = this.currentSignature();
      if (next !== this.signature) {
        this.signature = next;
        this.changed.fire();
      }
    });
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || document.uri.scheme !== 'file' || document.uri.path.endsWith('/xl.conf')) return [];
    const found = scanConfigName(document.getText());
    if (found === undefined) return [];
    void this.refresh.requestIfStale('lens');
    const range = new vscode.Range(found.line, 0, found.line, 0);
    const status = configStatus(found.name, this.state.hostDomains());
    if (status.kind !== 'running') {
      return [new vscode.CodeLens(range, { title: '▶ Start', tooltip: `xl create ${document.uri.fsPath}`, command: 'xen.config.start', arguments: [document.uri] })];
    }
    const lenses: vscode.CodeLens[] = [];
    const boot = bootsFromCdFirst(document.getText());
    for (const match of status.matches) {
      const where = this.state.multiHost ? ` on ${match.hostLabel}` : '';
      const state = guestStateKey(match.domain) === 'running' ? 'running' : stateLabel(match.domain);
      // A title without a command is shown as plain text.
      lenses.push(new vscode.CodeLens(range, { title: `● ${state}${where} (id ${match.domain.id})`, command: '' }));
      const ref: GuestRef = { kind: 'guestRef', hostId: match.hostId, name: match.domain.name };
      if (actionApplies('console', match.domain)) {
        lenses.push(new vscode.CodeLens(range, { title: 'Console', command: 'xen.guest.console', arguments: [ref] }));
      }
      if (actionApplies('graphicalConsole', match.domain)) {
        lenses.push(new vscode.CodeLens(range, { title: 'Screen', tooltip: 'Open the graphical console (VNC) in a tab', command: 'xen.guest.graphicalConsole', arguments: [ref] }));
      }
      if (actionApplies('shutdown', match.domain)) {
        lenses.push(new vscode.CodeLens(range, { title: 'Shutdown', command: 'xen.guest.shutdown', arguments: [ref] }));
      }
      // The guest still boots its installer from the CD: offer the end of the install cycle there.
      if (boot !== undefined && actionApplies('finishInstall', match.domain)) {
        const where = new vscode.Range(boot.line, 0, boot.line, 0);
        const tooltip = 'Eject the ISO, make the config boot from the disk, then restart the guest';
        lenses.push(new vscode.CodeLens(where, { title: 'Installed? Finish install', tooltip, command: 'xen.guest.finishInstall', arguments: [ref, document.uri] }));
      }
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private currentSignature(): string {
    return this.state
      .hostDomains()
      .map((host) => `${host.hostId}:${host.domains === undefined ? '?' : host.domains.map((domain) => `${domain.id}/${domain.name}/${domain.state}`).join(',')}`)
      .join(';');
  }
}
