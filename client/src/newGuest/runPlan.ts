// Runs the steps of "Create Disk and Start" in order and keeps the books: which steps finished,
// which one failed and why, and what this run made on the host (so that only that may be offered
// for removal). Also the wording of a failure and of the removal offer. Pure: the steps are
// functions handed in, and nothing here knows vscode or the runner.

/** Something a step makes on the host, with what undoes it (`U`: a command, for the caller to run). */
export interface MadeThing<U> {
  /** For messages: `the logical volume /dev/xenvg/web (20 GiB)`. */
  description: string;
  /** The exact path, named in the removal offer. */
  path: string;
  undo: U;
}

export interface PlanStep<U> {
  id: string;
  /** What the step does, for progress and messages: `create the logical volume /dev/xenvg/web`. */
  title: string;
  /** What the step leaves on the host when it succeeds. */
  makes?: MadeThing<U>;
  /** Resolves when done; rejects with the reason it failed (or was cancelled). */
  run(): Promise<void>;
  /**
   * After this step failed: whether what it makes exists anyway (a create that was cancelled or
   * timed out may have finished on the host). Undefined: could not be found out.
   */
  existsAfterFailure?(error: unknown): Promise<boolean | undefined>;
}

export type PlanOutcome<U> =
  | { status: 'done'; made: MadeThing<U>[] }
  | {
      status: 'failed';
      /** The step that failed, and the steps that finished before it. */
      failed: { id: string; title: string };
      finished: string[];
      reason: string;
      /** What this run made and still exists. */
      made: MadeThing<U>[];
      /** What the failed step may have made: it was stopped and whether it exists is unknown. */
      uncertain: MadeThing<U>[];
      error: unknown;
    };

/**
 * Runs the steps one after another and stops at the first that fails. `onStep` is told before
 * each step starts (for progress).
 */
export async function runPlan<U>(steps: readonly PlanStep<U>[], onStep?: (step: PlanStep<U>, index: number) => void, describe: (error: unknown) => string = errorText): Promise<PlanOutcome<U>> {
  const made: MadeThing<U>[] = [];
  const finished: string[] = [];
  for (const [index, step] of steps.entries()) {
    onStep?.(step, index);
    try {
      await step.run();
    } catch (error) {
      const uncertain: MadeThing<U>[] = [];
      if (step.makes !== undefined && step.existsAfterFailure !== undefined) {
        let exists: boolean | undefined;
        try {
          exists = await step.existsAfterFailure(error);
        } catch {
          // Handled: not knowing is an answer of its own, reported as "may exist".
          exists = undefined;
        }
        if (exists === true) made.push(step.makes);
        else if (exists === undefined) uncertain.push(step.makes);
      }
      return { status: 'failed', failed: { id: step.id, title: step.title }, finished, reason: describe(error), made, uncertain, error };
    }
    finished.push(step.id);
    if (step.makes !== undefined) made.push(step.makes);
  }
  return { status: 'done', made };
}

/**
 * The failure in one sentence or three: which step failed and why, what exists now, and what is
 * not known. `written` names the config file that was written before the plan ran.
 */
export function failureMessage<U>(outcome: Extract<PlanOutcome<U>, { status: 'failed' }>, host: string, written?: string): string {
  const parts = [`Could not ${outcome.failed.title} on ${host}: ${sentence(outcome.reason)}`];
  if (outcome.made.length > 0) parts.push(`Made in this run and still there: ${outcome.made.map((thing) => thing.description).join(', ')}.`);
  if (outcome.uncertain.length > 0) parts.push(`It was stopped before it finished, so ${outcome.uncertain.map((thing) => thing.path).join(', ')} may exist.`);
  if (outcome.made.length === 0 && outcome.uncertain.length === 0) parts.push('Nothing was made on the host.');
  if (written !== undefined) parts.push(`The config ${written} was written and stays.`);
  return parts.join(' ');
}

/** Why a removal is not offered, or what to ask. */
export type UndoOffer<U> =
  | { kind: 'none' }
  | { kind: 'kept'; reason: string }
  | { kind: 'offer'; question: string; detail: string; button: string; things: MadeThing<U>[] };

/**
 * The offer to remove what this run made. Only things made in this run are offered; none while
 * the guest exists (its disk is in use), nor when whether it exists could not be checked.
 * `guestExists`: true, false, or undefined when unknown.
 */
export function undoOffer<U>(made: readonly MadeThing<U>[], guest: string, guestExists: boolean | undefined): UndoOffer<U> {
  if (made.length === 0) return { kind: 'none' };
  const paths = made.map((thing) => thing.path).join(', ');
  if (guestExists === true) return { kind: 'kept', reason: `The guest ${JSON.stringify(guest)} exists on the host, so ${paths} stays.` };
  if (guestExists === undefined) return { kind: 'kept', reason: `Could not check whether ${JSON.stringify(guest)} exists on the host, so ${paths} stays.` };
  const names = made.map((thing) => thing.description);
  return {
    kind: 'offer',
    question: `Remove ${names.join(' and ')}, made by New Guest in this run?`,
    detail: `This removes exactly ${paths} and what is in it; nothing else. The config file stays.`,
    button: made.length === 1 ? `Remove ${made[0].path}` : 'Remove Them',
    things: [...made],
  };
}

/** The reason as a sentence: a full stop unless it ends in one already. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
