// The plain-word reasons for failed mem-set, vcpu-set, save, restore and migrate, from stderr as
// xl 4.17 prints it (the message texts of tools/xl and libxl; rig captures where we have them).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { memSetFailureReason, migrateFailureReason, restoreFailureReason, saveFailureReason, vcpuSetFailureReason } from '../../../client/src/xl/resourceFailures';

describe('mem-set and vcpu-set', () => {
  test('above maxmem, and the bare "cannot set" line', () => {
    const above =
      'libxl: error: libxl_mem.c:279:libxl_set_memory_target: Domain 3:memory_dynamic_max must be less than or equal to memory_static_max\n\n' +
      'cannot set domid 3 dynamic max memory to : 9000m\n';
    assert.match(memSetFailureReason(above) ?? '', /above the guest's maxmem/);
    assert.match(memSetFailureReason('cannot set domid 3 dynamic max memory to : 9000m\n') ?? '', /balloon driver .* maxmem|maxmem, or the guest may lack a balloon driver/);
    assert.match(memSetFailureReason('invalid memory size: 12x\n') ?? '', /did not accept the size/);
    assert.equal(memSetFailureReason('something else\n'), undefined);
  });

  test('vcpu-set: overcommit (xl spells it with three m) names the host CPUs', () => {
    const stderr = 'You are overcommmitting! You have 2 physical CPUs and want 4 vCPUs! Aborting, use --ignore-host to continue\n';
    assert.equal(vcpuSetFailureReason(stderr), 'the host has 2 CPUs and xl refuses to give a guest more vCPUs than that (4 asked)');
    assert.match(vcpuSetFailureReason('libxl_set_vcpuonline failed domid=3 max_vcpus=9, rc: -3\n') ?? '', /could not change/);
    assert.equal(vcpuSetFailureReason(''), undefined);
  });
});

describe('save', () => {
  test('a full disk says so and where the guest is', () => {
    const stderr =
      'Saving to /var/lib/xen/save/web01.save new xl format (info 0x3/0x0/1234)\n' +
      'libxl: error: libxl_utils.c:450:libxl_write_exactly: failed to write to save file: No space left on device\n' +
      'Failed to save domain, resuming domain\n';
    assert.equal(saveFailureReason(stderr), 'the file system of the save folder is full (No space left on device). The guest was resumed and runs on.');
    assert.match(saveFailureReason('xl: fatal error: xl_saverestore.c:115: No space left on device: libxl_write_exactly(...)\n') ?? '', /^the file system of the save folder is full \(No space left on device\)\.$/);
  });

  test('cannot open the file; other failures after which xl resumed the guest', () => {
    assert.match(saveFailureReason('Failed to open temp file /x/a.save for writing\n') ?? '', /could not open the save file/);
    assert.equal(saveFailureReason('libxl: error: something\nFailed to save domain, resuming domain\n'), "xl could not write the guest's state. The guest was resumed and runs on.");
    assert.equal(saveFailureReason('unrelated\n'), undefined);
  });
});

describe('restore', () => {
  test('missing, foreign, cut, newer files', () => {
    assert.equal(restoreFailureReason("Can't open restore file: No such file or directory\n"), 'the save file is not there any more');
    assert.equal(restoreFailureReason("Can't open restore file: Permission denied\n"), 'xl could not open the save file (Permission denied)');
    assert.match(restoreFailureReason('File has wrong magic number - corrupt or for a different tool?\n') ?? '', /not an xl save file/);
    assert.match(restoreFailureReason('File has wrong byte order\n') ?? '', /byte order/);
    assert.match(restoreFailureReason('Loading new save file /a.save (new xl fmt info 0x3/0x0/1234)\nSavefile truncated.\n') ?? '', /cut short/);
    const emptyFile =
      'libxl: error: libxl_utils.c:510:libxl_read_exactly: file/stream truncated reading header from /a.save\n' +
      'xl: fatal error: xl_vmcontrol.c:713: Protocol error: libxl_read_exactly( ctx, restore_fd, &hdr, sizeof(hdr), restore_source, "header")\n';
    assert.match(restoreFailureReason(emptyFile) ?? '', /cut short/);
    assert.match(restoreFailureReason('Savefile has mandatory flag(s) 0x8 which are not supported; need newer xl\n') ?? '', /newer xl/);
  });

  test('a name in use, too little memory', () => {
    assert.match(
      restoreFailureReason('libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain with name "web01" already exists.\n') ?? '',
      /a guest named "web01" already exists on this host/,
    );
    assert.match(restoreFailureReason('failed to free memory for the domain\n') ?? '', /enough free memory/);
    assert.equal(restoreFailureReason(''), undefined);
  });
});

describe('migrate', () => {
  test('the final-handshake failure is said first and loudly', () => {
    const stderr =
      'migration sender: Target has acknowledged transfer.\nmigration sender: Giving target permission to start.\n' +
      '** Migration failed during final handshake **\nDomain state is now undefined !\nPlease CHECK AT BOTH ENDS for running instances, before renaming and\n';
    assert.match(migrateFailureReason(stderr, 'xen2') ?? '', /^the migration failed during its final handshake and the state of the guest is unknown\. Check BOTH hosts/);
  });

  test('ssh problems of the source name the address, and say the guest runs on', () => {
    const stderr =
      'Host key verification failed.\n' +
      'libxl: error: libxl_utils.c:510:libxl_read_exactly: file/stream truncated reading banner from migration receiver stream\n' +
      'Migration failed, resuming at sender.\n';
    assert.equal(
      migrateFailureReason(stderr, 'root@xen2'),
      'the source host could not reach root@xen2 over ssh as root: Host key verification failed. The guest runs on at the source.',
    );
    assert.match(migrateFailureReason('ssh: Could not resolve hostname xen9: Name or service not known\n', 'xen9') ?? '', /could not reach xen9 over ssh as root: ssh: Could not resolve hostname/);
    assert.match(migrateFailureReason('root@xen2: Permission denied (publickey).\n', 'root@xen2') ?? '', /Permission denied \(publickey\)/);
  });

  test('the target: no xl, not root, could not start the guest', () => {
    assert.match(migrateFailureReason('sh: 1: exec: xl: not found\n', 'xen2') ?? '', /xl was not found for the ssh login at xen2/);
    assert.match(migrateFailureReason('bash: xl: command not found\nMigration failed, resuming at sender.\n', 'xen2') ?? '', /xl was not found.*runs on at the source/);
    assert.match(migrateFailureReason('xl: cannot init xl context\n', 'admin@xen2') ?? '', /must be root/);
    const target =
      'migration target: Ready to receive domain.\n' +
      'libxl: error: libxl_device.c:1111:device_backend_callback: Domain 9:unable to add device with path /local/domain/0/backend/vbd/9/51712\n' +
      'migration target: Domain creation failed (code -3).\n' +
      'migration sender: Target reports startup failure (status code 1).\nmigration sender: Trying to resume at our end.\nmigration sender: Resumed OK.\n' +
      'Migration failed due to problems at target.\n';
    assert.equal(
      migrateFailureReason(target, 'xen2'),
      'the target could not start the guest (Domain 9:unable to add device with path /local/domain/0/backend/vbd/9/51712). The guest runs on at the source.',
    );
    assert.match(migrateFailureReason('Migration failed, failed to suspend at sender.\n', 'xen2') ?? '', /did not answer the suspend request/);
    assert.equal(migrateFailureReason('', 'xen2'), undefined);
  });
});

/** What xl printed in a rig capture: the lines between the `$ xl ...` line and the `rc=` line. */
function rigStderr(name: string): { stderr: string; rc: number } {
  const lines = readFileSync(`test/fixtures/xl/${name}`, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('$ '));
  const end = lines.findIndex((line) => line.startsWith('rc='));
  assert.ok(start >= 0 && end > start, name);
  return { stderr: lines.slice(start + 1, end).join('\n'), rc: Number(/^rc=(\d+)/.exec(lines[end])?.[1]) };
}

describe('captured on the rig (Xen 4.17, busybox dom0, dropbear ssh)', () => {
  test('mem-set above maxmem; vcpu-set beyond the host CPUs and to zero', () => {
    const memory = rigStderr('rig-mem-set-beyond-maxmem.txt');
    assert.equal(memory.rc, 1);
    assert.match(memSetFailureReason(memory.stderr) ?? '', /^the value is above the guest's maxmem/);
    assert.equal(vcpuSetFailureReason(rigStderr('rig-vcpu-set-beyond-maxvcpus.txt').stderr), 'the host has 2 CPUs and xl refuses to give a guest more vCPUs than that (3 asked)');
    assert.equal(vcpuSetFailureReason(rigStderr('rig-vcpu-set-zero.txt').stderr), "xl could not change the guest's online vCPUs (Domain 1:Requested 0 VCPUs!: Function not implemented)");
  });

  test('save to a full tmpfs', () => {
    const full = rigStderr('rig-save-disk-full.txt');
    assert.equal(full.rc, 1);
    assert.equal(saveFailureReason(full.stderr), 'the file system of the save folder is full (No space left on device). The guest was resumed and runs on.');
    // A successful save prints progress on stderr: nothing in it reads as a failure.
    assert.equal(saveFailureReason(rigStderr('rig-save.txt').stderr), undefined);
  });

  test('restore: random bytes, a cut file, a missing file, a running guest of that name', () => {
    assert.match(restoreFailureReason(rigStderr('rig-restore-corrupt-random.txt').stderr) ?? '', /not an xl save file/);
    assert.match(restoreFailureReason(rigStderr('rig-restore-corrupt-truncated.txt').stderr) ?? '', /^the save file is cut short or damaged/);
    assert.equal(restoreFailureReason(rigStderr('rig-restore-missing.txt').stderr), 'the save file is not there any more');
    assert.match(restoreFailureReason(rigStderr('rig-restore-name-taken.txt').stderr) ?? '', /^a guest named "rig-pv" already exists on this host/);
    assert.equal(restoreFailureReason(rigStderr('rig-restore.txt').stderr), undefined);
  });

  test('migrate: a host that does not resolve (dropbear), and a source that cannot start the live copy', () => {
    assert.equal(
      migrateFailureReason(rigStderr('rig-migrate-bad-host.txt').stderr, 'no-such-host.invalid'),
      "the source host could not reach no-such-host.invalid over ssh as root: /usr/bin/dbclient: Connection to root@no-such-host.invalid:22 exited: Connect failed: Error resolving 'no-such-host.invalid' port '22'. Name or service not known. The guest runs on at the source.",
    );
    assert.equal(
      migrateFailureReason(rigStderr('rig-migrate-localhost.txt').stderr, 'localhost'),
      'the source could not copy the guest (Failed to enable logdirty: 95,22,0 (22 = Invalid argument)). The guest runs on at the source.',
    );
  });
});
