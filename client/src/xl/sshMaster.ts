// Calls to one ssh host share one connection (ControlMaster). While that connection does not exist
// yet, every call that starts opens a connection of its own, and a burst of them (New Guest asks a
// host seven things at once) can exceed what the ssh server lets in before login: OpenSSH's
// MaxStartups, dropbear's five unauthenticated connections per address. The server then hangs up
// on the extra ones. So when no connection is known to be up, one call goes first and the others
// wait until its connection is up (its control socket appears), it ends, or a bound passes.

import { readdirSync } from 'node:fs';

/** ControlPersist keeps an idle master 60 s; a call that ended within this is taken as proof it is up. */
export const MASTER_FRESH_MS = 50_000;
/** The longest the other calls wait for the first one (ssh's ConnectTimeout is 10 s). */
export const MASTER_OPEN_WAIT_MS = 12_000;
const POLL_MS = 50;

interface HostConnection {
  /** When a call to this host last ended. */
  lastEnded: number;
  /** Set while a first call is opening the connection; resolves when the others may go. */
  opening?: Promise<void>;
}

export interface MasterClock {
  now(): number;
  /** The entries of the control directory (the sockets of the masters). */
  listSockets(controlDir: string): string[];
}

const realClock: MasterClock = {
  now: () => Date.now(),
  listSockets: (controlDir) => {
    try {
      return readdirSync(controlDir);
    } catch {
      // Handled: a directory that is not there yet holds no socket, which is what [] says.
      return [];
    }
  },
};

const connections = new Map<string, HostConnection>();

/**
 * Waits for this call's turn to use the connection to `destination` and returns the function to
 * call when the call has ended. Never rejects; waits at most MASTER_OPEN_WAIT_MS.
 */
export async function sshTurn(controlDir: string, destination: string, clock: MasterClock = realClock, role: 'may-open' | 'join-only' = 'may-open'): Promise<() => void> {
  const key = `${controlDir}\0${destination}`;
  let connection = connections.get(key);
  if (connection === undefined) {
    connection = { lastEnded: -Infinity };
    connections.set(key, connection);
  }
  while (connection.opening !== undefined) await connection.opening;
  // A call that never starts a master (a stream: see ArgvContext.neverMaster) joins the one that
  // is up, or goes on its own connection: it neither holds the others back nor tells them that a
  // master is up.
  if (role === 'join-only') return () => undefined;
  const state = connection;
  const ended = (): void => {
    state.lastEnded = clock.now();
  };
  if (clock.now() - state.lastEnded < MASTER_FRESH_MS) return ended;

  // This call opens the connection. A new entry in the control directory is its master's socket
  // (or, with several hosts opening at once, another's: then the others merely start early).
  const before = new Set(clock.listSockets(controlDir));
  let release: () => void = () => undefined;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  state.opening = mine;
  const letOthersGo = (): void => {
    clearInterval(poll);
    clearTimeout(bound);
    // Only this call's own gate: by now another call may be opening (after a stale master).
    if (state.opening === mine) state.opening = undefined;
    release();
  };
  const poll = setInterval(() => {
    if (!clock.listSockets(controlDir).some((entry) => !before.has(entry))) return;
    // The master is up: the calls waiting now, and those after them, share it at once.
    ended();
    letOthersGo();
  }, POLL_MS);
  const bound = setTimeout(letOthersGo, MASTER_OPEN_WAIT_MS);
  return () => {
    ended();
    letOthersGo();
  };
}

/** For tests: forgets every host's connection state. */
export function forgetSshConnections(): void {
  connections.clear();
}
