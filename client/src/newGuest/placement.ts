// Where New Guest writes the new config, and what a failed write tells the user. Pure: the facts
// about this machine (whether it runs Xen, the workspace folder) come in as arguments.

export interface PlacementFacts {
  /** `xen.configDirectory`, already checked to be absolute. */
  setting: string | undefined;
  /** The guest runs on this machine (not an ssh host of `xen.hosts`). */
  hostIsLocal: boolean;
  /** This machine is a dom0 with an /etc/xen (both /etc/xen and /proc/xen exist). */
  localXenConfigFolder: boolean;
  /** The first workspace folder on this machine's file system, if one is open. */
  workspaceFolder: string | undefined;
}

export type Placement = { folder: string; why: string } | { problem: string };

/**
 * The folder for `<name>.cfg`: the setting when given; /etc/xen for a guest of this dom0; else the
 * first workspace folder. A config for an ssh host stays in the workspace (Start sends its text),
 * never in this machine's /etc/xen.
 */
export function configFolder(facts: PlacementFacts): Placement {
  if (facts.setting !== undefined) return { folder: facts.setting, why: 'the setting xen.configDirectory' };
  if (facts.hostIsLocal && facts.localXenConfigFolder) return { folder: '/etc/xen', why: 'this machine is the dom0' };
  if (facts.workspaceFolder !== undefined) {
    return { folder: facts.workspaceFolder, why: facts.hostIsLocal ? 'the first workspace folder' : 'the first workspace folder (Start sends the config to the host)' };
  }
  return {
    problem: facts.hostIsLocal
      ? 'New Guest needs a folder for the config: open a folder (such as /etc/xen), or set xen.configDirectory.'
      : 'New Guest keeps the config of an ssh host in the workspace: open a folder, or set xen.configDirectory.',
  };
}

/** `folder` + `/` + `file`, without doubling the slash of `/`. */
export function joinPath(folder: string, file: string): string {
  return folder.endsWith('/') ? `${folder}${file}` : `${folder}/${file}`;
}

/** What a failed write of `path` means, from the error's code (EEXIST, EACCES, …). */
export function writeProblem(code: string | undefined, path: string, user: string | undefined): string {
  const folder = path.slice(0, path.lastIndexOf('/')) || '/';
  const who = user ? ` as ${user}` : '';
  switch (code) {
    case 'EEXIST':
      return `${path} already exists; New Guest never overwrites a file. Choose another name, or move that file away.`;
    case 'EACCES':
    case 'EPERM':
      return `VS Code runs${who} and may not write in ${folder}. Set xen.configDirectory to a folder you can write, or give${who || ' this user'} write access there.`;
    case 'EROFS':
      return `${folder} is on a read-only file system. Set xen.configDirectory to a writable folder.`;
    case 'ENOENT':
    case 'ENOTDIR':
      return `The folder ${folder} does not exist. Create it, or set xen.configDirectory to a folder that exists.`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `There is no space left for ${path}.`;
    default:
      return `Could not write ${path}${code ? ` (${code})` : ''}.`;
  }
}
