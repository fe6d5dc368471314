// The steps of New Guest: host, kind, name, memory, vCPUs, disk (a new volume, an unused volume
// or a new image file, with its size), the installer (HVM), the network, the screen and its
// password, and the summary with the two endings. Each step reads what it needs from the host
// survey (waiting, busy, while it loads), checks as the user types (stepRules.ts), and stores its
// answer in the WizardState, from which it also starts when shown again.

import * as vscode from 'vscode';
import type { XenHost } from '../xenService';
import { bridgeProblem, diskPath, diskTargetProblem, formatSize, freshXenMac, guestNameProblem, nextVncDisplay, parseSize, parseVcpus } from './allocate';
import type { GuestKind, NewGuestChoices } from './choices';
import { choicesProblem } from './configText';
import type { HostSurvey } from './hostSurvey';
import { separator, type PickEntry, type StepOutcome, type WizardStep } from './multiStep';
import { joinPath, type Placement } from './placement';
import {
  displayCheck,
  imageFolderCheck,
  isoNotice,
  kindUnavailable,
  memoryCheck,
  parseMemory,
  passwordCheck,
  sizeCheck,
  trimFolder,
  vcpuCheck,
  volumeGroupUnavailable,
  type Check,
} from './stepRules';
import { takenThings, volumeInUse, type ClaimSource, type TakenThings } from './usage';
import { choicesOf, forgetHostAnswers, hasScreenStep, wantsPassword, type WizardState } from './wizardState';

/** What the steps need from outside: the hosts, their surveys, this machine's files, the endings. */
export interface WizardEnv {
  hosts: readonly XenHost[];
  /** True when the host was given (a host row's menu): no Host step. */
  hostGiven: boolean;
  survey(host: XenHost): HostSurvey;
  placement(host: XenHost): Placement;
  /** Whether a file exists on this machine (where the config is written). */
  localFileExists(path: string): boolean;
  /** Which of the absolute paths exist on the host. Rejects when the host cannot be asked. */
  pathsExist(host: XenHost, paths: string[], signal?: AbortSignal): Promise<string[]>;
  random: () => number;
  /** The summary of what will be written and run. */
  summary(choices: NewGuestChoices, host: XenHost): SummaryFacts;
  /** Shows the exact commands and asks before anything runs; true to go on. */
  confirmRun(choices: NewGuestChoices, host: XenHost): Promise<boolean>;
}

export interface SummaryFacts {
  /** The config file that will be written. */
  path: string;
  /** The lines of the config worth showing (name, type, memory, disk, boot, vif, vnc). */
  keyLines: string[];
  /** The commands Create Disk and Start runs, as shown to the user. */
  commands: string[];
  /** Whether a disk is made (a new volume or image), for the wording of the ending. */
  createsDisk: boolean;
}

export const WIZARD_TITLE = 'New Guest';
/** The labels of the ending that runs commands (the e2e suite picks the first by its label). */
export const START_WITH_DISK = 'Write, Create Disk and Start';
export const START_ONLY = 'Write and Start';

const DEFAULT_IMAGE_FOLDER = '/var/lib/xen/images';
const DEFAULT_SIZE = '20G';

const KINDS: { kind: GuestKind; label: string; detail: string }[] = [
  { kind: 'hvm', label: 'HVM, installed from an ISO', detail: 'A full virtual machine with firmware and a CD drive; you install the system through its screen.' },
  { kind: 'pvh', label: 'PVH, booted by pygrub', detail: 'A lightweight guest without emulated devices; pygrub boots the kernel from a disk that already holds a system.' },
  { kind: 'pv', label: 'PV, booted by pygrub', detail: 'A paravirtualised guest; pygrub boots the kernel from a disk that already holds a system.' },
];

/** Claims of running guests and configs, and what could not be asked. */
interface Usage {
  taken: TakenThings;
  sources: ClaimSource[];
  runningProblem?: string;
}

async function usageOf(survey: HostSurvey): Promise<Usage> {
  const [running, configs] = await Promise.all([survey.running, survey.configs]);
  const runningClaims = running.ok ? running.value.claims : [];
  return {
    taken: takenThings(running.ok ? running.value.names : [], runningClaims, configs),
    sources: [...runningClaims, ...configs],
    runningProblem: running.ok ? undefined : running.problem,
  };
}

function toMessage(check: Check): vscode.InputBoxValidationMessage | undefined {
  if (check === undefined) return undefined;
  return { message: check.message, severity: check.warning ? vscode.InputBoxValidationSeverity.Warning : vscode.InputBoxValidationSeverity.Error };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A message without its final full stop, to go on with the sentence. */
function withoutStop(text: string): string {
  return text.replace(/\.+$/, '');
}

function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

export function newGuestSteps(env: WizardEnv): WizardStep<WizardState>[] {
  const hostOf = (state: WizardState): XenHost => {
    if (state.host === undefined) throw new Error('New Guest: a step ran before a host was chosen');
    return state.host;
  };
  const surveyOf = (state: WizardState): HostSurvey => env.survey(hostOf(state));
  const nameOf = (state: WizardState): string => state.name ?? 'guest';

  const hostStep: WizardStep<WizardState> = {
    id: 'host',
    title: 'Host',
    applies: () => !env.hostGiven && env.hosts.length > 1,
    async run(input, state) {
      const answer = await input.pick({
        placeholder: 'Which host runs the new guest?',
        entries: env.hosts.map((host) => ({ label: host.label, description: host.isLocal ? 'this machine' : 'over ssh', value: host })),
        isEarlier: (host) => host.id === state.host?.id,
      });
      if (answer.kind !== 'value') return answer.kind;
      if (state.host?.id !== answer.value.id) forgetHostAnswers(state);
      state.host = answer.value;
      env.survey(answer.value);
      return 'next';
    },
  };

  const kindStep: WizardStep<WizardState> = {
    id: 'kind',
    title: 'Kind',
    async run(input, state) {
      const host = hostOf(state);
      const answer = await input.pick({
        placeholder: `What kind of guest should ${host.label} run?`,
        entries: async () => {
          const info = await surveyOf(state).info;
          const caps = info.ok ? info.value.virtCaps : [];
          return KINDS.map<PickEntry<GuestKind>>((kind) => ({ label: kind.label, detail: kind.detail, value: kind.kind, unavailable: kindUnavailable(kind.kind, caps, host.label) }));
        },
        isEarlier: (kind) => kind === state.kind,
      });
      if (answer.kind !== 'value') return answer.kind;
      state.kind = answer.value;
      return 'next';
    },
  };

  const nameStep: WizardStep<WizardState> = {
    id: 'name',
    title: 'Name',
    async run(input, state) {
      const host = hostOf(state);
      const placement = env.placement(host);
      let usage: Usage | undefined;
      const answer = await input.text({
        prompt: `The guest's name on ${host.label}; the config becomes NAME.cfg${'folder' in placement ? ` in ${placement.folder}` : ''}.`,
        placeholder: 'web01',
        value: state.name,
        ready: usageOf(surveyOf(state)).then((found) => {
          usage = found;
        }),
        validate: (text) => {
          if ('problem' in placement) return toMessage({ message: placement.problem });
          const problem = guestNameProblem(text, { running: usage?.taken.runningNames ?? new Set(), configs: usage?.taken.configNames ?? new Set() });
          if (problem !== undefined) return toMessage({ message: problem });
          const path = joinPath(placement.folder, `${text}.cfg`);
          if (env.localFileExists(path)) return toMessage({ message: `${path} already exists; New Guest never overwrites a file.` });
          if (usage?.runningProblem !== undefined) return toMessage({ message: `${withoutStop(usage.runningProblem)}. The name is checked against the workspace's configs only.`, warning: true });
          return undefined;
        },
      });
      if (answer.kind !== 'value') return answer.kind;
      state.name = answer.value;
      return 'next';
    },
  };

  const memoryStep: WizardStep<WizardState> = {
    id: 'memory',
    title: 'Memory',
    async run(input, state) {
      const host = hostOf(state);
      let freeMiB: number | undefined;
      const answer = await input.text({
        prompt: `Memory for ${nameOf(state)} in MiB (or with a unit: 2G).`,
        value: state.memoryMiB === undefined ? undefined : String(state.memoryMiB),
        ready: surveyOf(state).info.then((info) => {
          const proposal = String(state.kind === 'hvm' ? 2048 : 1024);
          if (!info.ok) return { prompt: `Memory for ${nameOf(state)} in MiB. ${info.problem}`, value: proposal };
          freeMiB = info.value.freeMemoryMiB;
          const total = info.value.totalMemoryMiB;
          const free = freeMiB === undefined ? '' : ` ${host.label} has ${freeMiB} MiB free${total === undefined ? '' : ` of ${total} MiB`}.`;
          return { prompt: `Memory for ${nameOf(state)} in MiB (or with a unit: 2G).${free}`, value: proposal };
        }),
        validate: (text) => toMessage(memoryCheck(text, freeMiB, host.label)),
      });
      if (answer.kind !== 'value') return answer.kind;
      const parsed = parseMemory(answer.value);
      if (typeof parsed === 'string') throw new Error(`New Guest: the memory step took ${JSON.stringify(answer.value)}: ${parsed}`);
      state.memoryMiB = parsed;
      return 'next';
    },
  };

  const vcpuStep: WizardStep<WizardState> = {
    id: 'vcpus',
    title: 'vCPUs',
    async run(input, state) {
      const host = hostOf(state);
      let cpus: number | undefined;
      const answer = await input.text({
        prompt: `Virtual CPUs for ${nameOf(state)}.`,
        value: state.vcpus === undefined ? undefined : String(state.vcpus),
        ready: surveyOf(state).info.then((info) => {
          if (!info.ok) return { prompt: `Virtual CPUs for ${nameOf(state)}. ${info.problem}`, value: '1' };
          cpus = info.value.nrCpus;
          return { prompt: `Virtual CPUs for ${nameOf(state)}.${cpus === undefined ? '' : ` ${host.label} has ${cpus} CPUs.`}`, value: String(Math.min(2, cpus ?? 1)) };
        }),
        validate: (text) => toMessage(vcpuCheck(text, cpus)),
      });
      if (answer.kind !== 'value') return answer.kind;
      const parsed = parseVcpus(answer.value, cpus);
      if (typeof parsed === 'string') throw new Error(`New Guest: the vCPU step took ${JSON.stringify(answer.value)}: ${parsed}`);
      state.vcpus = parsed;
      return 'next';
    },
  };

  const diskStep: WizardStep<WizardState> = {
    id: 'disk',
    title: 'Disk',
    async run(input, state) {
      const host = hostOf(state);
      const survey = surveyOf(state);
      const name = nameOf(state);
      const answer = await input.pick<NonNullable<WizardState['diskKind']>>({
        placeholder: `The disk of ${name} on ${host.label}`,
        entries: async () => {
          const [groups, volumes, tools, usage] = await Promise.all([survey.volumeGroups, survey.logicalVolumes, survey.tools, usageOf(survey)]);
          let newVolume: string | undefined;
          if (!groups.ok) newVolume = groups.problem;
          else if (groups.value.length === 0) newVolume = `${host.label} has no LVM volume group.`;
          else if (groups.value.every((group) => volumeGroupUnavailable(group, name, volumes.ok ? volumes.value : undefined) !== undefined)) {
            newVolume = `No volume group on ${host.label} can take it: ${groups.value.map((group) => `${group.name}: ${volumeGroupUnavailable(group, name, volumes.ok ? volumes.value : undefined)}`).join('; ')}.`;
          }
          let existing: string | undefined;
          if (!volumes.ok) existing = volumes.problem;
          else if (usage.runningProblem !== undefined) existing = `${withoutStop(usage.runningProblem)}, so no volume can be shown as unused.`;
          else if (!volumes.value.some((volume) => volume.active && volumeInUse(volume, usage.sources) === undefined)) existing = `Every logical volume on ${host.label} is in use, open or inactive.`;
          const qcow2 = tools.ok && tools.value.tools.qemuImg;
          return [
            { label: 'New logical volume', description: 'in a volume group with room', value: 'new-volume', unavailable: newVolume },
            { label: 'Existing logical volume', description: 'one that no config or running guest uses', value: 'existing-volume', unavailable: existing },
            { label: 'New image file', description: qcow2 ? 'sparse raw, or qcow2, in a folder you choose' : 'sparse raw, in a folder you choose', value: 'new-image' },
          ];
        },
        isEarlier: (kind) => kind === state.diskKind,
      });
      if (answer.kind !== 'value') return answer.kind;
      state.diskKind = answer.value;
      return 'next';
    },
  };

  const volumeGroupStep: WizardStep<WizardState> = {
    id: 'volume-group',
    title: 'Volume group',
    applies: (state) => state.diskKind === 'new-volume',
    async run(input, state) {
      const host = hostOf(state);
      const survey = surveyOf(state);
      const name = nameOf(state);
      const answer = await input.pick<string>({
        placeholder: `The volume group for the new volume ${name}`,
        entries: async () => {
          const [groups, volumes] = await Promise.all([survey.volumeGroups, survey.logicalVolumes]);
          if (!groups.ok) return [{ label: 'No volume groups', value: '', unavailable: groups.problem }];
          if (groups.value.length === 0) return [{ label: 'No volume groups', value: '', unavailable: `${host.label} has no LVM volume group.` }];
          return [...groups.value]
            .sort((a, b) => b.freeBytes - a.freeBytes)
            .map((group) => ({
              label: `${group.name}: ${formatSize(group.freeBytes)} free of ${formatSize(group.sizeBytes)}`,
              description: `new volume /dev/${group.name}/${name}`,
              value: group.name,
              unavailable: volumeGroupUnavailable(group, name, volumes.ok ? volumes.value : undefined),
            }));
        },
        isEarlier: (vg) => vg === state.vg,
      });
      if (answer.kind !== 'value') return answer.kind;
      state.vg = answer.value;
      return 'next';
    },
  };

  const volumeStep: WizardStep<WizardState> = {
    id: 'volume',
    title: 'Existing volume',
    applies: (state) => state.diskKind === 'existing-volume',
    async run(input, state) {
      const host = hostOf(state);
      const survey = surveyOf(state);
      const answer = await input.pick<string>({
        placeholder: `A logical volume on ${host.label} that nothing uses; its contents stay as they are`,
        matchOnDescription: true,
        entries: async () => {
          const [volumes, usage] = await Promise.all([survey.logicalVolumes, usageOf(survey)]);
          if (!volumes.ok) return [{ label: 'No volumes', value: '', unavailable: volumes.problem }];
          if (volumes.value.length === 0) return [{ label: 'No volumes', value: '', unavailable: `${host.label} has no logical volume.` }];
          return [...volumes.value]
            .sort((a, b) => a.path.localeCompare(b.path))
            .map((volume) => ({
              label: volume.path,
              description: formatSize(volume.sizeBytes),
              value: volume.path,
              unavailable:
                usage.runningProblem !== undefined
                  ? `${withoutStop(usage.runningProblem)}, so it cannot be shown as unused.`
                  : (volumeInUse(volume, usage.sources) ?? (volume.active ? undefined : 'inactive: LVM has not activated it')),
            }));
        },
        isEarlier: (path) => path === state.volumePath,
      });
      if (answer.kind !== 'value') return answer.kind;
      state.volumePath = answer.value;
      return 'next';
    },
  };

  const imageFolderStep: WizardStep<WizardState> = {
    id: 'image-folder',
    title: 'Image folder',
    applies: (state) => state.diskKind === 'new-image',
    async run(input, state) {
      const host = hostOf(state);
      const answer = await input.text({
        prompt: `The folder on ${host.label} for the image file of ${nameOf(state)}.`,
        value: state.imageFolder ?? DEFAULT_IMAGE_FOLDER,
        validate: (text) => toMessage(imageFolderCheck(text, nameOf(state))),
        check: async (text, signal) => {
          const folder = trimFolder(text);
          const found = await env.pathsExist(host, [folder], signal);
          return found.includes(folder) ? undefined : `${folder} does not exist on ${host.label}.`;
        },
      });
      if (answer.kind !== 'value') return answer.kind;
      state.imageFolder = trimFolder(answer.value);
      return 'next';
    },
  };

  const imageFormatStep: WizardStep<WizardState> = {
    id: 'image-format',
    title: 'Image format',
    applies: (state) => state.diskKind === 'new-image',
    async run(input, state) {
      const host = hostOf(state);
      const survey = surveyOf(state);
      const name = nameOf(state);
      const folder = state.imageFolder ?? DEFAULT_IMAGE_FOLDER;
      const pathFor = (format: 'raw' | 'qcow2'): string => diskPath({ kind: 'new-image', folder, format, sizeBytes: 0 }, name);
      const answer = await input.pick<'raw' | 'qcow2'>({
        placeholder: `The format of the new image in ${folder}`,
        entries: async () => {
          const paths = [pathFor('raw'), pathFor('qcow2')];
          let existing: string[] | undefined;
          let problem: string | undefined;
          try {
            existing = await env.pathsExist(host, paths);
          } catch (error) {
            // Shown on both entries: without the answer neither path is known to be free.
            problem = `Could not check whether it exists on ${host.label}: ${error instanceof Error ? error.message : String(error)}`;
          }
          const tools = await survey.tools;
          const taken = (path: string): string | undefined => problem ?? (existing?.includes(path) ? `${path} already exists on ${host.label}` : undefined);
          const noQemuImg = !tools.ok ? tools.problem : tools.value.tools.qemuImg ? undefined : `qemu-img is not installed on ${host.label}.`;
          return [
            { label: 'Sparse raw image', description: paths[0], detail: 'Takes space only as the guest writes; works everywhere.', value: 'raw' as const, unavailable: taken(paths[0]) },
            { label: 'qcow2 image', description: paths[1], detail: 'Grows as the guest writes; snapshots with qemu-img.', value: 'qcow2' as const, unavailable: noQemuImg ?? taken(paths[1]) },
          ];
        },
        isEarlier: (format) => format === state.imageFormat,
      });
      if (answer.kind !== 'value') return answer.kind;
      state.imageFormat = answer.value;
      return 'next';
    },
  };

  const sizeStep: WizardStep<WizardState> = {
    id: 'size',
    title: 'Size',
    applies: (state) => state.diskKind === 'new-volume' || state.diskKind === 'new-image',
    async run(input, state) {
      const survey = surveyOf(state);
      const name = nameOf(state);
      const volume = state.diskKind === 'new-volume';
      let limit: number | undefined;
      const where = volume ? `${state.vg}` : undefined;
      const target = volume ? `/dev/${state.vg}/${name}` : diskPath({ kind: 'new-image', folder: state.imageFolder ?? DEFAULT_IMAGE_FOLDER, format: state.imageFormat ?? 'raw', sizeBytes: 0 }, name);
      const answer = await input.text({
        prompt: `The size of ${target}: 20G, 512M, 1.5T (a plain number is GiB).`,
        value: state.sizeText ?? DEFAULT_SIZE,
        ready: volume
          ? survey.volumeGroups.then((groups) => {
              const group = groups.ok ? groups.value.find((candidate) => candidate.name === state.vg) : undefined;
              limit = group?.freeBytes;
              return group === undefined ? undefined : { prompt: `The size of ${target}: 20G, 512M, 1.5T (a plain number is GiB). ${group.name} has ${formatSize(group.freeBytes)} free.` };
            })
          : undefined,
        validate: (text) => toMessage(sizeCheck(text, limit, where)),
      });
      if (answer.kind !== 'value') return answer.kind;
      const bytes = parseSize(answer.value);
      if (typeof bytes === 'string') throw new Error(`New Guest: the size step took ${JSON.stringify(answer.value)}: ${bytes}`);
      state.sizeText = answer.value.trim();
      state.sizeBytes = bytes;
      return 'next';
    },
  };

  const installStep: WizardStep<WizardState> = {
    id: 'install',
    title: 'Install from',
    applies: (state) => state.kind === 'hvm',
    async run(input, state) {
      const host = hostOf(state);
      const survey = surveyOf(state);
      type Install = NonNullable<WizardState['install']>;
      const answer = await input.pick<Install>({
        placeholder: `The installer ${nameOf(state)} boots first (its CD drive)`,
        matchOnDescription: true,
        entries: async () => {
          const isos = await survey.isos;
          const entries: PickEntry<Install>[] = [];
          if (!isos.ok) {
            entries.push({ label: 'No ISO list', value: { kind: 'network' }, unavailable: isos.problem });
          } else {
            const notice = isoNotice(isos.value, host.label);
            if (notice !== undefined) entries.push({ label: 'No ISO found', value: { kind: 'network' }, unavailable: notice });
            for (const iso of isos.value.isos) {
              entries.push({ label: baseName(iso.path), description: folderOf(iso.path), detail: formatSize(iso.sizeBytes), value: { kind: 'iso', path: iso.path }, unavailable: diskTargetProblem(iso.path) });
            }
          }
          entries.push(separator('or'), { label: 'Network boot (PXE)', description: 'boot = "nc": the installer comes from the network', value: { kind: 'network' } });
          return entries;
        },
        isEarlier: (install) => (install.kind === 'iso' ? state.install?.kind === 'iso' && state.install.path === install.path : state.install?.kind === 'network'),
      });
      if (answer.kind !== 'value') return answer.kind;
      state.install = answer.value;
      return 'next';
    },
  };

  const networkStep: WizardStep<WizardState> = {
    id: 'network',
    title: 'Network',
    async run(input, state) {
      const host = hostOf(state);
      const survey = surveyOf(state);
      type Network = NonNullable<WizardState['network']>;
      const answer = await input.pick<Network>({
        placeholder: `The bridge on ${host.label} for the network card of ${nameOf(state)}`,
        entries: async () => {
          const [tools, usage] = await Promise.all([survey.tools, usageOf(survey)]);
          state.mac ??= freshXenMac(env.random, usage.taken.macs);
          const mac = state.mac;
          const entries: PickEntry<Network>[] = [];
          if (!tools.ok) entries.push({ label: 'No bridges', value: 'none', unavailable: tools.problem });
          else if (tools.value.bridges.length === 0) entries.push({ label: 'No bridges', value: 'none', unavailable: `${host.label} has no network bridge.` });
          else for (const bridge of [...tools.value.bridges].sort()) entries.push({ label: bridge, description: `a new card with MAC ${mac}`, value: { bridge, mac }, unavailable: bridgeProblem(bridge) });
          const networkBoot = state.kind === 'hvm' && state.install?.kind === 'network';
          entries.push({ label: 'No network', description: 'the guest gets no network card', value: 'none', unavailable: networkBoot ? 'Network boot needs a network card: choose a bridge, or go Back and pick an ISO.' : undefined });
          return entries;
        },
        isEarlier: (network) => (network === 'none' ? state.network === 'none' : typeof state.network === 'object' && state.network.bridge === network.bridge),
      });
      if (answer.kind !== 'value') return answer.kind;
      state.network = answer.value;
      return 'next';
    },
  };

  const screenStep: WizardStep<WizardState> = {
    id: 'screen',
    title: 'Screen',
    applies: hasScreenStep,
    async run(input, state) {
      const host = hostOf(state);
      const survey = surveyOf(state);
      let proposed = 1;
      const answer = await input.pick<NonNullable<WizardState['screen']>>({
        placeholder: `The screen of ${nameOf(state)}: VNC on 127.0.0.1 of ${host.label}, which the graphical console reaches`,
        entries: async () => {
          const usage = await usageOf(survey);
          const earlier = state.vncDisplay !== undefined && !usage.taken.vncDisplays.has(state.vncDisplay) ? state.vncDisplay : undefined;
          proposed = earlier ?? nextVncDisplay(usage.taken.vncDisplays);
          const port = 5900 + proposed;
          const entries: PickEntry<NonNullable<WizardState['screen']>>[] = [
            { label: `VNC on display ${proposed}`, description: `127.0.0.1:${port}, no password`, detail: `Only ${host.label} itself reaches it; the graphical console goes there through ${host.isLocal ? 'this machine' : 'ssh'}.`, value: 'vnc' },
            { label: `VNC on display ${proposed} with a password…`, description: `127.0.0.1:${port}`, detail: "The password is written to the config; VS Code's secret storage keeps it for the console.", value: 'vnc-password' },
            { label: 'VNC on another display…', description: 'choose the display number', value: 'vnc-other' },
          ];
          if (state.kind === 'pv') entries.push({ label: 'No graphical console', description: 'the text console (xl console) only', value: 'none' });
          return entries;
        },
        isEarlier: (screen) => screen === state.screen,
      });
      if (answer.kind !== 'value') return answer.kind;
      state.screen = answer.value;
      if (answer.value === 'vnc' || answer.value === 'vnc-password') state.vncDisplay = proposed;
      return 'next';
    },
  };

  const displayStep: WizardStep<WizardState> = {
    id: 'display',
    title: 'VNC display',
    applies: (state) => hasScreenStep(state) && state.screen === 'vnc-other',
    async run(input, state) {
      let used: ReadonlySet<number> = new Set();
      const answer = await input.text({
        prompt: 'The VNC display number; the port is 5900 + the display.',
        value: state.vncDisplay === undefined ? undefined : String(state.vncDisplay),
        ready: usageOf(surveyOf(state)).then((usage) => {
          used = usage.taken.vncDisplays;
          return { value: String(nextVncDisplay(used)) };
        }),
        validate: (text) => toMessage(displayCheck(text, used)),
      });
      if (answer.kind !== 'value') return answer.kind;
      state.vncDisplay = Number(answer.value.trim());
      return 'next';
    },
  };

  const passwordChoiceStep: WizardStep<WizardState> = {
    id: 'password-choice',
    title: 'VNC password',
    applies: (state) => hasScreenStep(state) && state.screen === 'vnc-other',
    async run(input, state) {
      const answer = await input.pick<boolean>({
        placeholder: 'A password for the VNC screen?',
        entries: [
          { label: 'No password', description: `only ${hostOf(state).label} itself reaches the screen (127.0.0.1)`, value: false },
          { label: 'Set a password…', description: "written to the config; VS Code's secret storage keeps it for the console", value: true },
        ],
        isEarlier: (wanted) => wanted === state.passwordWanted,
      });
      if (answer.kind !== 'value') return answer.kind;
      state.passwordWanted = answer.value;
      return 'next';
    },
  };

  const passwordStep: WizardStep<WizardState> = {
    id: 'password',
    title: 'VNC password',
    applies: wantsPassword,
    async run(input, state) {
      const answer = await input.text({
        prompt: `At most 8 characters. It goes into ${nameOf(state)}.cfg as vncpasswd (whoever reads the file reads it) and into VS Code's secret storage for the console.`,
        password: true,
        value: state.password,
        validate: (text) => toMessage(passwordCheck(text, state.kind ?? 'hvm')),
      });
      if (answer.kind !== 'value') return answer.kind;
      state.password = answer.value;
      return 'next';
    },
  };

  const summaryStep: WizardStep<WizardState> = {
    id: 'summary',
    title: 'Summary',
    async run(input, state): Promise<StepOutcome> {
      const host = hostOf(state);
      const choices = choicesOf(state);
      if ('missing' in choices) throw new Error(`New Guest: the summary was reached without the ${choices.missing}`);
      // Each step checked its answer; this catches a combination no single step sees.
      const problem = choicesProblem(choices);
      if (problem !== undefined) {
        const answer = await input.pick<never>({ placeholder: 'This guest cannot be written yet: go Back and change an answer.', entries: [{ label: 'Cannot write this config', value: undefined as never, unavailable: problem }] });
        return answer.kind === 'value' ? 'back' : answer.kind;
      }
      const facts = env.summary(choices, host);
      for (;;) {
        type Ending = NonNullable<WizardState['ending']>;
        const answer = await input.pick<Ending>({
          placeholder: `Write ${facts.path}, then ${facts.createsDisk ? 'create the disk and start' : 'start'} on ${host.label}?`,
          informationalHint: `That row only shows what will happen: choose Write Config or ${facts.createsDisk ? START_WITH_DISK : START_ONLY} (or Back to change an answer).`,
          entries: [
            { label: facts.createsDisk ? START_WITH_DISK : START_ONLY, iconPath: new vscode.ThemeIcon('play'), description: 'shows the commands before they run', detail: facts.commands.join('   ·   '), value: 'write-and-start' },
            { label: 'Write Config', iconPath: new vscode.ThemeIcon('save'), description: facts.path, detail: 'Only writes the file and opens it; nothing runs.', value: 'write' },
            separator(`${baseName(facts.path)} will say`),
            ...facts.keyLines.map<PickEntry<Ending>>((line) => ({ label: line, value: 'write', informational: true, alwaysShow: true })),
          ],
          isEarlier: (ending) => ending === state.ending,
        });
        if (answer.kind !== 'value') return answer.kind;
        if (answer.value === 'write-and-start' && !(await env.confirmRun(choices, host))) continue;
        state.ending = answer.value;
        return 'next';
      }
    },
  };

  return [
    hostStep,
    kindStep,
    nameStep,
    memoryStep,
    vcpuStep,
    diskStep,
    volumeGroupStep,
    volumeStep,
    imageFolderStep,
    imageFormatStep,
    sizeStep,
    installStep,
    networkStep,
    screenStep,
    displayStep,
    passwordChoiceStep,
    passwordStep,
    summaryStep,
  ];
}
