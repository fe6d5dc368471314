// The bookkeeping of a multi-step input: which step comes next for the answers so far, the way
// back, and the "step N of M" numbers. Pure (no `vscode`), so it is tested under plain Node;
// multiStep.ts shows the steps.
//
// A step may apply only to some answers (an ISO step only for HVM), so the count of steps ahead is
// worked out again from the current answers each time: M can change as the user changes a choice.

/** What the trail needs to know of a step: its id, and whether it applies to the answers so far. */
export interface StepRule<S> {
  id: string;
  /** Absent: the step always applies. */
  applies?(state: S): boolean;
}

/** The numbers of the title: this is step `number` of `total`. */
export interface StepPosition {
  number: number;
  total: number;
}

export class StepTrail<S, R extends StepRule<S> = StepRule<S>> {
  /** Indexes (into steps) of the steps answered on the way to the current one, oldest first. */
  private readonly taken: number[] = [];
  private index: number | undefined;

  constructor(private readonly steps: readonly R[]) {
    const ids = new Set(steps.map((step) => step.id));
    if (ids.size !== steps.length) throw new RangeError('every step needs its own id');
  }

  /** The first step that applies to `state`; undefined when none does. Forgets any earlier walk. */
  start(state: S): R | undefined {
    this.taken.length = 0;
    this.index = this.nextApplicable(-1, state);
    return this.current();
  }

  current(): R | undefined {
    return this.index === undefined ? undefined : this.steps[this.index];
  }

  /** The current step was answered: moves to the next one that applies; undefined at the end. */
  next(state: S): R | undefined {
    if (this.index === undefined) return undefined;
    this.taken.push(this.index);
    this.index = this.nextApplicable(this.index, state);
    return this.current();
  }

  /** Whether there is an earlier step to go back to. */
  get canGoBack(): boolean {
    return this.index !== undefined && this.taken.length > 0;
  }

  /** Back to the step answered before the current one (the current one when there is none). */
  back(): R | undefined {
    const previous = this.taken.pop();
    if (previous !== undefined) this.index = previous;
    return this.current();
  }

  /**
   * Where the current step stands: the steps answered so far plus this one, out of those plus
   * the steps ahead that apply to `state` as it is now.
   */
  position(state: S): StepPosition {
    if (this.index === undefined) return { number: this.taken.length, total: this.taken.length };
    let ahead = 0;
    for (let candidate = this.nextApplicable(this.index, state); candidate !== undefined; candidate = this.nextApplicable(candidate, state)) ahead++;
    const number = this.taken.length + 1;
    return { number, total: number + ahead };
  }

  private nextApplicable(after: number, state: S): number | undefined {
    for (let candidate = after + 1; candidate < this.steps.length; candidate++) {
      const step = this.steps[candidate];
      if (step.applies === undefined || step.applies(state)) return candidate;
    }
    return undefined;
  }
}

/** The title of a step: `Xen: New Guest — Disk (step 3 of 9)`. */
export function stepTitle(wizard: string, step: string, position: StepPosition): string {
  return `${wizard} — ${step} (step ${position.number} of ${position.total})`;
}
