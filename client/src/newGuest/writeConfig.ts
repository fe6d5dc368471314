// Writes the new guest's config file: a new file only (never over one that exists), readable by
// its owner only when it holds a VNC password. The one place New Guest writes on this machine.

import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { writeProblem } from './placement';

/** Writes `text` to `path`; the problem in words when it could not (nothing was written then). */
export function writeNewConfig(path: string, text: string, holdsSecret: boolean): string | undefined {
  try {
    writeFileSync(path, text, { flag: 'wx', mode: holdsSecret ? 0o600 : 0o644 });
    return undefined;
  } catch (error) {
    return writeProblem((error as NodeJS.ErrnoException).code, path, currentUser());
  }
}

function currentUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // Handled: a user without a passwd entry (some containers); the message then names none.
    return undefined;
  }
}
