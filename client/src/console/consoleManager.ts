// The open graphical consoles: one panel per host and guest (a second open reveals the first),
// and the one the user looks at now, for the commands that act on "this console".

import * as vscode from 'vscode';
import type { CommandContext } from '../commands/context';
import type { XenHost } from '../xenService';
import { CONSOLE_VIEW_TYPE, ConsolePanel } from './consolePanel';
import type { LocatedConsole } from './locate';

export class ConsoleManager implements vscode.Disposable {
  private readonly panels = new Map<string, ConsolePanel>();
  private active: ConsolePanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** Tests and the benchmark: each panel times the chunks of its stream (see Relay's clock). */
    private readonly options: { recordTimings?: boolean } = {},
  ) {}

  /** Opens (or reveals) the console of `guest` on `host`; `located` saves the first lookup. */
  open(ctx: CommandContext, host: XenHost, guest: string, located?: LocatedConsole): ConsolePanel {
    const existing = this.find(host.id, guest);
    if (existing !== undefined) {
      existing.reveal();
      return existing;
    }
    const key = `${host.id}\0${guest}`;
    const title = ctx.state.multiHost ? `${guest} (${host.label}) — Screen` : `${guest} — Screen`;
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const webviewPanel = vscode.window.createWebviewPanel(CONSOLE_VIEW_TYPE, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      // The RFB session lives in the webview: hiding the tab must not end it.
      retainContextWhenHidden: true,
      localResourceRoots: [root],
    });
    webviewPanel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'xen.svg');
    const panel = new ConsolePanel(ctx, host, guest, webviewPanel, root, located, this.options.recordTimings ? () => performance.now() : undefined);
    this.panels.set(key, panel);
    this.active = panel;
    webviewPanel.onDidChangeViewState((event) => {
      if (event.webviewPanel.active) this.active = panel;
      void vscode.commands.executeCommand('setContext', 'xen.consoleFocused', event.webviewPanel.active);
    });
    panel.onDidDispose(() => {
      this.panels.delete(key);
      if (this.active === panel) this.active = undefined;
      void vscode.commands.executeCommand('setContext', 'xen.consoleFocused', false);
    });
    void vscode.commands.executeCommand('setContext', 'xen.consoleFocused', true);
    return panel;
  }

  /** The console in front (the last one focused), if any is open. */
  current(): ConsolePanel | undefined {
    return this.active ?? [...this.panels.values()].pop();
  }

  find(hostId: string, guest: string): ConsolePanel | undefined {
    return this.panels.get(`${hostId}\0${guest}`);
  }

  all(): ConsolePanel[] {
    return [...this.panels.values()];
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}
