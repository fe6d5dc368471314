// What is already taken on a host, from the workspace's configs and the guests running there:
// guest names, MAC addresses, VNC displays, and which logical volumes some guest uses. Pure (no
// `vscode`, no I/O); hostSurvey.ts feeds it what it read.

import { vncSettings } from '../console/endpoint';
import type { DomainDetails, LogicalVolume } from '../xl';
import { volumeDevicePaths } from '../xl/hostParsers';
import { normalizeMac, type GuestClaims } from './configScan';

/** Claims and who makes them, for messages: `web.cfg` or `running guest "web"`. */
export interface ClaimSource {
  what: string;
  claims: GuestClaims;
}

export interface TakenThings {
  /** Names of running guests. */
  runningNames: ReadonlySet<string>;
  /** Names given by configs of the workspace. */
  configNames: ReadonlySet<string>;
  macs: ReadonlySet<string>;
  vncDisplays: ReadonlySet<number>;
}

/** The first VNC display's TCP port. */
const VNC_BASE_PORT = 5900;

/**
 * The claims of running guests from `xl list -l`. `recordedPorts` (domid → port) holds the ports
 * the device models really opened, where xenstore told us: a guest with `vncunused` may sit on a
 * later display than its config asks for.
 */
export function runningGuestClaims(details: readonly DomainDetails[], recordedPorts: ReadonlyMap<number, number> = new Map()): ClaimSource[] {
  return details.map((guest) => {
    const displays: number[] = [];
    const recorded = recordedPorts.get(guest.domid);
    if (recorded !== undefined && recorded >= VNC_BASE_PORT) displays.push(recorded - VNC_BASE_PORT);
    const settings = vncSettings(guest.raw);
    if (settings !== undefined && !displays.includes(settings.display)) displays.push(settings.display);
    return {
      what: `running guest ${JSON.stringify(guest.name)}`,
      claims: {
        name: guest.name,
        macs: guest.nics.map((nic) => nic.mac).filter((mac): mac is string => mac !== undefined && mac !== '').map(normalizeMac),
        vncDisplays: displays,
        diskTargets: guest.disks.map((disk) => disk.target).filter((target): target is string => target !== undefined && target !== ''),
      },
    };
  });
}

/** Whether the VNC display of a running guest is a guess worth asking xenstore about. */
export function displayIsUncertain(guest: DomainDetails): boolean {
  const settings = vncSettings(guest.raw);
  return settings !== undefined && settings.findUnused;
}

/** Everything taken, from running guests (`running`) and the workspace's configs (`configs`). */
export function takenThings(runningNames: Iterable<string>, running: readonly ClaimSource[], configs: readonly ClaimSource[]): TakenThings {
  const all = [...running, ...configs];
  return {
    runningNames: new Set([...runningNames, ...running.map((source) => source.claims.name).filter((name): name is string => name !== undefined)]),
    configNames: new Set(configs.map((source) => source.claims.name).filter((name): name is string => name !== undefined)),
    macs: new Set(all.flatMap((source) => source.claims.macs)),
    vncDisplays: new Set(all.flatMap((source) => source.claims.vncDisplays)),
  };
}

/**
 * Why a logical volume must not become a new guest's disk, or undefined when it is free: a config
 * or a running guest names it (as /dev/VG/LV or /dev/mapper/VG-LV), or LVM says it is open
 * (mounted, or held by a process or a guest we do not know of).
 */
export function volumeInUse(volume: Pick<LogicalVolume, 'name' | 'vg' | 'path' | 'open'>, sources: readonly ClaimSource[]): string | undefined {
  const paths = volumePaths(volume);
  const user = sources.find((source) => source.claims.diskTargets.some((target) => paths.has(normalizePath(target))));
  if (user !== undefined) return `used by ${user.what}`;
  if (volume.open) return 'open on the host (mounted, or in use by a process or a guest)';
  return undefined;
}

/** The names a volume goes by under /dev. */
function volumePaths(volume: Pick<LogicalVolume, 'name' | 'vg' | 'path'>): Set<string> {
  return new Set(volumeDevicePaths(volume).map(normalizePath));
}

/** `/dev//xenvg/./web/` → `/dev/xenvg/web`. */
function normalizePath(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  return `/${parts.join('/')}`;
}
