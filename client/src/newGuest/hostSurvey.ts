// What the steps of New Guest need to know about one host, asked all at once when the host is
// chosen so that the answers are there (or on their way) when a step needs them: free memory and
// CPUs, the guests running there and what they use, LVM's volume groups and volumes, the ISOs,
// the bridges and tools, and what the workspace's configs claim. A question that fails becomes a
// message for the step that needed it; nothing here shows a notification.

import * as vscode from 'vscode';
import type { CommandContext } from '../commands/context';
import type { XenHost } from '../xenService';
import { hostTools, isXlError, xl, type DomainDetails, type HostInfo, type HostToolFacts, type IsoListing, type LogicalVolume, type VolumeGroup, type XlCommand } from '../xl';
import { readConfigText } from '../tree/configIndex';
import { scanGuestClaims } from './configScan';
import { displayIsUncertain, runningGuestClaims, type ClaimSource } from './usage';

/** An answer from the host, or the message that says why there is none. */
export type Gathered<T> = { ok: true; value: T } | { ok: false; problem: string };

export interface RunningGuests {
  names: string[];
  claims: ClaimSource[];
}

export interface HostSurvey {
  host: XenHost;
  info: Promise<Gathered<HostInfo>>;
  running: Promise<Gathered<RunningGuests>>;
  volumeGroups: Promise<Gathered<VolumeGroup[]>>;
  logicalVolumes: Promise<Gathered<LogicalVolume[]>>;
  isos: Promise<Gathered<IsoListing>>;
  tools: Promise<Gathered<HostToolFacts>>;
  /** The workspace's configs (read from this machine); never fails, unreadable files are left out. */
  configs: Promise<ClaimSource[]>;
  /** Stops what is still being asked (the wizard closed). */
  dispose(): void;
}

/** Starts every question at once; each promise settles on its own and never rejects. */
export function surveyHost(ctx: CommandContext, host: XenHost): HostSurvey {
  const controller = new AbortController();
  const signal = controller.signal;
  const ask = <T>(command: XlCommand<T>, what: (reason: string) => string): Promise<Gathered<T>> =>
    ctx.service.run(host, command, { signal }).then(
      (value): Gathered<T> => ({ ok: true, value }),
      (error: unknown): Gathered<T> => ({ ok: false, problem: what(reasonOf(error)) }),
    );
  const isoDirectories = ctx.service.settings().isoDirectories;
  return {
    host,
    info: ask(xl.info(), (reason) => `Could not read xl info on ${host.label}: ${reason}`),
    running: runningGuests(ctx, host, signal),
    volumeGroups: ask(hostTools.volumeGroups(), (reason) => `LVM is not available on ${host.label}: ${reason}`),
    logicalVolumes: ask(hostTools.logicalVolumes(), (reason) => `LVM is not available on ${host.label}: ${reason}`),
    isos: ask(hostTools.isoFiles(isoDirectories), (reason) => `Could not look for ISOs on ${host.label}: ${reason}`),
    tools: ask(hostTools.hostToolFacts(), (reason) => `Could not look for bridges and tools on ${host.label}: ${reason}`),
    configs: workspaceClaims(ctx),
    dispose: () => controller.abort(),
  };
}

/** The message of a failed question: the runner's plain-language text. */
export function reasonOf(error: unknown): string {
  if (isXlError(error)) return error.message.split('\n')[0] ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * `xl list` for the names, `xl list -l` for what the guests use; for a guest whose VNC display xl
 * may have moved (vncunused), the port its device model recorded in xenstore.
 */
async function runningGuests(ctx: CommandContext, host: XenHost, signal: AbortSignal): Promise<Gathered<RunningGuests>> {
  let names: string[];
  let details: DomainDetails[];
  try {
    [names, details] = await Promise.all([
      ctx.service.run(host, xl.list(), { signal }).then((domains) => domains.map((domain) => domain.name)),
      ctx.service.run(host, xl.listLong(), { signal }),
    ]);
  } catch (error) {
    return { ok: false, problem: `Could not ask ${host.label} for its guests: ${reasonOf(error)}` };
  }
  const ports = new Map<number, number>();
  await Promise.all(
    details.filter(displayIsUncertain).map(async (guest) => {
      try {
        ports.set(guest.domid, (await ctx.service.run(host, xl.vncEndpoint(guest.domid), { signal })).port);
      } catch {
        // Handled: xenstore is only the better source; the config's display is counted anyway.
      }
    }),
  );
  return { ok: true, value: { names, claims: runningGuestClaims(details, ports) } };
}

/** The claims of every config the workspace has (the open editor's text where one is open). */
async function workspaceClaims(ctx: CommandContext): Promise<ClaimSource[]> {
  const files = await ctx.configs.ready();
  const read = await Promise.all(
    files.map(async (file): Promise<ClaimSource | undefined> => {
      const text = await readConfigText(file.uri);
      return text === undefined ? undefined : { what: vscode.workspace.asRelativePath(file.uri, false), claims: scanGuestClaims(text) };
    }),
  );
  return read.filter((source): source is ClaimSource => source !== undefined);
}
