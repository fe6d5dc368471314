// classifyFailure: each documented failure text maps to one XlError kind with a message that
// tells the user what to do.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { type XlError, classifyFailure, stoppedCreateOutcome, type FailureFacts, type XlErrorKind } from '../../../client/src/xl/errors';

function fixture(name: string): string {
  return readFileSync(path.resolve('test/fixtures/xl', name), 'utf8');
}

/** Classifies and checks the kind; returns the error for further checks. */
function checkKind(facts: FailureFacts, kind: XlErrorKind): XlError {
  const error = classifyFailure(facts);
  assert.ok(error, `expected ${kind}, got success`);
  assert.equal(error.kind, kind, `message: ${error.message}`);
  assert.equal(error.name, 'XlError');
  assert.ok(error instanceof Error);
  return error;
}

describe('classifyFailure', () => {
  test('exit 0 is success', () => {
    assert.equal(classifyFailure({ exitCode: 0, stderr: 'Parsing config from /etc/xen/a.cfg' }), undefined);
  });

  test('no hypervisor: the message xl prints without Xen', () => {
    const error = checkKind({ exitCode: 1, stderr: fixture('stderr-no-xen.txt') }, 'no-hypervisor');
    assert.match(error.message, /not running Xen/);
    assert.match(error.detail, /cannot init xl context/);
    assert.equal(error.exitCode, 1);
  });

  test('no hypervisor: sysfs and /proc/xen variants', () => {
    checkKind({ exitCode: 1, stderr: "Can't find hypervisor information in sysfs!" }, 'no-hypervisor');
    checkKind({ exitCode: 1, stderr: 'open /proc/xen/privcmd: No such file or directory' }, 'no-hypervisor');
  });

  test('xenstored not running', () => {
    const error = checkKind({ exitCode: 1, stderr: fixture('stderr-no-xenstore.txt') }, 'no-hypervisor');
    assert.match(error.message, /xenstored/);
  });

  test('not root: the same lines with Permission denied', () => {
    const error = checkKind({ exitCode: 1, stderr: fixture('stderr-not-root.txt') }, 'not-root');
    assert.match(error.message, /root/);
    checkKind({ exitCode: 1, stderr: 'xl: you must be root to do this' }, 'not-root');
  });

  test('a permission error unrelated to the hypervisor is an ordinary failure', () => {
    const error = checkKind(
      { exitCode: 1, stderr: 'Parsing config from /root/a.cfg\nFailed to read config file: /root/a.cfg: Permission denied' },
      'failed',
    );
    assert.match(error.message, /Permission denied/);
  });

  test('sudo -n needing a password explains the NOPASSWD rule', () => {
    const error = checkKind({ exitCode: 1, stderr: 'sudo: a password is required\n' }, 'sudo-password');
    assert.match(error.message, /NOPASSWD/);
    assert.match(error.message, /never asks/);
    checkKind({ exitCode: 1, stderr: 'sudo: a terminal is required to read the password' }, 'sudo-password');
  });

  test('sudo refusing the user', () => {
    checkKind({ exitCode: 1, stderr: 'alice is not in the sudoers file.  This incident will be reported.' }, 'not-root');
    checkKind({ exitCode: 1, stderr: 'Sorry, user alice is not allowed to execute /usr/sbin/xl list as root on dom0.' }, 'not-root');
  });

  test('missing binaries', () => {
    const local = checkKind({ spawnErrorCode: 'ENOENT', stderr: '', program: '/opt/xen/xl' }, 'not-found');
    assert.match(local.message, /\/opt\/xen\/xl/);
    assert.match(checkKind({ spawnErrorCode: 'ENOENT', stderr: '', program: 'ssh' }, 'not-found').message, /OpenSSH/);
    assert.match(checkKind({ spawnErrorCode: 'ENOENT', stderr: '', program: 'sudo' }, 'not-found').message, /sudo/);
    assert.match(checkKind({ spawnErrorCode: 'EACCES', stderr: '', program: '/tmp/xl' }, 'not-found').message, /cannot be executed/);
    checkKind({ exitCode: 127, stderr: 'sh: 1: xl: not found', viaSsh: true, destination: 'dom0' }, 'not-found');
    checkKind({ exitCode: 1, stderr: 'sudo: xl: command not found' }, 'not-found');
    const sudoMissing = checkKind({ exitCode: 127, stderr: 'bash: line 1: sudo: command not found' }, 'not-found');
    assert.match(sudoMissing.message, /sudo was not found/);
  });

  test('ssh exit 255 is an ssh failure, unless the remote xl printed libxl errors', () => {
    const error = checkKind(
      { exitCode: 255, stderr: 'alice@dom0: Permission denied (publickey,password).', viaSsh: true, destination: 'alice@dom0' },
      'ssh',
    );
    assert.match(error.message, /alice@dom0/);
    assert.match(error.message, /batch mode/);
    checkKind({ exitCode: 255, stderr: 'Host key verification failed.', viaSsh: true }, 'ssh');
    checkKind({ exitCode: 255, stderr: 'libxl: error: something\n', viaSsh: true }, 'failed');
    checkKind({ exitCode: 255, stderr: 'whatever', viaSsh: false }, 'failed');
    for (const stderr of [
      'ssh: connect to host 127.0.0.1 port 2222: Connection refused',
      'kex_exchange_identification: read: Connection reset by peer',
      'Connection closed by 127.0.0.1 port 2222',
      '/home/alice/.ssh/config: line 3: Bad configuration option: hostnme\n/home/alice/.ssh/config: terminating, 1 bad configuration options',
      'Received disconnect from 10.0.0.1 port 22:2: Too many authentication failures',
      'client_loop: send disconnect: Broken pipe',
    ]) {
      checkKind({ exitCode: 255, stderr, viaSsh: true }, 'ssh');
    }
  });

  test('ssh exit 255 with only the remote program\'s last words: xl crashed, not an ssh failure', () => {
    // Measured against real xl 4.17 (nested `cpus` list): glibc aborts xl, ssh exits 255 silently.
    const crash = checkKind({ exitCode: 255, stderr: 'Parsing config from /tmp/x.cfg\ndouble free or corruption (out)\n', viaSsh: true, destination: 'dom0' }, 'failed');
    assert.match(crash.message, /ended abnormally on dom0/);
    assert.match(crash.message, /double free or corruption \(out\)/);
    checkKind({ exitCode: 255, stderr: 'Segmentation fault', viaSsh: true }, 'failed');
    // Under the runner's launcher the waiting shell reports 128 + the signal instead.
    const launched = checkKind({ exitCode: 134, stderr: 'Parsing config from /tmp/x.cfg\ndouble free or corruption (out)\n', viaSsh: true, destination: 'dom0' }, 'failed');
    assert.equal(launched.message, 'xl ended abnormally on dom0 (killed by SIGABRT, e.g. it crashed): double free or corruption (out)');
    assert.match(checkKind({ exitCode: 139, stderr: '', viaSsh: true }, 'failed').message, /killed by SIGSEGV/);
    // Nothing at all: the launcher reports a remote signal as 128+N, so this is the connection.
    const silent = checkKind({ exitCode: 255, stderr: '', viaSsh: true, destination: 'dom0' }, 'ssh');
    assert.match(silent.message, /^The connection to dom0 ended without a message from ssh \(exit status 255\): it was cut, or the remote shell was killed\./);
  });

  test('a dead link or a host that is down is said in plain words, not as a login problem', () => {
    const cases: [string, RegExp][] = [
      ['ssh: connect to host 10.0.0.9 port 22: Connection timed out', /^dom0 did not answer: ssh could not reach it within 10 s/],
      ['ssh: connect to host 10.0.0.9 port 22: No route to host', /^dom0 did not answer/],
      ['Connection timed out during banner exchange\nConnection to UNKNOWN port 65535 timed out', /^dom0 did not answer/],
      ['Timeout, server dom0 not responding.', /^The connection to dom0 was lost: it stopped answering while xl ran/],
      ['client_loop: send disconnect: Broken pipe', /^The connection to dom0 was lost/],
      ['mux_client_request_session: read from master failed: Broken pipe', /^The connection to dom0 was lost/],
      ['Connection to 10.0.0.9 closed by remote host.', /^The connection to dom0 was lost/],
      ['ssh: connect to host 10.0.0.9 port 22: Connection refused', /^dom0 refused the ssh connection: the host is up but no ssh server is listening/],
      ['ssh: Could not resolve hostname dom0: Name or service not known', /^ssh could not find the host dom0/],
      ['kex_exchange_identification: read: Connection reset by peer', /^dom0 took the connection but its ssh server hung up/],
    ];
    for (const [stderr, message] of cases) {
      const error = checkKind({ exitCode: 255, stderr, viaSsh: true, destination: 'dom0' }, 'ssh');
      assert.match(error.message, message, stderr);
      assert.doesNotMatch(error.message, /batch mode/, stderr);
      assert.equal(error.detail, stderr.trim());
    }
    // A login failure still explains batch mode.
    assert.match(checkKind({ exitCode: 255, stderr: 'root@dom0: Permission denied (publickey).', viaSsh: true, destination: 'dom0' }, 'ssh').message, /batch mode/);
  });

  test('a timeout or cancel over ssh says what became of the remote xl', () => {
    const base = { stderr: '', viaSsh: true, destination: 'dom0', timeoutMs: 30_000 };
    const expected: Record<string, RegExp> = {
      ended: /^xl did not finish within 30 s on dom0 and was stopped\. xl on dom0 was ended too\.$/,
      killed: /xl on dom0 ignored SIGTERM and was killed\.$/,
      gone: /xl on dom0 had already finished\.$/,
      unreachable: /dom0 could not be reached to end xl there, so it may still be running\.$/,
    };
    for (const [outcome, message] of Object.entries(expected)) {
      const error = checkKind({ ...base, timedOut: true, remoteStop: outcome as 'ended' }, 'timeout');
      assert.match(error.message, message);
      assert.equal(error.remoteStop, outcome);
    }
    assert.equal(checkKind({ ...base, isCanceled: true, remoteStop: 'ended' }, 'cancelled').message, 'The xl command was cancelled. xl on dom0 was ended too.');
    assert.equal(checkKind({ ...base, timedOut: true }, 'timeout').message, 'xl did not finish within 30 s on dom0 and was stopped.');
  });

  test('after a stopped xl create, the error says whether the guest exists', () => {
    const domains = [
      { name: 'Domain-0', id: 0, state: 'running' as const },
      { name: 'web', id: 7, state: 'blocked' as const },
      { name: 'old', id: 3, state: 'dying' as const },
      { name: 'held', id: 8, state: 'paused' as const },
    ];
    assert.equal(stoppedCreateOutcome('web', domains), 'The guest "web" was created anyway and is running (id 7).');
    // Seen on the rig: a create cancelled after 1.5 s leaves the half-built domain paused.
    assert.match(stoppedCreateOutcome('held', domains), /^The guest "held" was created anyway and is paused \(id 8\): xl was stopped before it let it run\. Destroy it/);
    assert.equal(stoppedCreateOutcome('db', domains), 'No guest "db" was created.');
    // A dying domain of that name is not the new guest.
    assert.equal(stoppedCreateOutcome('old', domains), 'No guest "old" was created.');
    assert.match(stoppedCreateOutcome('web', undefined, 'dom0 did not answer'), /^Could not tell whether the guest "web" was created \(xl list failed: dom0 did not answer\)/);
  });

  test('timeout wins over cancellation (a timeout is implemented as one)', () => {
    const error = checkKind({ stderr: '', timedOut: true, isCanceled: true, timeoutMs: 1500 }, 'timeout');
    assert.match(error.message, /1\.5 s/);
    checkKind({ stderr: '', isCanceled: true }, 'cancelled');
  });

  test("other failures quote xl's last line and keep stderr as detail", () => {
    const error = checkKind({ exitCode: 1, stderr: 'libxl: error: libxl_domain.c:1:destroy: oops\ndestroy failed (rc=-3)\n' }, 'failed');
    assert.match(error.message, /destroy failed \(rc=-3\)/);
    assert.match(error.detail, /^libxl: error/);
    checkKind({ exitCode: undefined, stderr: '' }, 'failed');
  });
});

describe('classifyFailure for LVM tools and host scripts', () => {
  function host(name: string): string {
    return readFileSync(path.resolve('test/fixtures/host', name), 'utf8');
  }

  test("lvcreate's own reason, not its warnings, for the failures captured from real LVM", () => {
    const cases: [string, string][] = [
      ['lvcreate-insufficient.stderr', 'Volume group "xenxltestvg" has insufficient free space (38 extents): 500 required.'],
      ['lvcreate-exists.stderr', 'Logical Volume "web01" already exists in volume group "xenxltestvg"'],
      ['lvcreate-no-vg.stderr', 'Volume group "novg" not found'],
      ['lvcreate-invalid-name.stderr', 'Logical volume name "we b" is invalid.'],
    ];
    for (const [file, reason] of cases) {
      const error = checkKind({ exitCode: 5, stderr: host(file), tool: 'lvcreate', viaSsh: true, destination: 'dom0' }, 'failed');
      assert.equal(error.message, `lvcreate failed on dom0 (exit status 5): ${reason}`, file);
      assert.equal(error.detail, host(file).trim());
    }
    const removed = checkKind({ exitCode: 5, stderr: host('lvremove-missing.stderr'), tool: 'lvremove' }, 'failed');
    assert.equal(removed.message, 'lvremove failed (exit status 5): Failed to find logical volume "xenxltestvg/nosuch"');
  });

  test('LVM run without root is not-root', () => {
    const error = checkKind({ exitCode: 5, stderr: host('vgs-non-root.stderr'), tool: 'vgs' }, 'not-root');
    assert.match(error.message, /^vgs must run as root: set xen\.sudo to "auto"/);
  });

  test('a missing LVM tool or qemu-img names the host and the package, however it was reported', () => {
    const cases: [FailureFacts, string][] = [
      [{ spawnErrorCode: 'ENOENT', stderr: '', program: '/usr/sbin/lvcreate', tool: 'lvcreate' }, 'lvcreate is not installed on this machine (package lvm2).'],
      [{ exitCode: 1, stderr: 'sudo: lvremove: command not found\n', tool: 'lvremove' }, 'lvremove is not installed on this machine (package lvm2).'],
      [{ exitCode: 127, stderr: 'sh: 1: exec: vgs: not found\n', tool: 'vgs', viaSsh: true, destination: 'dom0' }, 'vgs is not installed on dom0 (package lvm2).'],
      [{ exitCode: 127, stderr: 'bash: line 1: lvs: command not found\n', tool: 'lvs', viaSsh: true, destination: 'dom0' }, 'lvs is not installed on dom0 (package lvm2).'],
      // util-linux setsid in the runner's launcher, when the remote shell found nothing to run.
      [{ exitCode: 127, stderr: 'setsid: failed to execute lvcreate: No such file or directory\n', tool: 'lvcreate', viaSsh: true, destination: 'dom0' }, 'lvcreate is not installed on dom0 (package lvm2).'],
      [{ exitCode: 127, stderr: 'qemu-img: not found\n', tool: 'sh', action: 'create the image file /a.qcow2' }, 'qemu-img is not installed on this machine (package qemu-utils).'],
    ];
    for (const [facts, message] of cases) assert.equal(checkKind(facts, 'not-found').message, message, facts.stderr);
    // A host script missing some other program says which.
    const other = checkKind({ exitCode: 127, stderr: 'xen-xl-create-image: 12: truncate: not found\n', tool: 'sh', action: 'create the image file /a.img' }, 'not-found');
    assert.equal(other.message, 'Could not create the image file /a.img: a program it needs is missing (xen-xl-create-image: 12: truncate: not found).');
  });

  test("a failed host script is told in its description's words with its own last line", () => {
    const error = checkKind({ exitCode: 3, stderr: '/srv/a.img exists already; it was left as it is\n', tool: 'sh', action: 'create the image file /srv/a.img (4 KiB, raw)', viaSsh: true, destination: 'dom0' }, 'failed');
    assert.equal(error.message, 'Could not create the image file /srv/a.img (4 KiB, raw) on dom0: /srv/a.img exists already; it was left as it is');
    assert.equal(checkKind({ exitCode: 1, stderr: '', tool: 'sh', action: 'delete the image file /a.img' }, 'failed').message, 'Could not delete the image file /a.img (exit status 1).');
    // Words about Xen in a script's message do not make it a hypervisor problem.
    checkKind({ exitCode: 1, stderr: "cannot create /etc/xen/auto/a.cfg: Permission denied (xenstore)", tool: 'sh', action: 'x' }, 'failed');
  });

  test('sudo, timeouts and cancels name the program that ran', () => {
    const password = checkKind({ exitCode: 1, stderr: 'sudo: a password is required\n', tool: 'lvcreate' }, 'sudo-password');
    assert.match(password.message, /^sudo needs a password to run lvcreate, .*NOPASSWD: \/usr\/sbin\/lvcreate/);
    const script = checkKind({ exitCode: 1, stderr: 'sudo: a password is required\n', tool: 'sh', viaSsh: true, destination: 'dom0' }, 'sudo-password');
    assert.match(script.message, /^sudo needs a password to run sh \(for a small script that changes files as root\) on dom0,.*NOPASSWD: \/bin\/sh`.*lets that user do anything as root\.$/);
    assert.match(checkKind({ exitCode: 1, stderr: 'Sorry, user alice is not allowed to execute /usr/sbin/vgs as root on dom0.', tool: 'vgs' }, 'not-root').message, /^sudo refused to run vgs/);
    assert.equal(checkKind({ stderr: '', timedOut: true, timeoutMs: 30_000, tool: 'lvcreate' }, 'timeout').message, 'lvcreate did not finish within 30 s and was stopped.');
    assert.equal(checkKind({ stderr: '', isCanceled: true, tool: 'sh' }, 'cancelled').message, 'The host script was cancelled.');
    assert.equal(checkKind({ stderr: '', isCanceled: true, tool: 'xenstore-read' }, 'cancelled').message, 'The xl command was cancelled.');
  });
});
