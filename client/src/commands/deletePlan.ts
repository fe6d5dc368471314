// The pure part of Delete Guest: which of a guest's disks may be offered for removal (only its
// own writable logical volumes and image files, never a CD/ISO, a read-only disk or a disk that
// another guest or config uses), the steps that run in order, and the words of the last question,
// which names exactly what is destroyed. No `vscode` import.

import { diskTarget, scanDiskSpecs, volumeDevicePaths, type DiskRecord, type LogicalVolume } from '../xl';

/** One disk of a guest, from its config text or from `xl list -l`. */
export interface GuestDisk {
  /** The path on the host, when the disk has one (not an empty CD drive, not a script target). */
  target?: string;
  vdev?: string;
  readOnly: boolean;
  cdrom: boolean;
}

/** What this needs of a logical volume as `lvs` reports it. */
export type VolumeFacts = Pick<LogicalVolume, 'name' | 'vg' | 'path'> & Partial<Pick<LogicalVolume, 'sizeBytes'>>;

/** What may be removed: a logical volume (`lvremove VG/LV`) or an image file (a regular file). */
export type RemovableDisk = { kind: 'volume'; path: string; vg: string; lv: string; sizeBytes?: number } | { kind: 'image'; path: string };

/** A disk and whether it is offered: `removable` when it is, else the reason it is kept. */
export interface DiskVerdict {
  target: string;
  removable?: RemovableDisk;
  kept?: string;
}

/** The disks of a config's text: the `disk` list xl reads. */
export function disksFromConfigText(text: string): GuestDisk[] {
  return scanDiskSpecs(text).map(diskFromSpec);
}

/**
 * The disks of a running guest, from `xl list -l`. libxl leaves fields at their default out of
 * its JSON, and read-only is the default (`readwrite` 0), so a disk counts as writable only when
 * the record says so.
 */
export function disksFromRecords(records: readonly DiskRecord[]): GuestDisk[] {
  return records.map((record) => {
    const disk: GuestDisk = { readOnly: record.readwrite !== true, cdrom: record.isCdrom === true };
    if (record.target) disk.target = record.target;
    if (record.vdev) disk.vdev = record.vdev;
    return disk;
  });
}

/**
 * Reads one disk spec the way libxlu does as far as this needs: the target (see diskTarget), the
 * vdev, read-only access, and whether it is a CD drive (`devtype=cdrom`, the `cdrom` flag or a
 * `:cdrom` vdev). Positional fields are `target,format,vdev,access`, or `target,vdev,access`
 * after a deprecated `phy:`-style prefix.
 */
export function diskFromSpec(spec: string): GuestDisk {
  const keyed = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  let rest = spec;
  while (rest.length > 0) {
    const trimmed = rest.replace(/^[ \t]+/, '');
    // `target=` takes the rest of the spec; it is positional field one.
    if (trimmed.startsWith('target=')) break;
    const comma = trimmed.indexOf(',');
    const item = comma < 0 ? trimmed : trimmed.slice(0, comma);
    rest = comma < 0 ? '' : trimmed.slice(comma + 1);
    const pair = /^([a-z][a-z0-9_-]*)=(.*)$/.exec(item);
    if (pair !== null) keyed.set(pair[1], pair[2]);
    else if (/^[a-z][a-z-]*$/.test(item) && ['cdrom', 'discard', 'no-discard', 'trusted', 'untrusted', 'direct-io-safe', 'colo', 'no-colo'].includes(item)) flags.add(item);
    else positional.push(item);
  }
  const oldSyntax = positional.length > 0 && /^[a-z][a-z0-9]*:/.test(positional[0]);
  const vdevField = positional[oldSyntax ? 1 : 2];
  const accessField = positional[oldSyntax ? 2 : 3];
  const vdevText = keyed.get('vdev') ?? vdevField;
  const access = keyed.get('access') ?? accessField ?? '';
  const cdrom = keyed.get('devtype') === 'cdrom' || flags.has('cdrom') || (vdevText !== undefined && vdevText.endsWith(':cdrom'));
  const disk: GuestDisk = { readOnly: cdrom || access === 'r' || access === 'ro', cdrom };
  const target = diskTarget(spec);
  if (target !== undefined) disk.target = target;
  const vdev = vdevText?.replace(/:(cdrom|disk)$/, '');
  if (vdev) disk.vdev = vdev;
  return disk;
}

/**
 * Which disks are offered for removal. Each target once (the config and the running guest name
 * the same disks); `usedElsewhere` maps a target to who else uses it (another config or guest).
 * `volumes` undefined means the host's logical volumes could not be listed: then no `/dev` path
 * is offered, since nothing else proves it is a volume of its own.
 */
export function classifyDisks(disks: readonly GuestDisk[], volumes: readonly VolumeFacts[] | undefined, usedElsewhere: ReadonlyMap<string, string>): DiskVerdict[] {
  const verdicts: DiskVerdict[] = [];
  const seen = new Set<string>();
  for (const disk of disks) {
    const target = disk.target;
    if (target === undefined || seen.has(target)) continue;
    seen.add(target);
    const volume = target.startsWith('/dev/') ? findVolume(target, volumes ?? []) : undefined;
    const canonical = volume?.path ?? target;
    const other = usedElsewhere.get(target) ?? usedElsewhere.get(canonical);
    let kept: string | undefined;
    if (disk.cdrom) kept = 'a CD drive';
    else if (/\.iso$/i.test(target)) kept = 'an ISO image';
    else if (disk.readOnly) kept = 'read-only';
    else if (!target.startsWith('/')) kept = 'a relative path';
    else if (other !== undefined) kept = `also used by ${other}`;
    else if (target.startsWith('/dev/') && volumes === undefined) kept = 'the logical volumes of the host could not be listed';
    else if (target.startsWith('/dev/') && volume === undefined) kept = 'a device that is not a logical volume';
    else if (/^\/(proc|sys|run)\//.test(target)) kept = 'not an image file';
    if (kept !== undefined) {
      verdicts.push({ target, kept });
    } else if (volume !== undefined) {
      const removable: RemovableDisk = { kind: 'volume', path: volume.path, vg: volume.vg, lv: volume.name };
      if (volume.sizeBytes !== undefined) removable.sizeBytes = volume.sizeBytes;
      verdicts.push({ target, removable });
    } else {
      verdicts.push({ target, removable: { kind: 'image', path: target } });
    }
  }
  return verdicts;
}

/** The volume a `/dev/VG/LV` or `/dev/mapper/VG-LV` path names (device-mapper doubles `-` in names). */
export function findVolume(path: string, volumes: readonly VolumeFacts[]): VolumeFacts | undefined {
  return volumes.find((volume) => volumeDevicePaths(volume).includes(path));
}

/** One thing Delete Guest does, in the order they run. */
export type DeleteStep =
  | { kind: 'destroy'; name: string; domid: number }
  | { kind: 'remove-volume'; path: string; vg: string; lv: string }
  | { kind: 'remove-image'; path: string }
  | { kind: 'remove-autostart'; path: string; fileName: string }
  | { kind: 'remove-config'; path: string };

export interface DeleteChoices {
  /** The guest's domain when it exists on the host (running, paused, shut down or crashed). */
  running?: { name: string; domid: number };
  disks: readonly RemovableDisk[];
  /** The autostart entry in /etc/xen/auto that starts this config, when the user chose to remove it. */
  autostart?: { path: string; fileName: string };
  configPath?: string;
}

/**
 * The steps in the order they must run: the domain goes first (its disks are open while it
 * exists), then its disks, then the autostart entry, and the config last, so a failure on the
 * way leaves the config that describes what is still there.
 */
export function deleteSteps(choices: DeleteChoices): DeleteStep[] {
  const steps: DeleteStep[] = [];
  if (choices.running !== undefined) steps.push({ kind: 'destroy', name: choices.running.name, domid: choices.running.domid });
  for (const disk of choices.disks) {
    steps.push(disk.kind === 'volume' ? { kind: 'remove-volume', path: disk.path, vg: disk.vg, lv: disk.lv } : { kind: 'remove-image', path: disk.path });
  }
  if (choices.autostart !== undefined) steps.push({ kind: 'remove-autostart', ...choices.autostart });
  if (choices.configPath !== undefined) steps.push({ kind: 'remove-config', path: choices.configPath });
  return steps;
}

/** A step as an order, naming exactly what it destroys: `remove the logical volume /dev/vg/web on dom0`. */
export function stepAction(step: DeleteStep, hostLabel: string): string {
  switch (step.kind) {
    case 'destroy':
      return `destroy the guest ${JSON.stringify(step.name)} (id ${step.domid}) on ${hostLabel}`;
    case 'remove-volume':
      return `remove the logical volume ${step.path} on ${hostLabel}`;
    case 'remove-image':
      return `delete the image file ${step.path} on ${hostLabel}`;
    case 'remove-autostart':
      return `remove the autostart entry ${step.path} on ${hostLabel}`;
    case 'remove-config':
      return `delete the config file ${step.path}`;
  }
}

/** A step for the question: the order, and what it means for the data. */
export function describeStep(step: DeleteStep, hostLabel: string): string {
  const action = stepAction(step, hostLabel);
  const sentence = `${action.charAt(0).toUpperCase()}${action.slice(1)}`;
  if (step.kind === 'destroy') return `${sentence}: it stops at once, like pulling the power cord.`;
  if (step.kind === 'remove-volume') return `${sentence}, and everything on it.`;
  return `${sentence}.`;
}

/** A step once done, for the closing message: `removed /dev/vg/web`. */
export function stepDone(step: DeleteStep): string {
  switch (step.kind) {
    case 'destroy':
      return `destroyed ${JSON.stringify(step.name)}`;
    case 'remove-volume':
    case 'remove-autostart':
      return `removed ${step.path}`;
    case 'remove-image':
    case 'remove-config':
      return `deleted ${step.path}`;
  }
}

/**
 * The message when a step failed: which, why, what was done before it and what was left
 * undone, so nothing half-made goes unnoticed.
 */
export function deleteFailureMessage(steps: readonly DeleteStep[], failedIndex: number, reason: string, hostLabel: string): string {
  const done = steps.slice(0, failedIndex).map(stepDone);
  const notDone = steps.slice(failedIndex + 1).map((step) => stepAction(step, hostLabel));
  return [
    `Could not ${stepAction(steps[failedIndex], hostLabel)}: ${reason.replace(/\.$/, '')}.`,
    done.length > 0 ? `Done before it: ${done.join(', ')}.` : '',
    notDone.length > 0 ? `Not done: ${notDone.join('; ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The last, modal question: the guest in the message, then every step on its own line, then
 * the disks that stay (not chosen, or kept and why). Undefined when there is nothing to do.
 */
export function deleteConfirmation(name: string, hostLabel: string, steps: readonly DeleteStep[], verdicts: readonly DiskVerdict[]): { message: string; detail: string } | undefined {
  if (steps.length === 0) return undefined;
  const destroysData = steps.some((step) => step.kind === 'remove-volume' || step.kind === 'remove-image');
  const lines = steps.map((step) => `• ${describeStep(step, hostLabel)}`);
  const removed = new Set(steps.flatMap((step) => (step.kind === 'remove-volume' || step.kind === 'remove-image' ? [step.path] : [])));
  const stays = verdicts.filter((verdict) => verdict.kept !== undefined).map((verdict) => `${verdict.target} (${verdict.kept})`);
  const notChosen = verdicts.filter((verdict) => verdict.removable !== undefined && !removed.has(verdict.removable.path)).map((verdict) => verdict.target);
  const detail = [
    ...lines,
    ...(stays.length > 0 || notChosen.length > 0 ? ['', `Kept: ${[...notChosen, ...stays].join(', ')}.`] : []),
    ...(destroysData ? ['', 'This cannot be undone.'] : []),
  ].join('\n');
  return { message: `Delete guest ${JSON.stringify(name)} on ${hostLabel}?`, detail };
}

/** The disk targets a config's text uses, for telling which disks are shared with other guests. */
export function diskTargetsOfText(text: string): string[] {
  return disksFromConfigText(text)
    .map((disk) => disk.target)
    .filter((target): target is string => target !== undefined);
}
