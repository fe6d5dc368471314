// One guest's screen in a webview panel: finds the guest's VNC server, opens the byte stream to
// it through the runner (a TCP socket for this machine, `ssh -W` for an ssh host), relays the
// bytes to noVNC in the webview, answers its password requests, and follows the guest across a
// reboot (a new domid) by reconnecting. Closing the panel ends the stream.

import * as vscode from 'vscode';
import type { XenHost } from '../xenService';
import { askText, offer, showError, type CommandContext } from '../commands/context';
import { isXlError, xl } from '../xl';
import { ConsoleCredentials, vncSecretKey, type PasswordSource } from './credentials';
import { formatAddress } from './endpoint';
import { consoleHtml, makeNonce } from './html';
import { locateConsole, NoConsoleError, type LocatedConsole } from './locate';
import type { ConsoleViewState, HostToWebview, WebviewToHost } from './protocol';
import { Relay, type RelayChunkTiming, type RelayClosed, type RelayStats } from './relay';
import { serverText } from './serverText';

export const CONSOLE_VIEW_TYPE = 'xen.console';

/** How long to wait for a guest to come back after its stream ended (a reboot under load is slow). */
const COME_BACK_MS = 180_000;
const COME_BACK_POLL_MS = 2_000;

type StreamHandle = Awaited<ReturnType<CommandContext['service']['openStream']>>;

export class ConsolePanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private session = 0;
  private relay: Relay | undefined;
  private stream: StreamHandle | undefined;
  private located: LocatedConsole | undefined;
  private disposed = false;
  /** Where the next password comes from, and the one that waits for the server's verdict. */
  private readonly credentials = new ConsoleCredentials();
  /** The server refused the password of the current session (its end is then no reason to reconnect). */
  private authFailed = false;
  private watching: AbortController | undefined;
  /** While following a guest whose stream ended: when to give up. */
  private followUntil: number | undefined;
  private nextRequest = 1;
  private readonly pending = new Map<number, (message: WebviewToHost) => void>();
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;
  /** The RFB state last reported by the webview (for tests and the title). */
  lastConnected: { width: number; height: number; name: string } | undefined;

  constructor(
    private readonly ctx: CommandContext,
    readonly host: XenHost,
    readonly guest: string,
    private readonly panel: vscode.WebviewPanel,
    webviewRoot: vscode.Uri,
    /** Where the guest's VNC server is, as found just before the panel opened. */
    private initial?: LocatedConsole,
    /** Tests and the benchmark: time each chunk of the stream (RelayOptions.clock). */
    private readonly clock?: () => number,
  ) {
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [webviewRoot] };
    const nonce = makeNonce();
    webview.html = consoleHtml({
      cspSource: webview.cspSource,
      nonce,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'console.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'console.css')).toString(),
      title: panel.title,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: WebviewToHost) => this.receive(message)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** The PID of the local process that carries the stream (ssh -W), when there is one. */
  get streamPid(): number | undefined {
    return this.stream?.pid;
  }

  /** The current session's relay counters (tests), undefined between sessions. */
  get relayStats(): Readonly<RelayStats> | undefined {
    return this.relay?.stats;
  }

  /** The current session's chunk timings (tests and the benchmark; empty unless the panel has a clock). */
  chunkTimings(): RelayChunkTiming[] {
    return this.relay?.chunkTimings() ?? [];
  }

  /** Asks the webview what it shows (status, size, colours). */
  queryState(timeoutMs = 5000): Promise<ConsoleViewState> {
    return this.request((requestId) => ({ type: 'queryState', requestId }), timeoutMs).then((answer) => {
      if (answer.type !== 'state') throw new Error('the console answered with the wrong message');
      return answer.state;
    });
  }

  /** Forwards a toolbar action (send keys, scale, view-only, type text) to the webview. */
  post(message: HostToWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.watching?.abort();
    this.credentials.clear();
    this.closeStream('the console was closed');
    for (const resolve of this.pending.values()) resolve({ type: 'close', session: -1 });
    this.pending.clear();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    this.panel.dispose();
  }

  // --- connection ---

  private async connect(why: 'open' | 'reboot' | 'retry'): Promise<void> {
    if (this.disposed) return;
    this.closeStream(undefined);
    this.authFailed = false;
    this.credentials.ended(this.session);
    const session = ++this.session;
    this.post({ type: 'status', text: why === 'reboot' ? `${this.guest} rebooted, reconnecting…` : `Finding the screen of ${this.guest}…`, busy: true });
    let located: LocatedConsole;
    try {
      // The first connection uses what the command found before it opened this panel.
      const found = this.initial;
      this.initial = undefined;
      located = found ?? (await locateConsole(this.ctx.service, this.host, this.guest));
    } catch (error) {
      if (this.disposed || session !== this.session) return;
      // While following a reboot the new domain may not be listed, or not have its VNC server
      // yet: keep waiting for it (until the deadline) instead of giving up.
      if (this.following()) {
        void this.waitForGuest(error instanceof Error ? error.message : String(error));
        return;
      }
      this.failed(error, 'find the graphical console');
      return;
    }
    if (this.disposed || session !== this.session) return;
    this.located = located;
    const { endpoint, settings } = located;
    this.post({ type: 'session', session, guest: this.guest, host: this.host.label, viewOnly: false, keymap: settings.keymap });
    const where = `${formatAddress(endpoint.address, endpoint.port)} on ${this.host.label}`;
    this.post({ type: 'status', text: `Connecting to ${where}…${endpoint.note ? ` ${endpoint.note}` : ''}`, busy: true });
    const relay = new Relay({ session, post: (message) => this.post(message), clock: this.clock });
    this.relay = relay;
    const opening = this.ctx.service.openStream(this.host, { address: endpoint.address, port: endpoint.port }, { serverSpeaksFirst: true });
    opening.then(
      (stream) => {
        if (this.relay === relay) this.stream = stream;
      },
      // Handled: the relay gets the same rejection and reports it through `closed`.
      () => undefined,
    );
    void relay.closed.then((closed) => this.streamEnded(session, closed, where));
    await relay.connect(opening);
  }

  /** Ends the current session from this side (reconnect, panel closed); the relay closes the stream. */
  private closeStream(reason: string | undefined): void {
    const relay = this.relay;
    this.relay = undefined;
    this.stream = undefined;
    if (relay !== undefined) void relay.dispose(reason);
  }

  /** The session `session` ended: say why, and unless this side ended it, see whether the guest comes back. */
  private streamEnded(session: number, closed: RelayClosed, where: string): void {
    if (this.disposed || session !== this.session || closed.cause === 'host') return;
    this.relay = undefined;
    this.stream = undefined;
    if (closed.cause === 'open-failed' && this.following()) {
      void this.waitForGuest(closed.reason);
      return;
    }
    if (closed.cause === 'open-failed') {
      this.post({ type: 'status', text: `Could not connect to ${where}: ${closed.reason}` });
      void vscode.window.showErrorMessage(`Could not open the screen of ${JSON.stringify(this.guest)}: ${closed.reason}`, 'Show Log').then((choice) => {
        if (choice === 'Show Log') this.ctx.service.showLog();
      });
      return;
    }
    if (closed.cause === 'protocol' || closed.cause === 'server-stalled') {
      this.post({ type: 'status', text: `Disconnected: ${closed.reason} Use Reconnect to try again.` });
      return;
    }
    // A refused password (reported by the webview, which may come after the server's close)
    // decides what happens next: the question after a refusal, not a reconnect.
    if (this.authFailed || this.credentials.awaitingVerdict(session)) return;
    void this.waitForGuest(closed.reason);
  }

  /** True while the panel follows a guest whose stream ended (until it connects again, or the deadline). */
  private following(): boolean {
    return this.followUntil !== undefined && Date.now() < this.followUntil;
  }

  /**
   * Polls `xl list` until the guest runs again, then reconnects: to a new domid after a reboot,
   * or to the same domain when only its VNC server went away for a moment. Each attempt that
   * fails comes back here, until COME_BACK_MS after the stream first ended.
   */
  private async waitForGuest(reason: string | undefined): Promise<void> {
    this.followUntil ??= Date.now() + COME_BACK_MS;
    const previous = this.located?.domid;
    this.watching?.abort();
    const watch = new AbortController();
    this.watching = watch;
    const session = this.session;
    this.post({ type: 'status', text: `Disconnected${reason ? `: ${reason}` : ''}. Checking ${this.guest}…`, busy: true });
    while (!watch.signal.aborted && !this.disposed && session === this.session && this.following()) {
      await delay(COME_BACK_POLL_MS, watch.signal);
      if (watch.signal.aborted || this.disposed) return;
      let domains;
      try {
        domains = await this.ctx.service.run(this.host, xl.list(), { signal: watch.signal });
      } catch (error) {
        if (isXlError(error) && error.kind === 'cancelled') return;
        // Handled: a host that does not answer for a moment is retried until the deadline.
        this.post({ type: 'status', text: `Disconnected; ${this.host.label} does not answer (${isXlError(error) ? error.message : String(error)}). Retrying…`, busy: true });
        continue;
      }
      const domain = domains.find((candidate) => candidate.name === this.guest);
      if (domain !== undefined && domain.state !== 'shutdown' && domain.state !== 'dying' && domain.state !== 'crashed') {
        await this.connect(domain.id !== previous ? 'reboot' : 'retry');
        return;
      }
      this.post({ type: 'status', text: `${this.guest} is not running; waiting for it to start again…`, busy: true });
    }
    if (!watch.signal.aborted && !this.disposed && session === this.session) {
      this.followUntil = undefined;
      this.post({ type: 'status', text: `${this.guest} has stopped. Use Reconnect when it runs again.` });
    }
  }

  private failed(error: unknown, what: string): void {
    if (error instanceof NoConsoleError) {
      this.post({ type: 'status', text: error.message });
      return;
    }
    const text = isXlError(error) || error instanceof Error ? error.message : String(error);
    this.post({ type: 'status', text: `Could not ${what}: ${text}` });
    void showError(this.ctx, error, what);
  }

  // --- messages from the webview ---

  private receive(message: WebviewToHost): void {
    switch (message.type) {
      case 'ready':
        void this.connect('open');
        return;
      case 'send':
      case 'ack':
      case 'close':
        if (message.session === this.session) this.relay?.receive(message);
        return;
      case 'credentials':
        if (message.session === this.session) void this.answerCredentials(message.session);
        return;
      case 'securityFailure':
        if (message.session === this.session) void this.authenticationFailed(message.session, message.reason);
        return;
      case 'connected':
        if (message.session === this.session) {
          this.lastConnected = { width: message.width, height: message.height, name: message.name };
          this.followUntil = undefined;
          const typed = this.credentials.connected(message.session);
          if (typed !== undefined) this.offerToRemember(typed);
        }
        return;
      case 'disconnected':
        return;
      case 'request':
        void this.handleToolbar(message.what);
        return;
      case 'screenshot':
      case 'screenshotError':
      case 'state': {
        const resolve = this.pending.get(message.requestId);
        this.pending.delete(message.requestId);
        resolve?.(message);
        return;
      }
    }
  }

  private async answerCredentials(session: number): Promise<void> {
    const answer = await this.password();
    if (this.disposed || session !== this.session) return;
    if (answer === undefined) {
      this.post({ type: 'status', text: 'No password given; the console is not connected. Use Reconnect to try again.' });
      this.closeStream('no password given');
      return;
    }
    this.credentials.sent(session, answer.source, answer.password);
    this.post({ type: 'password', session, password: answer.password });
  }

  private secretKey(): string {
    return vncSecretKey(this.host.id, this.guest);
  }

  /**
   * The configured password, then a remembered one, then the user's answer; after a refusal, the
   * user's answer only. Remembering a typed password is offered once the server has taken it.
   */
  private async password(): Promise<{ password: string; source: PasswordSource } | undefined> {
    if (this.credentials.mayUseStored) {
      const configured = this.located?.settings.password;
      if (configured !== undefined) return { password: configured, source: 'config' };
      const remembered = await this.ctx.secrets?.get(this.secretKey());
      if (remembered !== undefined) return { password: remembered, source: 'secret' };
    }
    const typed = await askText({
      title: `VNC password of ${this.guest}`,
      prompt: `The VNC server of ${JSON.stringify(this.guest)} on ${this.host.label} asks for a password.`,
      password: true,
      ignoreFocusOut: true,
    });
    return typed === undefined ? undefined : { password: typed, source: 'user' };
  }

  /** After a typed password worked: offers to keep it in VS Code's secret storage. */
  private offerToRemember(password: string): void {
    const secrets = this.ctx.secrets;
    if (secrets === undefined) return;
    void offer(`Remember the VNC password of ${JSON.stringify(this.guest)} on ${this.host.label} in VS Code's secret storage?`, 'Remember', 'Not Now')
      .then(async (choice) => {
        if (choice === 'Remember') await secrets.store(this.secretKey(), password);
      })
      // Said to the user: the secret store can fail (no keyring). Its error never holds the password.
      .catch((error: unknown) => void vscode.window.showWarningMessage(`Could not remember the VNC password of ${JSON.stringify(this.guest)}: ${error instanceof Error ? error.message : String(error)}`));
  }

  private async authenticationFailed(session: number, reason: string): Promise<void> {
    this.authFailed = true;
    // The server's close came first and may have started the watch for a rebooted guest: the
    // refusal, not a reboot, ended this session.
    this.watching?.abort();
    const { forgetRemembered } = this.credentials.refused(session);
    if (forgetRemembered) await this.ctx.secrets?.delete(this.secretKey());
    // The server's reason is its own short text ("Authentication failed"); it never holds the password.
    this.post({ type: 'status', text: `Wrong password for ${this.guest} (${serverText(reason) || 'authentication failed'}).` });
    const choice = await offer(`The VNC password for ${JSON.stringify(this.guest)} was refused.`, 'Try Again');
    if (choice === 'Try Again' && !this.disposed) await this.connect('retry');
  }

  /** A toolbar button that needs the extension host (also the console commands' way in). */
  async handleToolbar(what: 'typeText' | 'typeClipboard' | 'screenshot' | 'reconnect'): Promise<void> {
    if (what === 'reconnect') {
      this.watching?.abort();
      this.followUntil = undefined;
      await this.connect('retry');
      return;
    }
    if (what === 'typeText') {
      const text = await askText({ title: `Type into ${this.guest}`, prompt: 'This text is typed into the guest as key presses (Enter for new lines).', ignoreFocusOut: true });
      if (text !== undefined && text !== '') this.post({ type: 'typeText', text });
      return;
    }
    if (what === 'typeClipboard') {
      const text = await vscode.env.clipboard.readText();
      if (text === '') void vscode.window.showInformationMessage('The clipboard holds no text to type.');
      else this.post({ type: 'typeText', text });
      return;
    }
    await this.saveScreenshot();
  }

  /** Asks where to save, then writes the screen as PNG there (the only file the console writes). */
  async saveScreenshot(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const answer = await this.request((requestId) => ({ type: 'captureScreenshot', requestId }), 10_000);
    if (answer.type === 'screenshotError') throw new Error(answer.reason);
    if (answer.type !== 'screenshot') return undefined;
    let uri = target;
    if (uri === undefined) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const stamp = new Date().toISOString().replace(/[:T]/g, '-').replace(/\..*$/, '');
      const name = `${this.guest.replace(/[^A-Za-z0-9_.-]/g, '_')}-screen-${stamp}.png`;
      uri = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: { 'PNG image': ['png'] },
        title: `Save the screen of ${this.guest}`,
      });
    }
    if (uri === undefined) return undefined;
    await vscode.workspace.fs.writeFile(uri, answer.png);
    return uri;
  }

  private request(message: (requestId: number) => HostToWebview, timeoutMs: number): Promise<WebviewToHost> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`the console of ${this.guest} did not answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(requestId, (answer) => {
        clearTimeout(timer);
        if (answer.type === 'close') reject(new Error('the console was closed'));
        else resolve(answer);
      });
      this.post(message(requestId));
    });
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
