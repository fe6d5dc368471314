// What a console panel knows about the VNC password of its guest, session by session: where the
// next password may come from, which password went to the server and is waiting for its verdict,
// and what to do once the verdict is in (offer to remember a typed password that worked, forget a
// remembered one that was refused). Pure: no `vscode`, no I/O; consolePanel.ts does the asking,
// storing and posting.
//
// The verdict matters for the order of events: QEMU closes the connection right after it refused a
// password, and the extension host sees that close before the webview has read the refusal and
// reported `securityFailure`. While a password waits for its verdict, a closed stream is therefore
// the refusal's doing, not a guest that went away (see `awaitingVerdict`).

/**
 * The SecretStorage key of a guest's remembered VNC password: the console reads it, New Guest
 * stores the password it wrote into a new config.
 */
export function vncSecretKey(hostId: string, guest: string): string {
  return `xen.vncPassword:${hostId}:${guest}`;
}

/** Where a password came from: the guest's config (`vncpasswd`), VS Code's secret storage, or the user. */
export type PasswordSource = 'config' | 'secret' | 'user';

export interface RefusalOutcome {
  /** The refused password was the remembered one: forget it. */
  forgetRemembered: boolean;
}

export class ConsoleCredentials {
  /** After a refusal, the next password is asked of the user (not the config's or the remembered one). */
  private askUser = false;
  /** The password of the session that waits for the server's verdict. */
  private pending: { session: number; source: PasswordSource; typed: string | undefined } | undefined;

  /** Whether the config's or the remembered password may be used for the next attempt. */
  get mayUseStored(): boolean {
    return !this.askUser;
  }

  /**
   * A password went to the server in `session`. `typed` is the password when the user typed it:
   * kept (in memory only) until the verdict, so that it can be offered for remembering once the
   * server has taken it, and never before.
   */
  sent(session: number, source: PasswordSource, typed?: string): void {
    this.pending = { session, source, typed: source === 'user' ? typed : undefined };
  }

  /** True while the password sent in `session` waits for the server's verdict. */
  awaitingVerdict(session: number): boolean {
    return this.pending?.session === session;
  }

  /**
   * `session` connected. Returns the typed password that worked, to offer remembering it (once);
   * undefined when the password came from elsewhere or none was needed.
   */
  connected(session: number): string | undefined {
    if (this.pending?.session !== session) return undefined;
    const typed = this.pending.typed;
    this.pending = undefined;
    this.askUser = false;
    return typed;
  }

  /** The server refused the password sent in `session`: the next one is asked of the user. */
  refused(session: number): RefusalOutcome {
    const pending = this.pending?.session === session ? this.pending : undefined;
    this.pending = undefined;
    this.askUser = true;
    return { forgetRemembered: pending?.source === 'secret' };
  }

  /** `session` ended without a verdict (closed, replaced by a new one): drop its password. */
  ended(session: number): void {
    if (this.pending?.session === session) this.pending = undefined;
  }

  /** The panel closed: nothing is kept. */
  clear(): void {
    this.pending = undefined;
  }
}
