// The answers of the New Guest steps as they are collected, and the choices they add up to once
// the walk is complete. Pure (types only from the service), tested under plain Node.

import type { XenHost } from '../xenService';
import type { DiskChoice, GuestKind, InstallSource, NewGuestChoices } from './choices';

/** How the guest's screen is set up, as picked in the Screen step. */
export type ScreenChoice = 'vnc' | 'vnc-password' | 'vnc-other' | 'none';

export interface WizardState {
  host?: XenHost;
  kind?: GuestKind;
  name?: string;
  memoryMiB?: number;
  vcpus?: number;
  diskKind?: DiskChoice['kind'];
  /** new-volume: the volume group. */
  vg?: string;
  /** existing-volume: the volume's path. */
  volumePath?: string;
  /** new-image: the folder on the host and the format. */
  imageFolder?: string;
  imageFormat?: 'raw' | 'qcow2';
  /** new-volume and new-image: the size as typed, and in bytes. */
  sizeText?: string;
  sizeBytes?: number;
  /** HVM only. */
  install?: InstallSource;
  /** 'none': no network card. */
  network?: { bridge: string; mac: string } | 'none';
  /** The fresh MAC picked for this walk (kept when the user goes back and forth). */
  mac?: string;
  screen?: ScreenChoice;
  vncDisplay?: number;
  /** On the "another display" path: whether the user wants a password. */
  passwordWanted?: boolean;
  password?: string;
  ending?: 'write' | 'write-and-start';
}

/** Whether the Screen step applies: PVH guests have no device model, hence no VNC. */
export function hasScreenStep(state: WizardState): boolean {
  return state.kind === 'hvm' || state.kind === 'pv';
}

/** Whether a VNC password is asked for on the current path. */
export function wantsPassword(state: WizardState): boolean {
  return hasScreenStep(state) && (state.screen === 'vnc-password' || (state.screen === 'vnc-other' && state.passwordWanted === true));
}

/** Forgets the answers that belong to one host, when the user picks another. */
export function forgetHostAnswers(state: WizardState): void {
  for (const key of ['vg', 'volumePath', 'install', 'network', 'mac', 'vncDisplay'] as const) delete state[key];
}

/**
 * The complete choices, or the first missing answer (a name for messages). The state may hold
 * answers of steps that no longer apply (the user went back and changed the kind); only those
 * that apply are taken.
 */
export function choicesOf(state: WizardState): NewGuestChoices | { missing: string } {
  const { kind, name, memoryMiB, vcpus } = state;
  if (kind === undefined) return { missing: 'kind' };
  if (name === undefined) return { missing: 'name' };
  if (memoryMiB === undefined) return { missing: 'memory' };
  if (vcpus === undefined) return { missing: 'vcpus' };
  const disk = diskOf(state);
  if ('missing' in disk) return disk;
  const choices: NewGuestChoices = { kind, name, memoryMiB, vcpus, disk };
  if (kind === 'hvm') {
    if (state.install === undefined) return { missing: 'install' };
    choices.install = state.install;
  }
  if (state.network === undefined) return { missing: 'network' };
  if (state.network !== 'none') choices.network = state.network;
  if (hasScreenStep(state)) {
    if (state.screen === undefined) return { missing: 'screen' };
    if (state.screen !== 'none') {
      if (state.vncDisplay === undefined) return { missing: 'display' };
      choices.vnc = { display: state.vncDisplay };
      if (wantsPassword(state)) {
        if (state.password === undefined) return { missing: 'password' };
        choices.vnc.password = state.password;
      }
    }
  }
  return choices;
}

function diskOf(state: WizardState): DiskChoice | { missing: string } {
  switch (state.diskKind) {
    case 'new-volume':
      if (state.vg === undefined) return { missing: 'volume group' };
      if (state.sizeBytes === undefined) return { missing: 'size' };
      return { kind: 'new-volume', vg: state.vg, sizeBytes: state.sizeBytes };
    case 'existing-volume':
      if (state.volumePath === undefined) return { missing: 'volume' };
      return { kind: 'existing-volume', path: state.volumePath };
    case 'new-image':
      if (state.imageFolder === undefined) return { missing: 'image folder' };
      if (state.imageFormat === undefined) return { missing: 'image format' };
      if (state.sizeBytes === undefined) return { missing: 'size' };
      return { kind: 'new-image', folder: state.imageFolder, format: state.imageFormat, sizeBytes: state.sizeBytes };
    case undefined:
      return { missing: 'disk' };
  }
}
