// The decisions behind Migrate to Host…, as pure functions: which hosts may receive the guest,
// the address the source dom0 should use, which disk paths to look for on the target, what the
// target's answers mean, and the words of the questions. No `vscode` import.

import { xl, type DomainConfig } from '../xl';
import type { XenHost } from '../xenService';

/** The hosts a guest of SOURCE may move to: every other configured host. */
export function migrationTargets(hosts: readonly XenHost[], sourceId: string): XenHost[] {
  return hosts.filter((host) => host.id !== sourceId);
}

/**
 * The address proposed for TARGET: its ssh destination as xen.hosts has it (it may be an alias of
 * this machine's ~/.ssh/config that the source dom0 does not know, hence the question), or, for
 * this machine, its host name.
 */
export function defaultMigrationAddress(target: XenHost): string {
  if (target.target.kind === 'ssh') return target.target.destination;
  return target.label;
}

/** The input box's prompt: why the address is asked, and who uses it. */
export function migrationAddressPrompt(sourceLabel: string, targetLabel: string): string {
  return (
    `How ${sourceLabel} reaches ${targetLabel}: xl on ${sourceLabel} runs "ssh ADDRESS xl migrate-receive" as root, so root there must log in ` +
    `to ADDRESS without a password, as a user that may run xl (normally root). An alias from this machine's ssh config may mean nothing there. ` +
    'Format: [user@]host or an IPv4 address.'
  );
}

/** Why the typed address cannot be used (the builder's own rule), or undefined. */
export function migrationAddressInputProblem(text: string): string | undefined {
  const problem = xl.migrationAddressProblem(text.trim());
  return problem === undefined ? undefined : `Not usable: ${problem}.`;
}

/**
 * The disks to look for on the target: the absolute targets of the guest's disks (an empty CD
 * drive has none), and the targets that are not paths (a script's argument, a network volume),
 * which cannot be checked.
 */
export function migrationDisks(details: Pick<DomainConfig, 'disks'>): { paths: string[]; unchecked: string[] } {
  const paths: string[] = [];
  const unchecked: string[] = [];
  for (const disk of details.disks) {
    const target = disk.target?.trim() ?? '';
    if (target === '') continue;
    const list = target.startsWith('/') ? paths : unchecked;
    if (!list.includes(target)) list.push(target);
  }
  return { paths, unchecked };
}

/** What the target said, for the decision. */
export interface TargetFacts {
  /** The disk paths that exist there. */
  existing: readonly string[];
  /** A domain of the same name there, with its UUID when it was read. */
  sameName?: { id: number; uuid?: string };
}

/**
 * Whether the migration may go ahead: every disk path exists on the target, and the guest's name
 * is free there, except when the target is the source's own dom0 under another name (the same
 * domain, by id and UUID, shows there: xl can migrate a guest to its own host).
 */
export function migrationVerdict(
  source: { name: string; id: number; uuid?: string; hostLabel: string },
  targetLabel: string,
  paths: readonly string[],
  facts: TargetFacts,
): { problem?: string; sameHost: boolean; missing: string[] } {
  const missing = paths.filter((path) => !facts.existing.includes(path));
  const sameHost = facts.sameName !== undefined && facts.sameName.id === source.id && source.uuid !== undefined && facts.sameName.uuid === source.uuid;
  if (facts.sameName !== undefined && !sameHost) {
    return {
      problem: `A guest named ${JSON.stringify(source.name)} already exists on ${targetLabel} (id ${facts.sameName.id}): xl could not start the migrated guest there under its name.`,
      sameHost,
      missing,
    };
  }
  if (missing.length > 0) {
    return {
      problem:
        `${missing.length === 1 ? 'This disk is' : 'These disks are'} not on ${targetLabel}: ${missing.join(', ')}. ` +
        `The guest's disks are not copied: ${targetLabel} must reach the same storage under the same paths (shared storage, such as iSCSI, NFS or DRBD).`,
      sameHost,
      missing,
    };
  }
  return { sameHost, missing };
}

/** The modal before a migration, naming the disk paths and what shared storage means here. */
export function migrationConfirmation(facts: {
  name: string;
  sourceLabel: string;
  targetLabel: string;
  address: string;
  paths: readonly string[];
  unchecked: readonly string[];
  sameHost: boolean;
}): { message: string; detail: string } {
  const disks =
    facts.paths.length === 0 && facts.unchecked.length === 0
      ? 'The guest has no disks.'
      : [
          facts.paths.length > 0 ? `Found on ${facts.targetLabel}: ${facts.paths.join(', ')}.` : '',
          facts.unchecked.length > 0 ? `Not checked (not paths): ${facts.unchecked.join(', ')}.` : '',
        ]
          .filter(Boolean)
          .join('\n');
  const same = facts.sameHost ? `\n\n${facts.targetLabel} is the same dom0 as ${facts.sourceLabel} (the guest shows there with its id and UUID): the guest moves within that host.` : '';
  return {
    message: `Migrate ${JSON.stringify(facts.name)} from ${facts.sourceLabel} to ${facts.targetLabel}?`,
    detail:
      `xl on ${facts.sourceLabel} copies the guest's memory to ${facts.address} over ssh while it runs, then moves it over in a short pause.\n\n` +
      `Shared storage: the disks are NOT copied. ${facts.targetLabel} uses the same paths, and they must be the same storage (iSCSI, NFS, DRBD, …), ` +
      `not copies, or the guest would continue on different disks.\n${disks}${same}\n\n` +
      'The migration cannot be cancelled once it starts: stopping xl halfway could leave the guest suspended.',
  };
}
