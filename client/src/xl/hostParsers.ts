// Parsers of the host commands in hostTools.ts: LVM's JSON reports and the NUL-separated records
// of the scripts. Anything unexpected is a 'bad-output' XlError with an excerpt, never a guess.

import { badOutput } from './errors';
import type { AutostartEntry, HostToolFacts, IsoListing, LogicalVolume, VolumeGroup } from './types';

/**
 * `vgs --reportformat json --units b --nosuffix`: `{"report":[{"vg":[{...}]}]}`. LVM prints the
 * numbers as strings; numbers are accepted too.
 */
export function parseVolumeGroups(stdout: string): VolumeGroup[] {
  return lvmRows('vgs', 'vg', stdout).map((row, index) => {
    const at = `vg[${index}]`;
    return {
      name: rowText('vgs', row, 'vg_name', at, stdout),
      sizeBytes: rowBytes('vgs', row, 'vg_size', at, stdout),
      freeBytes: rowBytes('vgs', row, 'vg_free', at, stdout),
      extentBytes: rowBytes('vgs', row, 'vg_extent_size', at, stdout),
    };
  });
}

/**
 * `lvs --reportformat json --units b --nosuffix`. Volumes without a device path (thin pools and
 * other internal volumes) cannot be a guest's disk and are left out. From `lv_attr`, the fifth
 * character `a` means active and the sixth `o` open.
 */
export function parseLogicalVolumes(stdout: string): LogicalVolume[] {
  const volumes: LogicalVolume[] = [];
  lvmRows('lvs', 'lv', stdout).forEach((row, index) => {
    const at = `lv[${index}]`;
    const path = rowText('lvs', row, 'lv_path', at, stdout, true);
    if (path === '') return;
    const attr = rowText('lvs', row, 'lv_attr', at, stdout);
    if (attr.length < 6) throw badOutput('lvs', `${at}.lv_attr: expected at least 6 characters, found ${JSON.stringify(attr)}`, stdout);
    volumes.push({
      name: rowText('lvs', row, 'lv_name', at, stdout),
      vg: rowText('lvs', row, 'vg_name', at, stdout),
      path,
      sizeBytes: rowBytes('lvs', row, 'lv_size', at, stdout),
      active: attr[4] === 'a',
      open: attr[5] === 'o',
    });
  });
  return volumes;
}

/**
 * Every path a config may name a logical volume by: what `lvs` reports, `/dev/VG/LV`, and
 * `/dev/mapper/VG-LV` (device-mapper doubles the dashes inside each name and joins the two with one).
 */
export function volumeDevicePaths(volume: Pick<LogicalVolume, 'name' | 'vg' | 'path'>): string[] {
  const mapper = `/dev/mapper/${volume.vg.replace(/-/g, '--')}-${volume.name.replace(/-/g, '--')}`;
  return [volume.path, `/dev/${volume.vg}/${volume.name}`, mapper];
}

/**
 * The ISO script's records for the folders it was given (in that order): `M`/`D` and a folder,
 * `I`, a size and a path, `T` when the limit was reached. ISOs come back sorted by path, once each.
 */
export function parseIsoListing(stdout: string, folders: readonly string[]): IsoListing {
  const what = 'the ISO listing';
  const fields = nulFields(what, stdout);
  const listing: IsoListing = { folders: [], isos: [] };
  const seen = new Set<string>();
  for (let i = 0; i < fields.length; ) {
    const tag = fields[i++];
    if (tag === 'M' || tag === 'D') {
      const folder = take(what, fields, i++, stdout);
      if (folder !== folders[listing.folders.length]) throw badOutput(what, `folder ${JSON.stringify(folder)} was not asked for here`, stdout);
      listing.folders.push({ path: folder, exists: tag === 'D' });
    } else if (tag === 'I') {
      const size = take(what, fields, i++, stdout);
      const path = take(what, fields, i++, stdout);
      if (listing.folders.length === 0 || !listing.folders[listing.folders.length - 1].exists) throw badOutput(what, `an ISO outside the folders: ${JSON.stringify(path)}`, stdout);
      if (seen.has(path)) continue;
      seen.add(path);
      // An empty size: the file went away between the listing and `ls`; it is still named.
      if (size !== '' && !/^\d+$/.test(size)) throw badOutput(what, `size ${JSON.stringify(size)} of ${JSON.stringify(path)} is not a number`, stdout);
      listing.isos.push({ path, sizeBytes: size === '' ? 0 : Number(size) });
    } else if (tag === 'T') {
      listing.truncated = true;
    } else {
      throw badOutput(what, `unknown record ${JSON.stringify(tag)}`, stdout);
    }
  }
  if (listing.folders.length !== folders.length) throw badOutput(what, `${listing.folders.length} of ${folders.length} folders were reported`, stdout);
  listing.isos.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return listing;
}

/** The host facts script's records: `B` and a bridge, `T` and a tool (lvcreate, qemu-img). */
export function parseHostToolFacts(stdout: string): HostToolFacts {
  const what = 'the host facts';
  const fields = nulFields(what, stdout);
  const facts: HostToolFacts = { bridges: [], tools: { lvm: false, qemuImg: false } };
  for (let i = 0; i < fields.length; ) {
    const tag = fields[i++];
    const value = take(what, fields, i++, stdout);
    if (tag === 'B') facts.bridges.push(value);
    else if (tag === 'T' && value === 'lvcreate') facts.tools.lvm = true;
    else if (tag === 'T' && value === 'qemu-img') facts.tools.qemuImg = true;
    else throw badOutput(what, `unknown record ${JSON.stringify(tag)} ${JSON.stringify(value)}`, stdout);
  }
  return facts;
}

/** The numbers (1-based, one a line) of the paths that exist, turned back into the paths. */
export function parsePathsExist(stdout: string, paths: readonly string[]): string[] {
  const found = new Set<number>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const index = /^\d+$/.test(line) ? Number(line) - 1 : -1;
    if (index < 0 || index >= paths.length) throw badOutput('the path check', `unexpected line ${JSON.stringify(line)}`, stdout);
    found.add(index);
  }
  return paths.filter((_, index) => found.has(index));
}

/** The autostart script's records: `E` and a name, then `L` and the target for a link. */
export function parseAutostartEntries(stdout: string): AutostartEntry[] {
  const what = 'the autostart listing';
  const fields = nulFields(what, stdout);
  const entries: AutostartEntry[] = [];
  for (let i = 0; i < fields.length; ) {
    const tag = fields[i++];
    const value = take(what, fields, i++, stdout);
    if (tag === 'E') entries.push({ file: value });
    else if (tag === 'L' && entries.length > 0 && entries[entries.length - 1].target === undefined) {
      // readlink failed: a link whose target could not be read keeps no target.
      if (value !== '') entries[entries.length - 1].target = value;
    } else throw badOutput(what, `unexpected record ${JSON.stringify(tag)}`, stdout);
  }
  return entries;
}

// --- helpers ---

type Row = Record<string, unknown>;

/** The rows of one kind (`vg`, `lv`) from every report of LVM's JSON (a `log` report is skipped). */
function lvmRows(what: string, kind: string, stdout: string): Row[] {
  const text = stdout.trim();
  if (text === '') throw badOutput(what, 'no JSON report was printed', stdout);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badOutput(what, `not valid JSON (${(error as Error).message})`, stdout);
  }
  const reports = isObject(value) ? value.report : undefined;
  if (!Array.isArray(reports)) throw badOutput(what, 'expected {"report": [...]}', stdout);
  const rows: Row[] = [];
  reports.forEach((report, index) => {
    if (!isObject(report)) throw badOutput(what, `report[${index}] is not an object`, stdout);
    const list = report[kind];
    if (list === undefined) return;
    if (!Array.isArray(list)) throw badOutput(what, `report[${index}].${kind} is not an array`, stdout);
    for (const row of list) {
      if (!isObject(row)) throw badOutput(what, `report[${index}].${kind} holds something other than objects`, stdout);
      rows.push(row);
    }
  });
  return rows;
}

function rowText(what: string, row: Row, key: string, at: string, stdout: string, allowEmpty = false): string {
  const value = row[key];
  if (typeof value !== 'string' || (!allowEmpty && value === '')) throw badOutput(what, `${at}.${key}: expected a non-empty string, found ${JSON.stringify(value)}`, stdout);
  return value;
}

function rowBytes(what: string, row: Row, key: string, at: string, stdout: string): number {
  const value = row[key];
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < 0) throw badOutput(what, `${at}.${key}: expected a byte count, found ${JSON.stringify(value)}`, stdout);
  return number;
}

function isObject(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits NUL-terminated fields; the output must end with a NUL (or be empty). */
function nulFields(what: string, stdout: string): string[] {
  if (stdout === '') return [];
  if (!stdout.endsWith('\0')) throw badOutput(what, 'the output does not end with a NUL byte (cut short?)', stdout);
  return stdout.slice(0, -1).split('\0');
}

function take(what: string, fields: readonly string[], index: number, stdout: string): string {
  if (index >= fields.length) throw badOutput(what, 'a record is cut short', stdout);
  return fields[index];
}
