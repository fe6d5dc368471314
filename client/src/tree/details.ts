// A running guest's devices as the Guests view shows them below the guest: its disks (`xl
// block-list`, each matched by virtual device to its target in `xl list -l`), network interfaces
// (`xl network-list`, the bridge from `xl list -l` by device id) and vCPUs (`xl vcpu-list`).
// Pure: the readings come in, rows with labels, tooltips and what the actions need go out.

import type { BlockDevice, DiskRecord, DomainDetails, NetworkInterface, NicRecord, Vcpu, XlError } from '../xl';
import type { IconSpec } from './model';

/** One xl call's answer, or why there is none. */
export type Reading<T> = { value: T } | { error: XlError };

/** What one expansion of a guest read. Domain-0 reads only its vCPUs. */
export interface GuestDetailReadings {
  disks?: Reading<BlockDevice[]>;
  nics?: Reading<NetworkInterface[]>;
  vcpus: Reading<Vcpu[]>;
  /** `xl list -l` of the guest (undefined inside: the guest was gone when asked). */
  config?: Reading<DomainDetails[]>;
}

export type DetailKind = 'disk' | 'nic' | 'vcpu';

/** One leaf below a group: its text, and the facts its actions use. */
export interface DetailRow {
  kind: DetailKind;
  /** Unique within its group (virtual device number, device id, vCPU number). */
  key: string;
  label: string;
  description: string;
  tooltip: string;
  icon: IconSpec;
  mac?: string;
  bridge?: string;
  /** A disk's backing path (a CD drive's image); undefined for an empty drive or an unknown one. */
  target?: string;
  /** A disk's virtual device name (`xvda`, `hdc`). */
  vdev?: string;
  cdrom?: boolean;
  /** A network interface's device id (its position in the config's vif list, normally). */
  devid?: number;
}

/** A group node ("Disks (2)") and its rows, or the error that kept it empty. */
export interface DetailSection {
  kind: DetailKind;
  label: string;
  rows: DetailRow[];
  error?: XlError;
}

export interface GuestDetailView {
  sections: DetailSection[];
  /** `xl list -l` failed: disks show no targets and interfaces no bridges; this says why. */
  configError?: XlError;
}

/** The sections below a guest, for its domain id (the readings of other domains are ignored). */
export function guestDetailView(readings: GuestDetailReadings, domid: number): GuestDetailView {
  const config = readings.config === undefined || 'error' in readings.config ? undefined : readings.config.value.find((entry) => entry.domid === domid);
  const view: GuestDetailView = { sections: [] };
  if (readings.config !== undefined && 'error' in readings.config) view.configError = readings.config.error;
  if (readings.disks !== undefined) view.sections.push(section('disk', 'Disks', readings.disks, (devices) => diskRows(devices, config?.disks ?? [])));
  if (readings.nics !== undefined) view.sections.push(section('nic', 'Network', readings.nics, (nics) => nicRows(nics, config?.nics ?? [])));
  view.sections.push(section('vcpu', 'vCPUs', readings.vcpus, (vcpus) => vcpuRows(vcpus.filter((vcpu) => vcpu.domainId === domid))));
  return view;
}

/**
 * The number of a virtual device name by the Xen vbd scheme (the inverse of decodeVdev):
 * `xvdX[N]`, `dN[pM]`, `hdX[N]`, `sdX[N]`. Undefined for names outside it.
 */
export function vdevNumber(name: string): number | undefined {
  const match = /^(xvd|hd|sd)([a-z]+)(\d*)$/.exec(name) ?? /^(d)(\d+)(?:p(\d+))?$/.exec(name);
  if (!match) return undefined;
  const [, scheme, diskText, partText] = match;
  const disk = scheme === 'd' ? Number(diskText) : lettersIndex(diskText);
  const part = partText === undefined || partText === '' ? 0 : Number(partText);
  if (!Number.isSafeInteger(disk) || !Number.isSafeInteger(part)) return undefined;
  switch (scheme) {
    case 'xvd':
    case 'd':
      if (disk < 16 && part < 16) return (202 << 8) | (disk << 4) | part;
      return disk < 1 << 20 && part < 256 ? ((1 << 28) | (disk << 8) | part) >>> 0 : undefined;
    case 'sd':
      return disk < 16 && part < 16 ? (8 << 8) | (disk << 4) | part : undefined;
    case 'hd':
      if (part >= 64 || disk >= 4) return undefined;
      return disk < 2 ? (3 << 8) | (disk << 6) | part : (22 << 8) | ((disk - 2) << 6) | part;
    default:
      return undefined;
  }
}

// --- rows ---

function section<T>(kind: DetailKind, title: string, reading: Reading<T>, rows: (value: T) => DetailRow[]): DetailSection {
  if ('error' in reading) return { kind, label: title, rows: [], error: reading.error };
  const made = rows(reading.value);
  return { kind, label: `${title} (${made.length})`, rows: made };
}

function diskRows(devices: BlockDevice[], disks: DiskRecord[]): DetailRow[] {
  return devices.map((device) => {
    const record = disks.find((disk) => disk.vdev !== undefined && (vdevNumber(disk.vdev) === device.vdev || disk.vdev === device.vdevName));
    const vdev = record?.vdev ?? device.vdevName ?? String(device.vdev);
    const cdrom = record?.isCdrom === true;
    const target = record?.target === undefined || record.target === '' ? undefined : record.target;
    const empty = cdrom && target === undefined;
    const label = target !== undefined ? `${vdev} → ${target}` : empty ? `${vdev} → (empty)` : vdev;
    const kind = cdrom ? (empty ? 'CD drive, empty' : 'CD drive') : 'disk';
    const access = record?.readwrite === false && !cdrom ? 'read-only' : undefined;
    const description = [kind, access, device.stateName].filter(Boolean).join(' · ');
    const tooltip = [
      `${cdrom ? 'CD drive' : 'Disk'} ${vdev} (virtual device ${device.vdev})`,
      target !== undefined ? `Target: ${target}` : empty ? 'No disc inserted' : 'Target: unknown (not in xl list -l)',
      record?.format !== undefined && record.format !== 'empty' ? `Format: ${record.format}` : undefined,
      record?.readwrite !== undefined && !cdrom ? `Access: ${record.readwrite ? 'read-write' : 'read-only'}` : undefined,
      `Backend: domain ${device.backendDomid}${backendType(device.backendPath)}`,
      `State: ${device.stateName} (${device.state})`,
      device.backendPath ? `Backend path: ${device.backendPath}` : undefined,
    ].filter(Boolean).join('\n');
    const row: DetailRow = { kind: 'disk', key: String(device.vdev), label, description, tooltip, icon: { id: cdrom ? 'file-media' : 'database' }, vdev, cdrom };
    if (target !== undefined) row.target = target;
    return row;
  });
}

function nicRows(nics: NetworkInterface[], records: NicRecord[]): DetailRow[] {
  return nics.map((nic) => {
    const record = records.find((candidate) => candidate.devid === nic.index) ?? records.find((candidate) => candidate.mac?.toLowerCase() === nic.mac);
    const bridge = record?.bridge;
    const label = `eth${nic.index} ${nic.mac}${bridge ? ` on ${bridge}` : ''}`;
    const tooltip = [
      `Network interface ${nic.index} (the guest may call it eth${nic.index} or otherwise)`,
      `MAC: ${nic.mac}`,
      bridge ? `Bridge: ${bridge}` : 'Bridge: unknown (not in xl list -l)',
      record?.model ? `Model: ${record.model}` : undefined,
      record?.type ? `Type: ${record.type}` : undefined,
      record?.ip ? `IP: ${record.ip}` : undefined,
      `Backend: domain ${nic.backendDomid}`,
      `State: ${nic.stateName} (${nic.state})`,
      nic.backendPath ? `Backend path: ${nic.backendPath}` : undefined,
    ].filter(Boolean).join('\n');
    const row: DetailRow = { kind: 'nic', key: String(nic.index), label, description: nic.stateName, tooltip, icon: { id: 'globe' }, mac: nic.mac, devid: nic.index };
    if (bridge) row.bridge = bridge;
    return row;
  });
}

function vcpuRows(vcpus: Vcpu[]): DetailRow[] {
  return [...vcpus]
    .sort((a, b) => a.vcpu - b.vcpu)
    .map((vcpu) => {
      const affinity = `affinity ${vcpu.hardAffinity}${vcpu.softAffinity === undefined ? '' : ` / ${vcpu.softAffinity}`}`;
      const where = vcpu.cpu === undefined ? undefined : `CPU ${vcpu.cpu}`;
      const label = [`vCPU ${vcpu.vcpu}`, where, vcpu.state, affinity].filter(Boolean).join(' · ');
      const tooltip = [
        `vCPU ${vcpu.vcpu}: ${vcpu.state} (${vcpu.flags})`,
        where ? `On physical ${where}` : 'Not on a physical CPU',
        `CPU time: ${vcpu.cpuTimeSeconds} s`,
        `Hard affinity: ${vcpu.hardAffinity}`,
        vcpu.softAffinity === undefined ? undefined : `Soft affinity: ${vcpu.softAffinity}`,
      ].filter(Boolean).join('\n');
      return { kind: 'vcpu' as const, key: String(vcpu.vcpu), label, description: `${vcpu.cpuTimeSeconds} s`, tooltip, icon: { id: vcpu.state === 'offline' ? 'circle-slash' : 'circuit-board' } };
    });
}

// --- helpers ---

/** `vbd` (the kernel's blkback), `qdisk` (qemu) or `vbd3` (tapdisk), from the backend path. */
function backendType(backendPath: string): string {
  const match = /\/backend\/([^/]+)\//.exec(backendPath);
  return match ? ` (${match[1]})` : '';
}

/** `a` → 0, `z` → 25, `aa` → 26 (bijective base 26, as Linux names disks). */
function lettersIndex(letters: string): number {
  let value = 0;
  for (const char of letters) value = value * 26 + (char.charCodeAt(0) - 96);
  return value - 1;
}
