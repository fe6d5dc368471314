// What xl's stderr says when mem-set, vcpu-set, save, restore or migrate failed, in plain words:
// one sentence naming the cause and what it means for the guest, or undefined when the output
// matches nothing known (the caller then shows xl's own last line). Facts about the messages come
// from tools/xl (xl_mem.c, xl_vcpu.c, xl_saverestore.c, xl_vmcontrol.c, xl_migrate.c) and libxl.

/** `xl mem-set`. xl says only "cannot set ... memory"; libxl's line before it says why. */
export function memSetFailureReason(stderr: string): string | undefined {
  if (/invalid memory size/i.test(stderr)) return 'xl did not accept the size';
  if (/memory_dynamic_max must be less than or equal to memory_static_max/.test(stderr)) {
    return "the value is above the guest's maxmem, the most it can have while it runs (raise maxmem in the config; it applies at the next start)";
  }
  if (/cannot set domid \d+ dynamic max memory/.test(stderr)) {
    return "xl could not set the guest's memory target: the value may be above its maxmem, or the guest may lack a balloon driver (xen-balloon)";
  }
  return undefined;
}

/** `xl vcpu-set`. */
export function vcpuSetFailureReason(stderr: string): string | undefined {
  // xl's own spelling has three m's; either is accepted.
  const overcommit = /You are overcomm+itting! You have (\d+) physical CPUs and want (\d+) vCPUs/.exec(stderr);
  if (overcommit) return `the host has ${overcommit[1]} CPUs and xl refuses to give a guest more vCPUs than that (${overcommit[2]} asked)`;
  if (/Error: Invalid argument/.test(stderr)) return 'xl did not accept the number';
  if (/libxl_set_vcpuonline failed/.test(stderr)) {
    const cause = libxlError(stderr);
    return `xl could not change the guest's online vCPUs${cause ? ` (${cause})` : ' (more than its maximum?)'}`;
  }
  return undefined;
}

/** `xl save`. */
export function saveFailureReason(stderr: string): string | undefined {
  const resumed = /Failed to save domain, resuming domain/.test(stderr) ? ' The guest was resumed and runs on.' : '';
  if (/No space left on device|Disk quota exceeded/i.test(stderr)) return `the file system of the save folder is full (No space left on device).${resumed}`;
  if (/Failed to open temp file .* for writing/.test(stderr)) return 'xl could not open the save file for writing (is the folder writable for root there?)';
  if (/unable to retrieve domain configuration/.test(stderr)) return 'xl could not read the configuration of the guest';
  if (resumed) return `xl could not write the guest's state.${resumed}`;
  return undefined;
}

/** `xl restore`: a missing, foreign, cut or newer file, a name in use, too little memory. */
export function restoreFailureReason(stderr: string): string | undefined {
  const open = /Can't open restore file: (.+)/.exec(stderr);
  if (open) return /No such file/i.test(open[1]) ? 'the save file is not there any more' : `xl could not open the save file (${open[1].trim()})`;
  if (/wrong magic number/.test(stderr)) return 'the file is not an xl save file: it is corrupt, or was made by another tool';
  if (/wrong byte order/.test(stderr)) return 'the file was saved on a machine of another byte order';
  // The header cut short, or the guest's memory: libxc cannot read a record of the stream.
  if (/Savefile truncated|truncated reading|stream truncated|Protocol error|xc: error: Failed to read .*(?:record|Record Header)/i.test(stderr)) {
    return 'the save file is cut short or damaged: the save that wrote it did not finish, or the file was changed since';
  }
  if (/mandatory flag\(s\) .* not supported/.test(stderr)) return 'the file was written by a newer xl than the one on this host';
  const taken = /Domain with name "(.*)" already exists/.exec(stderr);
  if (taken) return `a guest named ${JSON.stringify(taken[1])} already exists on this host: a save file can be restored only while its guest is not running`;
  if (/failed to free memory for the domain/.test(stderr)) return 'the host does not have enough free memory for the guest';
  return undefined;
}

/**
 * `xl migrate`: what became of the guest matters as much as why. The handshake's point of no
 * return leaves the guest's state unknown: that is said first and loudly.
 */
export function migrateFailureReason(stderr: string, address: string): string | undefined {
  if (/Domain state is now undefined/.test(stderr)) {
    return (
      'the migration failed during its final handshake and the state of the guest is unknown. Check BOTH hosts with xl list: ' +
      'it may be running on one of them, or be paused as NAME--migratedaway / NAME--incoming. Run at most one copy: two copies on the same disks would destroy their data'
    );
  }
  const where = resumedAt(stderr);
  const ssh = sshProblem(stderr);
  if (ssh !== undefined) return `the source host could not reach ${address} over ssh as root: ${ssh}.${where}`;
  if (/(?:^|\s)xl: (?:command )?not found|exec: xl: not found|sh: \d*:? ?xl: not found/m.test(stderr)) {
    return `xl was not found for the ssh login at ${address}.${where}`;
  }
  if (/cannot init xl context|Permission denied.*privcmd|must be root/i.test(stderr)) {
    return `xl at ${address} was denied access to Xen: the ssh login there must be root.${where}`;
  }
  if (/No config file stored for running domain/.test(stderr)) return 'xl has no stored configuration for this guest, so it cannot send it';
  if (/Migration failed due to problems at target/.test(stderr)) {
    const cause = targetCause(stderr);
    return `the target could not start the guest${cause ? ` (${cause})` : ''}.${where}`;
  }
  if (/Migration failed, failed to suspend at sender/.test(stderr)) {
    const cause = copyCause(stderr);
    return `the source could not copy the guest${cause ? ` (${cause})` : ' (it did not answer the suspend request)'}.${where}`;
  }
  if (/Migration failed, resuming at sender/.test(stderr)) {
    const cause = targetCause(stderr);
    return `the transfer failed${cause ? ` (${cause})` : ''}.${where}`;
  }
  return undefined;
}

// --- helpers ---

/**
 * Where the guest is after a failure xl recovered from: until xl gives the target permission to
 * start, the guest never left the source (xl resumes it, or never suspended it).
 */
function resumedAt(stderr: string): string {
  if (/migration sender: Resumed OK|Migration failed, resuming at sender/.test(stderr)) return ' The guest runs on at the source.';
  if (!/Giving target permission to start/.test(stderr)) return ' The guest runs on at the source.';
  return '';
}

/** libxc's first error about the copy (`xc: error: ...`), or else libxl's. */
function copyCause(stderr: string): string | undefined {
  const xc = stderr.split('\n').map((text) => text.trim()).find((text) => /^xc: error: /.test(text));
  if (xc !== undefined) return xc.replace(/^xc: error: /, '').replace(/: Internal error$/, '');
  return libxlError(stderr);
}

/** The message of libxl's first error line, without its source location. */
function libxlError(stderr: string): string | undefined {
  const line = stderr.split('\n').map((text) => text.trim()).find((text) => /^libxl: error:/.test(text));
  return line?.replace(/^libxl: error: [^ ]+?:\d+:[^:]*: /, '');
}

/** The ssh client's own complaint (as run by xl on the source), when there is one. */
function sshProblem(stderr: string): string | undefined {
  const line = stderr
    .split('\n')
    .map((text) => text.trim())
    .find((text) =>
      // OpenSSH's own complaints, and dropbear's (`dbclient: Connection to ... exited: ...`).
      /Host key verification failed|Permission denied \(|Could not resolve hostname|Connection refused|Connection timed out|No route to host|Network is unreachable|^ssh: |dbclient: |Connection to \S+ exited/.test(text),
    );
  return line?.replace(/\.+$/, '');
}

/** The first libxl error or target message that says why the target gave up. */
function targetCause(stderr: string): string | undefined {
  return libxlError(stderr) ?? stderr.split('\n').map((text) => text.trim()).find((text) => /^migration target: .*(fail|error)/i.test(text));
}
