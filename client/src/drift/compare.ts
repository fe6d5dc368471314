// Config drift: what a config file says (`xl -N create` of its text) against what the guest runs
// (`xl list -l`), both as libxl_domain_config. Pure. Before comparing, both sides are brought to
// what libxl makes of them at create time (its defaults for memory, vCPUs, boot order, bridge,
// disk format), so a guest started from the file shows no drift against that same file.

import type { DiskRecord, DomainConfig, NicRecord } from '../xl/types';

export type DriftKey = 'type' | 'memory' | 'maxmem' | 'vcpus' | 'maxvcpus' | 'boot' | 'disk' | 'vif';

/** One difference between the file and the running guest. */
export interface DriftItem {
  key: DriftKey;
  /** What the guest runs with, in words (`2048 MiB`, `/dev/vg/web`, `(none)`). */
  running: string;
  /** What the file says, in the same words. */
  file: string;
  /** A sentence for the diagnostic and the tooltip. */
  message: string;
  /** For `disk` and `vif`: the device it is about (`xvda`, `vif 0`). */
  subject?: string;
  /** For `disk` and `vif`: the index of the device in the file's list, when the file has it. */
  element?: number;
}

/** libxl's memory when a config sets neither `memory` nor `maxmem` (32 MiB). */
const DEFAULT_MAX_MEMKB = 32 * 1024;
/** The firmware boot order libxl gives an HVM guest without `boot` (floppy, disk, CD). */
const DEFAULT_HVM_BOOT = 'cda';
/** The bridge libxl gives a vif without `bridge=`. */
const DEFAULT_BRIDGE = 'xenbr0';
const NONE = '(none)';
const RESTART = 'restart the guest from this file to apply';

/** The facts compared, normalized; also the lines of Show Differences. */
export interface Reading {
  type?: string;
  memoryKiB: number;
  maxMemKiB: number;
  vcpus: number;
  maxVcpus: number;
  /** HVM only. */
  boot?: string;
  disks: DiskFacts[];
  nics: NicFacts[];
}

export interface DiskFacts {
  vdev: string;
  /** '' for an empty CD drive. */
  target: string;
  format: string;
  readwrite: boolean;
  cdrom: boolean;
  /** Position in the config's disk list. */
  index: number;
}

export interface NicFacts {
  devid: number;
  /** Lower case; undefined when the config leaves it to libxl (random at create). */
  mac?: string;
  bridge: string;
  index: number;
}

/** What libxl runs for this config: its defaults filled in where the config is silent. */
export function readingOf(config: DomainConfig): Reading {
  const maxMemKiB = config.maxMemKiB ?? config.targetMemKiB ?? DEFAULT_MAX_MEMKB;
  const maxVcpus = config.maxVcpus ?? 1;
  const online = availableVcpus(config.raw);
  const reading: Reading = {
    memoryKiB: config.targetMemKiB ?? maxMemKiB,
    maxMemKiB,
    vcpus: online ?? maxVcpus,
    maxVcpus,
    disks: config.disks.map(diskFacts),
    nics: config.nics.map(nicFacts),
  };
  if (config.type !== undefined) reading.type = config.type;
  if (config.type === 'hvm') reading.boot = hvmBoot(config.raw) ?? DEFAULT_HVM_BOOT;
  return reading;
}

/**
 * The differences between what the file says and what the guest runs, in the order of the
 * Show Differences lines. Empty when the guest runs what the file says.
 */
export function compareConfigs(fileConfig: DomainConfig, runningConfig: DomainConfig): DriftItem[] {
  return compareReadings(readingOf(fileConfig), readingOf(runningConfig));
}

export function compareReadings(file: Reading, running: Reading): DriftItem[] {
  const items: DriftItem[] = [];
  if (file.type !== undefined && running.type !== undefined && file.type !== running.type) {
    items.push(item('type', typeName(running.type), typeName(file.type), `running as ${typeName(running.type)}; this file says ${typeName(file.type)}: ${RESTART}`));
  }
  if (file.memoryKiB !== running.memoryKiB) {
    const fix =
      file.memoryKiB <= running.maxMemKiB
        ? 'Set Memory (xl mem-set) applies it without a restart'
        : `${RESTART} (it is above the running maxmem of ${memory(running.maxMemKiB)})`;
    items.push(item('memory', memory(running.memoryKiB), memory(file.memoryKiB), `running with ${memory(running.memoryKiB)}; this file says ${memory(file.memoryKiB)}: ${fix}`));
  }
  if (file.maxMemKiB !== running.maxMemKiB) {
    items.push(item('maxmem', memory(running.maxMemKiB), memory(file.maxMemKiB), `running with maxmem ${memory(running.maxMemKiB)}; this file says ${memory(file.maxMemKiB)}: ${RESTART}`));
  }
  if (file.vcpus !== running.vcpus) {
    const fix =
      file.vcpus <= running.maxVcpus
        ? 'Set vCPUs (xl vcpu-set) applies it without a restart'
        : `${RESTART} (it is above the running maxvcpus of ${running.maxVcpus})`;
    items.push(item('vcpus', String(running.vcpus), String(file.vcpus), `running with ${vcpus(running.vcpus)}; this file says ${file.vcpus}: ${fix}`));
  }
  if (file.maxVcpus !== running.maxVcpus) {
    items.push(item('maxvcpus', String(running.maxVcpus), String(file.maxVcpus), `running with at most ${vcpus(running.maxVcpus)}; this file says ${file.maxVcpus}: ${RESTART}`));
  }
  if (file.boot !== undefined && running.boot !== undefined && file.boot !== running.boot) {
    items.push(item('boot', running.boot, file.boot, `running with boot order ${running.boot}; this file says ${file.boot}: ${RESTART} (the order counts at the next start)`));
  }
  items.push(...compareDisks(file.disks, running.disks), ...compareNics(file.nics, running.nics));
  return items;
}

/**
 * The two readings as `key = value` lines with the same keys in the same order on both sides
 * (`(none)` where one side lacks a device), for a side-by-side diff.
 */
export function readingLines(file: Reading, running: Reading): { file: string[]; running: string[] } {
  // A MAC the file leaves to libxl is no difference, so neither side shows it: a guest without
  // drift gives two equal documents.
  const randomMacs = new Set(file.nics.filter((nic) => nic.mac === undefined).map((nic) => nic.devid));
  const fileMap = lineMap(file, randomMacs);
  const runningMap = lineMap(running, randomMacs);
  const keys = [...fileMap.keys()];
  for (const key of runningMap.keys()) if (!fileMap.has(key)) keys.push(key);
  const order = (key: string): number => LINE_ORDER.findIndex((prefix) => key === prefix || key.startsWith(`${prefix} `));
  keys.sort((a, b) => order(a) - order(b) || naturalCompare(a, b));
  return {
    file: keys.map((key) => `${key} = ${fileMap.get(key) ?? NONE}`),
    running: keys.map((key) => `${key} = ${runningMap.get(key) ?? NONE}`),
  };
}

// --- disks and NICs ---

function compareDisks(file: DiskFacts[], running: DiskFacts[]): DriftItem[] {
  const items: DriftItem[] = [];
  const runningByVdev = new Map(running.map((disk) => [disk.vdev, disk]));
  const fileVdevs = new Set(file.map((disk) => disk.vdev));
  for (const wanted of file) {
    const actual = runningByVdev.get(wanted.vdev);
    const subject = wanted.vdev;
    if (actual === undefined) {
      items.push(device('disk', subject, wanted.index, NONE, diskText(wanted), `this file has disk ${subject} (${diskText(wanted)}); the running guest has none: ${RESTART}`));
      continue;
    }
    if (wanted.cdrom && actual.cdrom) {
      if (wanted.target !== actual.target) {
        const fix = wanted.target === '' ? 'Eject ISO (xl cd-eject) applies it now' : 'Insert ISO (xl cd-insert) applies it now';
        items.push(device('disk', subject, wanted.index, media(actual.target), media(wanted.target), `the CD drive ${subject} holds ${media(actual.target)}; this file says ${media(wanted.target)}: ${fix}`));
      }
      continue;
    }
    if (wanted.target !== actual.target) {
      items.push(device('disk', subject, wanted.index, actual.target, wanted.target, `disk ${subject} runs from ${actual.target}; this file says ${wanted.target}: ${RESTART}`));
      continue;
    }
    const actualMode = diskMode(actual);
    const wantedMode = diskMode(wanted);
    if (actualMode !== wantedMode) {
      items.push(device('disk', subject, wanted.index, actualMode, wantedMode, `disk ${subject} runs as ${actualMode}; this file says ${wantedMode}: ${RESTART}`));
    }
  }
  for (const actual of running) {
    if (fileVdevs.has(actual.vdev)) continue;
    items.push(device('disk', actual.vdev, undefined, diskText(actual), NONE, `the running guest has disk ${actual.vdev} (${diskText(actual)}); this file has none: ${RESTART}`));
  }
  return items;
}

function compareNics(file: NicFacts[], running: NicFacts[]): DriftItem[] {
  const items: DriftItem[] = [];
  const runningById = new Map(running.map((nic) => [nic.devid, nic]));
  const fileIds = new Set(file.map((nic) => nic.devid));
  for (const wanted of file) {
    const subject = `vif ${wanted.devid}`;
    const actual = runningById.get(wanted.devid);
    if (actual === undefined) {
      items.push(device('vif', subject, wanted.index, NONE, nicText(wanted), `this file has network interface ${wanted.devid} (${nicText(wanted)}); the running guest has none: ${RESTART}`));
      continue;
    }
    // An unset MAC is random at each create: only a MAC the file sets can drift.
    if (wanted.mac !== undefined && wanted.mac !== actual.mac) {
      const actualMac = actual.mac ?? NONE;
      items.push(device('vif', subject, wanted.index, actualMac, wanted.mac, `network interface ${wanted.devid} runs with MAC ${actualMac}; this file says ${wanted.mac}: ${RESTART}`));
    }
    if (wanted.bridge !== actual.bridge) {
      items.push(device('vif', subject, wanted.index, actual.bridge, wanted.bridge, `network interface ${wanted.devid} is on bridge ${actual.bridge}; this file says ${wanted.bridge}: ${RESTART}`));
    }
  }
  for (const actual of running) {
    if (fileIds.has(actual.devid)) continue;
    items.push(device('vif', `vif ${actual.devid}`, undefined, nicText(actual), NONE, `the running guest has network interface ${actual.devid} (${nicText(actual)}); this file has none: ${RESTART}`));
  }
  return items;
}

function diskFacts(disk: DiskRecord, index: number): DiskFacts {
  const target = disk.target ?? '';
  const cdrom = disk.isCdrom === true;
  // libxl reads a disk without a format as raw; an empty CD drive has the format `empty`.
  const format = target === '' && cdrom ? 'empty' : disk.format === undefined || disk.format === 'unknown' ? 'raw' : disk.format;
  return { vdev: disk.vdev ?? `#${index}`, target, format, readwrite: disk.readwrite === true, cdrom, index };
}

function nicFacts(nic: NicRecord, index: number): NicFacts {
  const facts: NicFacts = { devid: nic.devid ?? index, bridge: nic.bridge ?? DEFAULT_BRIDGE, index };
  if (nic.mac !== undefined && nic.mac !== '' && nic.mac !== '00:00:00:00:00:00') facts.mac = nic.mac.toLowerCase();
  return facts;
}

// --- raw fields records.ts does not read ---

/**
 * How many vCPUs the toolstack made available (`vcpus=`, later `xl vcpu-set`): libxl prints the
 * `avail_vcpus` bitmap as the list of set bit numbers. A guest kernel may keep some of them
 * offline, which `xl list` counts instead. Undefined when absent (all of max_vcpus).
 */
function availableVcpus(raw: Record<string, unknown>): number | undefined {
  const bits = objectAt(raw, 'b_info')?.avail_vcpus;
  if (!Array.isArray(bits) || bits.length === 0) return undefined;
  return bits.filter((bit) => typeof bit === 'number').length;
}

/** The HVM firmware's boot order (`b_info["type.hvm"].boot`). */
function hvmBoot(raw: Record<string, unknown>): string | undefined {
  const boot = objectAt(objectAt(raw, 'b_info'), 'type.hvm')?.boot;
  return typeof boot === 'string' && boot !== '' ? boot : undefined;
}

function objectAt(value: Record<string, unknown> | undefined, key: string): Record<string, unknown> | undefined {
  const found = value?.[key];
  return typeof found === 'object' && found !== null && !Array.isArray(found) ? (found as Record<string, unknown>) : undefined;
}

// --- words ---

const LINE_ORDER = ['type', 'memory', 'maxmem', 'vcpus', 'maxvcpus', 'boot', 'disk', 'vif'];

function lineMap(reading: Reading, randomMacs: ReadonlySet<number>): Map<string, string> {
  const lines = new Map<string, string>();
  if (reading.type !== undefined) lines.set('type', reading.type);
  lines.set('memory', memory(reading.memoryKiB));
  lines.set('maxmem', memory(reading.maxMemKiB));
  lines.set('vcpus', String(reading.vcpus));
  lines.set('maxvcpus', String(reading.maxVcpus));
  if (reading.boot !== undefined) lines.set('boot', reading.boot);
  for (const disk of reading.disks) lines.set(`disk ${disk.vdev}`, diskText(disk));
  for (const nic of reading.nics) {
    lines.set(`vif ${nic.devid}`, randomMacs.has(nic.devid) ? `bridge ${nic.bridge}` : `mac ${nic.mac ?? NONE}, bridge ${nic.bridge}`);
  }
  return lines;
}

function diskText(disk: DiskFacts): string {
  return disk.cdrom ? `CD drive, ${media(disk.target)}` : `${disk.target}, ${diskMode(disk)}`;
}

function diskMode(disk: DiskFacts): string {
  return `${disk.format}, ${disk.readwrite ? 'read-write' : 'read-only'}${disk.cdrom ? ', CD drive' : ''}`;
}

function nicText(nic: NicFacts): string {
  return nic.mac === undefined ? `bridge ${nic.bridge}` : `MAC ${nic.mac}, bridge ${nic.bridge}`;
}

function media(target: string): string {
  return target === '' ? 'no disc' : target;
}

/** `2048 MiB`, or KiB when it is not a whole number of MiB. */
export function memory(kib: number): string {
  return kib % 1024 === 0 ? `${kib / 1024} MiB` : `${kib} KiB`;
}

function vcpus(count: number): string {
  return `${count} vCPU${count === 1 ? '' : 's'}`;
}

function typeName(type: string): string {
  return type.toUpperCase();
}

function item(key: DriftKey, running: string, file: string, message: string): DriftItem {
  return { key, running, file, message };
}

function device(key: 'disk' | 'vif', subject: string, element: number | undefined, running: string, file: string, message: string): DriftItem {
  const result: DriftItem = { key, running, file, message, subject };
  if (element !== undefined) result.element = element;
  return result;
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
