// When a guest's devices are read: only when its node is expanded, then kept per host and domain
// id while the guest keeps that id and its state (running, paused, …), so the view's redraw on
// every refresh costs no xl call. A new domain id, another state, or the user's Refresh reads
// again. No `vscode` import.

import type { XenHost, XenService } from '../xenService';
import { XlError, xl, type Domain } from '../xl';
import type { GuestDetailReadings, Reading } from './details';
import { guestStateKey, type GuestStateKey } from './model';

export type DetailReader = (host: XenHost, domain: Domain) => Promise<GuestDetailReadings>;

/** The states whose devices can be listed: the guest has a live domain with its backends. */
export function hasDetails(domain: Pick<Domain, 'id' | 'state'>): boolean {
  const state = guestStateKey(domain);
  return state === 'running' || state === 'paused' || state === 'dom0';
}

interface Entry {
  state: GuestStateKey;
  readings: Promise<GuestDetailReadings>;
}

export class GuestDetailsCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly read: DetailReader) {}

  /** The readings of this guest: kept ones if its id and state are unchanged, else a new read. */
  get(host: XenHost, domain: Domain): Promise<GuestDetailReadings> {
    const key = keyOf(host.id, domain.id);
    const state = guestStateKey(domain);
    const known = this.entries.get(key);
    if (known !== undefined && known.state === state) return known.readings;
    const readings = this.read(host, domain);
    this.entries.set(key, { state, readings });
    return readings;
  }

  /** Forgets the guests of this host that are gone or in another state (after each xl list). */
  retain(hostId: string, domains: readonly Domain[] | undefined): void {
    const live = new Map((domains ?? []).map((domain) => [keyOf(hostId, domain.id), guestStateKey(domain)]));
    for (const [key, entry] of this.entries) {
      if (!key.startsWith(`${hostId}\n`)) continue;
      if (live.get(key) !== entry.state) this.entries.delete(key);
    }
  }

  /** The user pressed Refresh: every expanded guest is read again. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Reads a guest's devices with the service: block-list, network-list, vcpu-list and list -l in
 * parallel (Domain-0: only vcpu-list), each failure kept for its own group. By domain id, so a
 * guest literally named "123" is still itself.
 */
export function serviceDetailReader(service: Pick<XenService, 'run'>): DetailReader {
  return async (host, domain) => {
    const id = domain.id;
    if (id === 0) return { vcpus: await settle(service.run(host, xl.vcpuList(id))) };
    const [disks, nics, vcpus, config] = await Promise.all([
      settle(service.run(host, xl.blockList(id))),
      settle(service.run(host, xl.networkList(id))),
      settle(service.run(host, xl.vcpuList(id))),
      settle(service.run(host, xl.listLong(id))),
    ]);
    return { disks, nics, vcpus, config };
  };
}

async function settle<T>(promise: Promise<T>): Promise<Reading<T>> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: asXlError(error) };
  }
}

/** An untrusted workspace's refusal (or a bug) shown like an xl failure, with its own message. */
function asXlError(error: unknown): XlError {
  if (error instanceof XlError) return error;
  return new XlError('failed', error instanceof Error ? error.message : String(error), { cause: error });
}

function keyOf(hostId: string, domid: number): string {
  return `${hostId}\n${domid}`;
}
