// When the language server process dies: restart it, at most MAX_RESTARTS times within WINDOW_MS,
// then stop and tell the user. Pure policy (no `vscode` import) so it can be tested under Node.

export const MAX_RESTARTS = 4;
export const WINDOW_MS = 3 * 60 * 1000;

export type RestartDecision = { restart: true; message: string } | { restart: false; message: string };

export class RestartPolicy {
  private readonly crashes: number[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Called when the server connection closed unexpectedly. */
  onServerClosed(): RestartDecision {
    const now = this.now();
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - this.crashes[0] > WINDOW_MS) this.crashes.shift();
    if (this.crashes.length <= MAX_RESTARTS) {
      return { restart: true, message: `The xl language server stopped unexpectedly; restarting it (${this.crashes.length} of ${MAX_RESTARTS} restarts allowed in 3 minutes).` };
    }
    return {
      restart: false,
      message: `The xl language server stopped ${this.crashes.length} times in 3 minutes, so it is not restarted again. Diagnostics and completion are off until you run "Developer: Reload Window". The "Xen xl" output channel has the details.`,
    };
  }
}
