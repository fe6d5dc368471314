// What "Create Disk and Start" will do for a set of choices: the steps shown before anything runs,
// the command that makes the disk, and the one command that may undo it. The command builders come
// in as a parameter (the wizard passes the xl layer's `hostTools`), so this file decides which
// command and with which values, and never how a command line is built.

import type { XlCommand } from '../xl';
import { diskPath, formatSize } from './allocate';
import type { NewGuestChoices } from './choices';

/** The builders of the xl layer that make and remove a guest's disk (`hostTools` satisfies this). */
export interface DiskCommandBuilders {
  createVolume(vg: string, name: string, sizeBytes: number): XlCommand<void>;
  removeVolume(vg: string, name: string): XlCommand<void>;
  createImage(path: string, sizeBytes: number, format: 'raw' | 'qcow2'): XlCommand<void>;
  removeImage(path: string): XlCommand<void>;
}

export interface PlannedStep {
  id: 'create-volume' | 'create-image' | 'start';
  title: string;
}

/** The steps of "Create Disk and Start", in order: the disk when the wizard makes one, then the start. */
export function plannedSteps(choices: NewGuestChoices): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const { disk } = choices;
  const path = diskPath(disk, choices.name);
  if (disk.kind === 'new-volume') steps.push({ id: 'create-volume', title: `Create the logical volume ${path} (${formatSize(disk.sizeBytes)})` });
  if (disk.kind === 'new-image') {
    const what = disk.format === 'qcow2' ? 'qcow2 image' : 'sparse raw image';
    steps.push({ id: 'create-image', title: `Create the ${what} ${path} (${formatSize(disk.sizeBytes)})` });
  }
  steps.push({ id: 'start', title: `Start the guest "${choices.name}"` });
  return steps;
}

/** The command that makes the guest's disk, or undefined when it uses a volume that exists. */
export function plannedDiskCommand(choices: NewGuestChoices, builders: DiskCommandBuilders): XlCommand<void> | undefined {
  const { disk } = choices;
  switch (disk.kind) {
    case 'new-volume':
      return builders.createVolume(disk.vg, choices.name, disk.sizeBytes);
    case 'new-image':
      return builders.createImage(diskPath(disk, choices.name), disk.sizeBytes, disk.format);
    case 'existing-volume':
      return undefined;
  }
}

/**
 * The command that removes the disk `plannedDiskCommand` made, for a later step that failed. Only
 * what the wizard creates can be undone: an existing volume gets undefined, whatever happens.
 */
export function undoDiskCommand(choices: NewGuestChoices, builders: DiskCommandBuilders): XlCommand<void> | undefined {
  const { disk } = choices;
  switch (disk.kind) {
    case 'new-volume':
      return builders.removeVolume(disk.vg, choices.name);
    case 'new-image':
      return builders.removeImage(diskPath(disk, choices.name));
    case 'existing-volume':
      return undefined;
  }
}
