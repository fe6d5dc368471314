// The steps of "Create Disk and Start" for a set of choices, as runPlan runs them: make the disk
// (after checking that its path is free) and start the guest. How commands run, how progress is
// shown and how a guest is started come in as functions, so the failure paths are tested under
// plain Node with a fake runner; commands/newGuest.ts passes the real ones.

import { hostTools, isXlError, xl, type XlCommand } from '../xl';
import { diskPath, formatSize } from './allocate';
import type { NewGuestChoices } from './choices';
import { plannedDiskCommand, plannedSteps, undoDiskCommand } from './plan';
import type { PlanStep } from './runPlan';

export interface DiskAndStartDeps {
  /** Runs one command on the guest's host; rejects with the runner's error. */
  run<T>(command: XlCommand<T>, signal?: AbortSignal): Promise<T>;
  /** Runs `task` under a cancellable progress indicator; the signal follows its Cancel button. */
  withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Starts the written config on the host: undefined when the guest started, else why not. */
  start(): Promise<string | undefined>;
}

/** What the disk step makes, in words: `the logical volume /dev/xenvg/web (20 GiB)`. */
export function diskWords(choices: NewGuestChoices): string {
  const path = diskPath(choices.disk, choices.name);
  switch (choices.disk.kind) {
    case 'new-volume':
      return `the logical volume ${path} (${formatSize(choices.disk.sizeBytes)})`;
    case 'new-image':
      return `the ${choices.disk.format === 'qcow2' ? 'qcow2' : 'sparse raw'} image ${path} (${formatSize(choices.disk.sizeBytes)})`;
    case 'existing-volume':
      return `the logical volume ${path}`;
  }
}

export function diskAndStartSteps(choices: NewGuestChoices, hostLabel: string, deps: DiskAndStartDeps): PlanStep<XlCommand<void>>[] {
  const titles = new Map(plannedSteps(choices).map((step) => [step.id, lowerFirst(step.title)]));
  const steps: PlanStep<XlCommand<void>>[] = [];
  const create = plannedDiskCommand(choices, hostTools);
  if (create !== undefined) {
    const target = diskPath(choices.disk, choices.name);
    const undo = undoDiskCommand(choices, hostTools);
    const words = diskWords(choices);
    const id = choices.disk.kind === 'new-image' ? 'create-image' : 'create-volume';
    // Set once the create itself ran: only then can a disk found afterwards be this run's.
    let attempted = false;
    steps.push({
      id,
      title: titles.get(id) ?? `create ${words}`,
      makes: undo === undefined ? undefined : { description: words, path: target, undo },
      run: () =>
        deps.withProgress(`Creating ${target} on ${hostLabel}…`, async (signal) => {
          const present = await deps.run(hostTools.pathsExist([target]), signal);
          if (present.includes(target)) throw new Error(`${target} already exists on ${hostLabel}; New Guest never overwrites it.`);
          attempted = true;
          await deps.run(create, signal);
        }),
      // Only a create whose end is unknown (stopped, timed out, the link lost) may have made it.
      // One that gave its own verdict made nothing: lvcreate undoes a half-made volume and the
      // image script removes its own file; a disk found then is someone else's (it appeared
      // between the check and the create) and must never be offered for removal as this run's.
      existsAfterFailure: async (error) => attempted && outcomeUnknown(error) && (await deps.run(hostTools.pathsExist([target]))).includes(target),
    });
  }
  steps.push({
    id: 'start',
    title: titles.get('start') ?? `start ${JSON.stringify(choices.name)}`,
    run: async () => {
      const problem = await deps.start();
      if (problem !== undefined) throw new Error(problem);
    },
  });
  return steps;
}

/** Whether a guest of that name exists on the host now; undefined when xl could not be asked. */
export async function guestExists(run: DiskAndStartDeps['run'], name: string): Promise<boolean | undefined> {
  try {
    return (await run(xl.list())).some((domain) => domain.name === name);
  } catch {
    // Handled: not knowing keeps the disk (undoOffer offers no removal then) and says why.
    return undefined;
  }
}

/** Whether a failed command may have done its work anyway: it did not finish with its own answer. */
function outcomeUnknown(error: unknown): boolean {
  if (!isXlError(error)) return true;
  return error.kind === 'timeout' || error.kind === 'cancelled' || error.kind === 'ssh' || error.kind === 'bad-output';
}

/** `Create the volume` → `create the volume`, for "Could not create the volume". */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
