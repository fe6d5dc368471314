// When drift checks run: at most one check per guest at a time, requests during a check fold into
// one more check after it, edits wait for a pause, and tests can wait until nothing is pending.
// No `vscode` import; the timer functions are injectable.

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Slot {
  running?: Promise<void>;
  queued?: Promise<void>;
}

interface Delay {
  handle: unknown;
  /** Settles the promise `settled` waits on when the delay is replaced or cancelled. */
  release(): void;
}

export class CheckQueue {
  private readonly slots = new Map<string, Slot>();
  private readonly delays = new Map<string, Delay>();
  private readonly pending = new Set<Promise<void>>();
  private disposed = false;

  /** `check` must not reject (the monitor turns failures into results). */
  constructor(
    private readonly check: (key: string) => Promise<void>,
    private readonly timers: Timers = REAL_TIMERS,
  ) {}

  /**
   * Runs the check of `key` now, or, when one is running, once more after it (however many
   * requests arrive meanwhile). Resolves when the check that covers this request is done.
   */
  request(key: string): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const slot = this.slots.get(key) ?? {};
    this.slots.set(key, slot);
    if (slot.running !== undefined) {
      const next = (): Promise<void> => {
        slot.queued = undefined;
        return this.start(key, slot);
      };
      // After the running check however it ended: the newer request still wants its check.
      slot.queued ??= slot.running.then(next, next);
      this.track(slot.queued);
      return slot.queued;
    }
    return this.start(key, slot);
  }

  /**
   * Runs `action` after `ms` without another `debounce` of the same id; a newer call replaces
   * the waiting one.
   */
  debounce(id: string, ms: number, action: () => Promise<unknown>): void {
    if (this.disposed) return;
    this.cancel(id);
    let release = (): void => undefined;
    const waiting = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.track(waiting);
    const handle = this.timers.setTimeout(() => {
      this.delays.delete(id);
      void action().then(release, release);
    }, ms);
    this.delays.set(id, { handle, release });
  }

  /** Drops a waiting debounce (a save checks at once, so the edit's pause is moot). */
  cancel(id: string): void {
    const delay = this.delays.get(id);
    if (delay === undefined) return;
    this.timers.clearTimeout(delay.handle);
    this.delays.delete(id);
    delay.release();
  }

  /** True while a check of `key` runs. */
  isRunning(key: string): boolean {
    return this.slots.get(key)?.running !== undefined;
  }

  /** Resolves when no check runs, none is queued and no debounce waits. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  dispose(): void {
    this.disposed = true;
    for (const id of [...this.delays.keys()]) this.cancel(id);
  }

  private start(key: string, slot: Slot): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const running = this.check(key).finally(() => {
      slot.running = undefined;
      if (slot.queued === undefined) this.slots.delete(key);
    });
    slot.running = running;
    this.track(running);
    return running;
  }

  private track(promise: Promise<void>): void {
    this.pending.add(promise);
    const forget = (): void => {
      this.pending.delete(promise);
    };
    promise.then(forget, forget);
  }
}

/**
 * At most `limit` holders at a time, the others wait in order. The drift checks of one host take
 * turns through one of these: a workspace with fifty guests must not start a hundred xl
 * processes at once on a dom0 (nor more sessions than an ssh connection allows).
 */
export class Semaphore {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.held >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.held += 1;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `held` never dips and lets a newcomer cut in.
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.held -= 1;
    }
  }
}
