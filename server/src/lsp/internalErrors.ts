// The server log's side of a spec parser bug met in the product (see `setSpecFailurePolicy`): the
// diagnostics carry the fact as data, and this turns each into one log line that a user can paste
// into a bug report. The line names the rule, the parser and a hash of the value, never the value:
// a config can hold passwords (vncpasswd, spice passwords) and the log is shared freely.

import { createHash } from 'node:crypto';
import type { InternalError, Problem } from '../analysis/types';

/** Distinct failures logged per server run; past it, one line says that more were left out. */
const MAX_LOGGED = 50;

/** The first 16 hex digits of the SHA-256 of the value's UTF-8 bytes. */
export function inputHash(input: string): string {
  return createHash('sha256').update(input, 'utf8').digest('hex').slice(0, 16);
}

/** The log line of one failure. */
export function internalErrorLine(code: string, error: InternalError): string {
  return `xl: ${code}: the ${error.language} spec parser failed (${error.description}) on a value of ${error.input.length} characters with sha256 ${inputHash(error.input)}; the value itself is not logged`;
}

/**
 * Logs each failure once per server run: the same value is analysed again on every keystroke and
 * in every document that repeats it, and one line is what a bug report needs.
 */
export class InternalErrorLog {
  private readonly logged = new Set<string>();
  private full = false;

  constructor(private readonly write: (line: string) => void) {}

  /** Logs the failures among `problems` not logged before. */
  note(problems: readonly Problem[]): void {
    for (const problem of problems) {
      const error = problem.internalError;
      if (error === undefined) continue;
      const key = `${error.language}\0${inputHash(error.input)}`;
      if (this.logged.has(key)) continue;
      if (this.logged.size >= MAX_LOGGED) {
        if (!this.full) this.write(`xl: ${problem.code}: more than ${MAX_LOGGED} spec parser failures; the rest are not logged`);
        this.full = true;
        return;
      }
      this.logged.add(key);
      this.write(internalErrorLine(problem.code, error));
    }
  }
}
