// Hand-written validation of the JSON that xl prints for `xl list -l` and `xl -N create`
// (libxl_domain_config with libxl field names). Unknown fields are kept in `raw`; a field we
// read with the wrong type is a 'bad-output' XlError naming its JSON path.

import { XlError, badOutput } from './errors';
import type { DiskRecord, DomainConfig, DomainDetails, NicRecord } from './types';

/** `xl list -l`: `[ { "domid": n, "config": {...} }, ... ]`. Empty output is an empty list. */
export function parseListLong(stdout: string): DomainDetails[] {
  const what = 'xl list -l';
  const value = parseJson(what, stdout);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badOutput(what, 'expected a JSON array of domains', stdout);
  return guard(what, stdout, () =>
    value.map((entry, index) => {
      const path = `[${index}]`;
      const object = expectObject(entry, path);
      const domid = expectInteger(object.domid, `${path}.domid`);
      const config = readDomainConfig(object.config, `${path}.config`);
      return { domid, ...config };
    }),
  );
}

/** `xl -N create`: a bare libxl_domain_config object. */
export function parseDomainConfigJson(stdout: string): DomainConfig {
  const what = 'xl -N create';
  const value = parseJson(what, stdout);
  if (value === undefined) throw badOutput(what, 'no configuration was printed', stdout);
  return guard(what, stdout, () => readDomainConfig(value, '$'));
}

// --- validation ---

/** Thrown inside the readers and turned into a bad-output XlError by `guard`. */
class ShapeError extends Error {}

type JsonObject = Record<string, unknown>;

function parseJson(what: string, stdout: string): unknown {
  const text = stdout.trim();
  if (text === '') return undefined;
  if (text.startsWith('(')) {
    throw badOutput(
      what,
      'xl printed SXP instead of JSON; remove output_format="sxp" from /etc/xen/xl.conf on that host',
      stdout,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badOutput(what, `not valid JSON (${(error as Error).message})`, stdout);
  }
}

function guard<T>(what: string, stdout: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof XlError) throw error;
    if (error instanceof ShapeError) throw badOutput(what, error.message, stdout);
    throw badOutput(what, String(error), stdout);
  }
}

function readDomainConfig(value: unknown, path: string): DomainConfig {
  const config = expectObject(value, path);
  const cInfo = expectObject(config.c_info, `${path}.c_info`);
  const bInfo = optionalObject(config.b_info, `${path}.b_info`) ?? {};
  const result: DomainConfig = {
    name: expectString(cInfo.name, `${path}.c_info.name`),
    disks: optionalArray(config.disks, `${path}.disks`).map((disk, index) => readDisk(disk, `${path}.disks[${index}]`)),
    nics: optionalArray(config.nics, `${path}.nics`).map((nic, index) => readNic(nic, `${path}.nics[${index}]`)),
    raw: config,
  };
  assign(result, 'uuid', optionalString(cInfo.uuid, `${path}.c_info.uuid`));
  assign(result, 'type', optionalString(cInfo.type, `${path}.c_info.type`));
  assign(result, 'maxVcpus', optionalInteger(bInfo.max_vcpus, `${path}.b_info.max_vcpus`));
  assign(result, 'maxMemKiB', optionalInteger(bInfo.max_memkb, `${path}.b_info.max_memkb`));
  assign(result, 'targetMemKiB', optionalInteger(bInfo.target_memkb, `${path}.b_info.target_memkb`));
  assign(result, 'kernel', optionalString(bInfo.kernel, `${path}.b_info.kernel`));
  assign(result, 'ramdisk', optionalString(bInfo.ramdisk, `${path}.b_info.ramdisk`));
  assign(result, 'cmdline', optionalString(bInfo.cmdline, `${path}.b_info.cmdline`));
  assign(result, 'bootloader', optionalString(bInfo.bootloader, `${path}.b_info.bootloader`));
  assign(result, 'onPoweroff', optionalString(config.on_poweroff, `${path}.on_poweroff`));
  assign(result, 'onReboot', optionalString(config.on_reboot, `${path}.on_reboot`));
  assign(result, 'onWatchdog', optionalString(config.on_watchdog, `${path}.on_watchdog`));
  assign(result, 'onCrash', optionalString(config.on_crash, `${path}.on_crash`));
  assign(result, 'onSoftReset', optionalString(config.on_soft_reset, `${path}.on_soft_reset`));
  return result;
}

function readDisk(value: unknown, path: string): DiskRecord {
  const disk = expectObject(value, path);
  const result: DiskRecord = {};
  assign(result, 'target', optionalString(disk.pdev_path, `${path}.pdev_path`));
  assign(result, 'vdev', optionalString(disk.vdev, `${path}.vdev`));
  assign(result, 'backend', optionalString(disk.backend, `${path}.backend`));
  assign(result, 'format', optionalString(disk.format, `${path}.format`));
  const readwrite = optionalInteger(disk.readwrite, `${path}.readwrite`);
  if (readwrite !== undefined) result.readwrite = readwrite !== 0;
  const isCdrom = optionalInteger(disk.is_cdrom, `${path}.is_cdrom`);
  if (isCdrom !== undefined) result.isCdrom = isCdrom !== 0;
  return result;
}

function readNic(value: unknown, path: string): NicRecord {
  const nic = expectObject(value, path);
  const result: NicRecord = {};
  assign(result, 'devid', optionalInteger(nic.devid, `${path}.devid`));
  assign(result, 'mac', optionalString(nic.mac, `${path}.mac`));
  assign(result, 'bridge', optionalString(nic.bridge, `${path}.bridge`));
  assign(result, 'ip', optionalString(nic.ip, `${path}.ip`));
  assign(result, 'model', optionalString(nic.model, `${path}.model`));
  assign(result, 'type', optionalString(nic.nictype ?? nic.type, `${path}.nictype`));
  assign(result, 'script', optionalString(nic.script, `${path}.script`));
  return result;
}

/** Sets a property only when it has a value, so results compare cleanly with deepEqual. */
function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function expectObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ShapeError(`${path}: expected an object, found ${describe(value)}`);
  }
  return value as JsonObject;
}

function optionalObject(value: unknown, path: string): JsonObject | undefined {
  return value === undefined ? undefined : expectObject(value, path);
}

function optionalArray(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ShapeError(`${path}: expected an array, found ${describe(value)}`);
  return value;
}

function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new ShapeError(`${path}: expected a string, found ${describe(value)}`);
  return value;
}

function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : expectString(value, path);
}

function expectInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ShapeError(`${path}: expected an integer, found ${describe(value)}`);
  }
  return value;
}

function optionalInteger(value: unknown, path: string): number | undefined {
  return value === undefined ? undefined : expectInteger(value, path);
}
