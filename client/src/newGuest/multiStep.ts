// A multi-step input on VS Code's own quick input: one QuickPick or InputBox per step, titled
// "(step N of M)", a Back button from the second step on, checks while the user types, a busy
// indicator while a step's entries load, and Escape ending the whole walk. The order of steps and
// the counting are stepTrail.ts; the steps themselves keep their answers in the caller's state
// object, so a step shown again after Back starts from its earlier answer.
//
// The inputs are the real workbench widgets in every mode (no test shortcut): the end-to-end
// suites drive them by typing and picking like a user.

import * as vscode from 'vscode';
import { StepTrail, stepTitle, type StepRule } from './stepTrail';

/** What a step did: the user answered it, asked for the step before, or ended the walk. */
export type StepOutcome = 'next' | 'back' | 'cancel';

/** The result of one input: a value, or the user pressed Back, or closed the input. */
export type Answer<T> = { kind: 'value'; value: T } | { kind: 'back' } | { kind: 'cancel' };

/** An entry of a pick step. An entry with `unavailable` is shown with that reason and cannot be taken. */
export interface PickEntry<T> extends vscode.QuickPickItem {
  value: T;
  unavailable?: string;
  /** A row that only informs (a line of a summary): shown plainly, never taken. */
  informational?: boolean;
}

export interface PickRequest<T> {
  placeholder?: string;
  /** The entries, or a function that loads them (the pick shows busy until they are there). */
  entries: readonly PickEntry<T>[] | (() => Promise<readonly PickEntry<T>[]>);
  /** What the placeholder says when the user accepts an informational row. */
  informationalHint?: string;
  /** Marks the entry to highlight first: the earlier answer when the step is shown again. */
  isEarlier?(value: T): boolean;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
}

export interface TextRequest {
  prompt?: string;
  placeholder?: string;
  /** The text the box starts with (the earlier answer, or a proposal). */
  value?: string;
  password?: boolean;
  /**
   * What the checks need and may still be on its way (the host's answers): the box is busy and
   * takes no Enter until it settles, then checks its text again. It may bring a better prompt
   * and a proposal for an empty box (the host's free memory, say).
   */
  ready?: Promise<{ prompt?: string; value?: string } | void>;
  /**
   * Checked on every keystroke. A string or an Error-severity message keeps Enter from taking the
   * value; a Warning or Information message is shown and lets it through.
   */
  validate?(value: string): string | vscode.InputBoxValidationMessage | undefined;
  /**
   * Checked when the user presses Enter, for what takes time (asking the host): the box is busy
   * meanwhile, and a returned problem keeps it open with that message.
   */
  check?(value: string, signal: AbortSignal): Promise<string | undefined>;
}

/** What a step uses to ask: each call shows one input with the step's title and the Back button. */
export interface StepInput {
  pick<T>(request: PickRequest<T>): Promise<Answer<T>>;
  text(request: TextRequest): Promise<Answer<string>>;
}

export interface WizardStep<S> extends StepRule<S> {
  /** The step's name in the title, e.g. `Disk`. */
  title: string;
  /** Asks, stores the answer in `state`, and says how to go on. */
  run(input: StepInput, state: S): Promise<StepOutcome>;
}

/**
 * Walks the steps that apply to `state` until the last one is answered (resolves to `state`) or
 * the user closes an input (resolves to undefined).
 */
export async function runWizard<S>(wizard: string, steps: readonly WizardStep<S>[], state: S): Promise<S | undefined> {
  const trail = new StepTrail<S, WizardStep<S>>(steps);
  let step = trail.start(state);
  while (step !== undefined) {
    const input = stepInput(stepTitle(wizard, step.title, trail.position(state)), trail.canGoBack);
    const outcome = await step.run(input, state);
    if (outcome === 'cancel') return undefined;
    step = outcome === 'back' ? trail.back() : trail.next(state);
  }
  return state;
}

/** A heading between entries of a pick (never taken). */
export function separator(label: string): PickEntry<never> {
  return { label, kind: vscode.QuickPickItemKind.Separator, value: undefined as never };
}

function stepInput(title: string, backAllowed: boolean): StepInput {
  return {
    pick: (request) => showPick(title, backAllowed, request),
    text: (request) => showText(title, backAllowed, request),
  };
}

/** The quick input of one step and the promise of its answer, settled once. */
function settleOnce<T>(input: vscode.QuickInput, resolve: (answer: Answer<T>) => void): { finish(answer: Answer<T>): void; get settled(): boolean; track(disposable: vscode.Disposable): void } {
  const disposables: vscode.Disposable[] = [];
  let settled = false;
  const finish = (answer: Answer<T>): void => {
    if (settled) return;
    settled = true;
    for (const disposable of disposables) disposable.dispose();
    input.dispose();
    resolve(answer);
  };
  // Escape, a click elsewhere with ignoreFocusOut off, or another quick input taking over.
  disposables.push(input.onDidHide(() => finish({ kind: 'cancel' })));
  return {
    finish,
    get settled() {
      return settled;
    },
    track: (disposable) => disposables.push(disposable),
  };
}

function showPick<T>(title: string, backAllowed: boolean, request: PickRequest<T>): Promise<Answer<T>> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<PickEntry<T>>();
    pick.title = title;
    pick.placeholder = request.placeholder;
    pick.ignoreFocusOut = true;
    pick.matchOnDescription = request.matchOnDescription ?? false;
    pick.matchOnDetail = request.matchOnDetail ?? false;
    pick.buttons = backAllowed ? [vscode.QuickInputButtons.Back] : [];
    const state = settleOnce<T>(pick, resolve);
    state.track(
      pick.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) state.finish({ kind: 'back' });
      }),
    );
    state.track(
      pick.onDidAccept(() => {
        const chosen = pick.activeItems[0];
        if (chosen === undefined || pick.busy) return;
        if (chosen.unavailable !== undefined) {
          // The entry stays in the list with its reason; the placeholder repeats it where the user looks.
          pick.value = '';
          pick.placeholder = `${stripIcons(chosen.label)}: ${chosen.unavailable}`;
          return;
        }
        if (chosen.informational) {
          pick.value = '';
          pick.placeholder = request.informationalHint ?? request.placeholder;
          return;
        }
        state.finish({ kind: 'value', value: chosen.value });
      }),
    );
    const fill = (entries: readonly PickEntry<T>[]): void => {
      const shown = entries.map(presentEntry);
      pick.items = shown;
      const earlier = request.isEarlier === undefined ? undefined : shown.find((entry) => entry.kind !== vscode.QuickPickItemKind.Separator && request.isEarlier!(entry.value));
      const first = earlier ?? shown.find((entry) => entry.kind !== vscode.QuickPickItemKind.Separator && entry.unavailable === undefined && !entry.informational);
      if (first !== undefined) pick.activeItems = [first];
    };
    if (typeof request.entries === 'function') {
      // Busy, not disabled: Back and Escape keep working while a slow host answers.
      pick.busy = true;
      request.entries().then(
        (entries) => {
          if (state.settled) return;
          fill(entries);
          pick.busy = false;
        },
        (error: unknown) => {
          // Shown in the step itself: the user can go Back or close it.
          if (state.settled) return;
          const reason = error instanceof Error ? error.message : String(error);
          pick.items = [presentEntry({ label: '$(error) Could not load the choices', value: undefined as T, unavailable: reason })];
          pick.busy = false;
        },
      );
    } else {
      fill(request.entries);
    }
    pick.show();
  });
}

function showText(title: string, backAllowed: boolean, request: TextRequest): Promise<Answer<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = title;
    box.prompt = request.prompt;
    box.placeholder = request.placeholder;
    box.password = request.password ?? false;
    box.value = request.value ?? '';
    box.ignoreFocusOut = true;
    box.buttons = backAllowed ? [vscode.QuickInputButtons.Back] : [];
    const state = settleOnce<string>(box, resolve);
    const checking = new AbortController();
    state.track({ dispose: () => checking.abort() });
    let loading = request.ready !== undefined;
    const validate = (value: string): ReturnType<NonNullable<TextRequest['validate']>> => (loading ? undefined : request.validate?.(value));
    if (box.value !== '') box.validationMessage = validate(box.value);
    state.track(box.onDidChangeValue((value) => (box.validationMessage = validate(value))));
    if (request.ready !== undefined) {
      box.busy = true;
      // Settles either way: a failed answer is the step's to explain in its checks.
      void request.ready.then(done, () => done());
    }
    function done(update?: { prompt?: string; value?: string } | void): void {
      if (state.settled) return;
      loading = false;
      box.busy = false;
      if (update?.prompt !== undefined) box.prompt = update.prompt;
      if (update?.value !== undefined && box.value === '') box.value = update.value;
      if (box.value !== '') box.validationMessage = validate(box.value);
    }
    state.track(
      box.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) state.finish({ kind: 'back' });
      }),
    );
    state.track(
      box.onDidAccept(async () => {
        if (box.busy || loading) return;
        const value = box.value;
        const problem = validate(value);
        box.validationMessage = problem;
        if (blocks(problem)) return;
        if (request.check !== undefined) {
          box.busy = true;
          box.enabled = false;
          let late: string | undefined;
          try {
            late = await request.check(value, checking.signal);
          } catch (error) {
            // The check could not be made (host unreachable): shown in the box, which stays open.
            late = error instanceof Error ? error.message : String(error);
          }
          if (state.settled) return;
          box.busy = false;
          box.enabled = true;
          if (late !== undefined) {
            box.validationMessage = late;
            return;
          }
        }
        state.finish({ kind: 'value', value });
      }),
    );
    box.show();
  });
}

function blocks(problem: string | vscode.InputBoxValidationMessage | undefined): boolean {
  if (problem === undefined || problem === '') return false;
  return typeof problem === 'string' || problem.severity === vscode.InputBoxValidationSeverity.Error;
}

/** An entry as shown: an unavailable one carries its reason on its detail line. */
function presentEntry<T>(entry: PickEntry<T>): PickEntry<T> {
  if (entry.unavailable === undefined) return entry;
  const reason = `$(circle-slash) ${entry.unavailable}`;
  return { ...entry, detail: entry.detail ? `${reason} · ${entry.detail}` : reason };
}

function stripIcons(label: string): string {
  return label.replace(/\$\([a-z-]+\)\s*/g, '');
}
