// Finds a running guest's VNC server on its host, the way `xl vncviewer` does: the guest's
// domid and configuration from `xl list -l NAME`, then the address and port its device model
// recorded in xenstore. When xenstore cannot be read (no sudo rights for xenstore-read, an old
// device model) the configuration's display is the fallback, marked as a guess.

import { isXlError, xl, type XlError } from '../xl';
import type { XenHost, XenService } from '../xenService';
import { chooseEndpoint, vncSettings, type ConsoleEndpoint, type VncSettings } from './endpoint';

export interface LocatedConsole {
  domid: number;
  endpoint: ConsoleEndpoint;
  settings: VncSettings;
}

/** Why there is no screen to show; the message is for the user as it stands. */
export class NoConsoleError extends Error {
  override readonly name = 'NoConsoleError';
}

/**
 * Locates the VNC server of guest `name` on `host`. Rejects with NoConsoleError when the guest is
 * not running or has no VNC, and with the runner's XlError when `xl list -l` fails.
 */
export async function locateConsole(service: XenService, host: XenHost, name: string, signal?: AbortSignal): Promise<LocatedConsole> {
  let details;
  try {
    details = await service.run(host, xl.listLong(name), { signal });
  } catch (error) {
    // xl says "... is an invalid domain identifier" for a name it does not know: the guest is not running.
    if (isXlError(error) && /invalid domain identifier/i.test(`${error.message} ${error.detail ?? ''}`)) {
      throw new NoConsoleError(`${JSON.stringify(name)} is not running on ${host.label}.`);
    }
    throw error;
  }
  const entry = details.find((candidate) => candidate.name === name) ?? (details.length === 1 ? details[0] : undefined);
  if (entry === undefined) throw new NoConsoleError(`${JSON.stringify(name)} is not running on ${host.label}.`);
  const settings = vncSettings(entry.raw);
  if (settings === undefined) {
    throw new NoConsoleError(`${JSON.stringify(name)} has no graphical console: its configuration turns VNC off (HVM: vnc = 0; PV/PVH: no vfb with vnc=1).`);
  }
  let recorded;
  let problem: string | undefined;
  try {
    recorded = await service.run(host, xl.vncEndpoint(entry.domid), { signal });
  } catch (error) {
    if (!isXlError(error) || error.kind === 'cancelled') throw error;
    // Handled: xenstore is only the better source; the config still says where VNC should be.
    problem = shortReason(error);
  }
  const endpoint = chooseEndpoint(recorded, settings, problem);
  if (endpoint === undefined) throw new NoConsoleError(`${JSON.stringify(name)} has no graphical console.`);
  return { domid: entry.domid, endpoint, settings };
}

function shortReason(error: XlError): string {
  const first = error.message.split('\n')[0] ?? error.message;
  return first.length > 160 ? `${first.slice(0, 157)}…` : first;
}
