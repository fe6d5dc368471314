// The host commands through runXl with real processes: the scripts run for real in `sh` on
// temporary folders (hostile names included), the LVM tools are fakes that replay output captured
// from real LVM (test/fixtures/fake-host), sudo is a fake that runs the rest as the same user, and
// ssh is the fake of the runner tests (it hands the remote string to `sh -c`).

import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as hostTools from '../../../client/src/xl/hostTools';
import { runXl, type RunLogEntry, type RunOptions } from '../../../client/src/xl/runner';
import type { XlCommand } from '../../../client/src/xl/types';
import { rejection } from '../../support/xlError';

const FAKE_HOST = path.resolve('test/fixtures/fake-host');
const FAKE_SSH = path.resolve('test/fixtures/fake-xl/ssh');
/** Names that must reach the file system as data: quotes, shell syntax, leading dashes, newlines, globs. */
const HOSTILE = ["it's", '"q"', '$(touch pwned)', '`id`', '-rf', '--help', 'two\nlines', 'a;b', '*', 'sp ace', 'gäst 虚拟机'];

let dir = '';

before(() => {
  // Git may not keep the executable bit.
  for (const file of ['lvm', 'sudo']) chmodSync(path.join(FAKE_HOST, file), 0o755);
  chmodSync(FAKE_SSH, 0o755);
  dir = mkdtempSync(path.join(os.tmpdir(), 'xl-host-runner-test-'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

function local(overrides: Partial<RunOptions> = {}): RunOptions {
  return { target: { kind: 'local' }, xlPath: 'xl', sudo: 'never', timeoutMs: 20_000, ...overrides };
}

function ssh(overrides: Partial<RunOptions> = {}): RunOptions {
  return local({ target: { kind: 'ssh', destination: 'root@dom0', controlDir: dir }, sshPath: FAKE_SSH, ...overrides });
}

/** A fresh folder under the test's temporary folder. */
function folder(name: string): string {
  const made = path.join(dir, name);
  mkdirSync(made, { recursive: true });
  return made;
}

/** Runs with environment variables set (PATH prefixed, fake switches), restoring them afterwards. */
async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(env)) saved[key] = process.env[key];
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** The fake LVM tools and the fake sudo first on PATH: never the real LVM of this machine. */
function withFakes<T>(run: () => Promise<T>, extra: Record<string, string> = {}): Promise<T> {
  return withEnv({ PATH: `${FAKE_HOST}${path.delimiter}${process.env.PATH ?? ''}`, ...extra }, run);
}

/** Makes a command return the argv the fake printed (NUL-separated). */
function echoing<T>(command: XlCommand<T>): XlCommand<string[]> {
  return { ...command, parse: (stdout) => stdout.split('\0').slice(0, -1) };
}

describe('isoFiles, pathsExist and hostToolFacts run read-only as the login user', () => {
  test('ISOs directly in each folder, with hostile names as data; subfolders, folders named .iso and dangling links are not ISOs', async () => {
    const isos = folder('isos/my isos');
    const names = HOSTILE.map((name) => `${name}.iso`);
    for (const name of names) writeFileSync(path.join(isos, name), 'x'.repeat(3));
    writeFileSync(path.join(isos, 'big.ISO'), '');
    chmodSync(path.join(isos, 'big.ISO'), 0o644);
    // A sparse 5 GiB file: sizes beyond 32 bits come through.
    writeFileSync(path.join(isos, 'sparse.iso'), '');
    (await import('node:fs')).truncateSync(path.join(isos, 'sparse.iso'), 5 * 1024 ** 3);
    writeFileSync(path.join(isos, 'notes.txt'), '');
    writeFileSync(path.join(isos, 'lower.Iso'), '');
    mkdirSync(path.join(isos, 'folder.iso'));
    mkdirSync(path.join(isos, 'sub'));
    writeFileSync(path.join(isos, 'sub', 'deep.iso'), '');
    symlinkSync(path.join(isos, 'big.ISO'), path.join(isos, 'link.iso'));
    symlinkSync(path.join(isos, 'nowhere'), path.join(isos, 'dangling.iso'));
    const missing = path.join(dir, 'no such folder');
    const listing = await runXl(hostTools.isoFiles([`${isos}/`, missing]), local({ sudo: 'always' }));
    assert.deepEqual(listing.folders, [
      { path: isos, exists: true },
      { path: missing, exists: false },
    ]);
    const expected = [
      ...names.map((name) => ({ path: path.join(isos, name), sizeBytes: 3 })),
      { path: path.join(isos, 'big.ISO'), sizeBytes: 0 },
      { path: path.join(isos, 'link.iso'), sizeBytes: 0 },
      { path: path.join(isos, 'sparse.iso'), sizeBytes: 5 * 1024 ** 3 },
    ].sort((a, b) => (a.path < b.path ? -1 : 1));
    assert.deepEqual(listing.isos, expected);
    assert.equal(listing.truncated, undefined);
    assert.ok(!existsSync('pwned') && !existsSync(path.join(isos, 'pwned')), 'a name was run as a command');
  });

  test('at most 500 ISOs, and the listing says it was cut', async () => {
    const many = folder('many');
    for (let i = 0; i < 503; i++) writeFileSync(path.join(many, `disc${String(i).padStart(3, '0')}.iso`), '');
    const other = folder('after-the-limit');
    writeFileSync(path.join(other, 'late.iso'), '');
    const listing = await runXl(hostTools.isoFiles([many, other]), local());
    assert.equal(listing.isos.length, 500);
    assert.equal(listing.truncated, true);
    assert.deepEqual(listing.folders.map((entry) => entry.exists), [true, true]);
    assert.equal(listing.isos[499].path, path.join(many, 'disc499.iso'));
  });

  test('pathsExist: hostile names, a dangling link counts, a missing path does not', async () => {
    const where = folder('exist');
    const present = HOSTILE.map((name) => path.join(where, name));
    for (const file of present) writeFileSync(file, '');
    symlinkSync(path.join(where, 'nowhere'), path.join(where, 'dangling'));
    const asked = [path.join(where, 'absent'), ...present, path.join(where, 'dangling'), path.join(where, 'absent\n')];
    assert.deepEqual(await runXl(hostTools.pathsExist(asked), local()), [...present, path.join(where, 'dangling')]);
    assert.deepEqual(await runXl(hostTools.pathsExist([]), local()), []);
  });

  test('hostToolFacts: the bridges in /sys/class/net and the tools this machine has', async () => {
    const net = '/sys/class/net';
    const bridges = existsSync(net) ? readdirSync(net).filter((name) => existsSync(path.join(net, name, 'bridge'))) : [];
    const has = (tool: string) =>
      (process.env.PATH ?? '').split(':').some((entry) => entry !== '' && existsSync(path.join(entry, tool))) ||
      existsSync(`/usr/sbin/${tool}`) ||
      existsSync(`/sbin/${tool}`);
    const facts = await runXl(hostTools.hostToolFacts(), local());
    assert.deepEqual(facts, { bridges: bridges.sort(), tools: { lvm: has('lvcreate'), qemuImg: has('qemu-img') } });
  });

  test('unprivileged scripts never go through sudo, even with xen.sudo "always"', async () => {
    const listing = await withFakes(() => runXl(hostTools.isoFiles([dir]), local({ sudo: 'always' })), { FAKE_SUDO_PASSWORD: '1' });
    assert.deepEqual(listing.folders, [{ path: dir, exists: true }]);
  });
});

describe('createImage and removeImage run as root and touch only what they should', () => {
  test('raw: a sparse file of exactly the size, mode 0600, under a hostile name', async () => {
    const images = folder('images');
    for (const name of HOSTILE) {
      const file = path.join(images, `${name}.img`);
      await runXl(hostTools.createImage(file, 64 * 1024 ** 2, 'raw'), local());
      const stat = statSync(file);
      assert.equal(stat.size, 64 * 1024 ** 2, name);
      assert.ok(stat.blocks * 512 < 1024 * 1024, `${name}: not sparse (${stat.blocks} blocks)`);
      assert.equal(stat.mode & 0o777, 0o600, name);
    }
    assert.ok(!existsSync(path.join(images, 'pwned')) && !existsSync('pwned'));
  });

  test('qcow2 through qemu-img (when this machine has it)', async (t) => {
    if (!['/usr/bin/qemu-img', '/usr/local/bin/qemu-img'].some((file) => existsSync(file))) {
      t.skip('qemu-img is not installed here');
      return;
    }
    const file = path.join(folder('qcow'), '-disk one.qcow2');
    await runXl(hostTools.createImage(file, 1024 ** 3, 'qcow2'), local());
    assert.equal(readFileSync(file).subarray(0, 4).toString('latin1'), 'QFI\xfb');
  });

  test('an existing file, link or folder is never touched', async () => {
    const where = folder('existing');
    const file = path.join(where, 'guest.img');
    writeFileSync(file, 'precious');
    const error = await rejection(runXl(hostTools.createImage(file, 4096, 'raw'), local()), 'failed');
    assert.match(error.message, /^Could not create the image file .*guest\.img \(4 KiB, raw\): .*guest\.img exists already; it was left as it is$/);
    assert.equal(readFileSync(file, 'utf8'), 'precious');
    const link = path.join(where, 'link.img');
    symlinkSync(file, link);
    await rejection(runXl(hostTools.createImage(link, 4096, 'qcow2'), local()), 'failed');
    assert.equal(readFileSync(file, 'utf8'), 'precious');
    const dangling = path.join(where, 'dangling.img');
    symlinkSync(path.join(where, 'target-that-would-be-made.img'), dangling);
    await rejection(runXl(hostTools.createImage(dangling, 4096, 'raw'), local()), 'failed');
    assert.ok(!existsSync(path.join(where, 'target-that-would-be-made.img')));
    const missing = await rejection(runXl(hostTools.createImage(path.join(where, 'no folder', 'a.img'), 4096, 'raw'), local()), 'failed');
    assert.match(missing.message, /the folder .*no folder does not exist/);
  });

  test('qcow2 without qemu-img is not-found, naming the package, and leaves no file', async () => {
    const bin = folder('bin-without-qemu-img');
    symlinkSync('/bin/sh', path.join(bin, 'sh'));
    const file = path.join(folder('no-qemu'), 'a.qcow2');
    const error = await withEnv({ PATH: bin }, () => rejection(runXl(hostTools.createImage(file, 4096, 'qcow2'), local()), 'not-found'));
    assert.equal(error.message, 'qemu-img is not installed on this machine (package qemu-utils).');
    assert.ok(!existsSync(file));
  });

  test('through sudo when xen.sudo says so; a password prompt is a sudo-password error naming sh', async () => {
    const log = path.join(dir, 'sudo.log');
    const file = path.join(folder('sudo'), 'a.img');
    const entries: RunLogEntry[] = [];
    await withFakes(() => runXl(hostTools.createImage(file, 4096, 'raw'), local({ sudo: 'always', log: (entry) => entries.push(entry) })), { FAKE_SUDO_LOG: log });
    assert.equal(readFileSync(log, 'utf8'), 'sudo sh\n');
    assert.match(entries[0].commandLine, /^sudo -n -- sh -c '/);
    assert.equal(statSync(file).size, 4096);
    const error = await withFakes(() => rejection(runXl(hostTools.removeImage(file), local({ sudo: 'always' })), 'sudo-password'), { FAKE_SUDO_PASSWORD: '1' });
    assert.match(error.message, /sudo needs a password to run sh \(for a small script/);
    assert.ok(existsSync(file));
  });

  test('removeImage deletes a regular file only: never a link, a folder or a missing path', async () => {
    const where = folder('remove');
    const file = path.join(where, '-x $(id).img');
    writeFileSync(file, 'data');
    const link = path.join(where, 'link.img');
    symlinkSync(file, link);
    const linkError = await rejection(runXl(hostTools.removeImage(link), local()), 'failed');
    assert.match(linkError.message, /is a symbolic link; only a regular file is deleted/);
    assert.ok(existsSync(link) && existsSync(file));
    mkdirSync(path.join(where, 'dir.img'));
    await rejection(runXl(hostTools.removeImage(path.join(where, 'dir.img')), local()), 'failed');
    assert.ok(existsSync(path.join(where, 'dir.img')));
    await runXl(hostTools.removeImage(file), local());
    assert.ok(!existsSync(file));
    const gone = await rejection(runXl(hostTools.removeImage(file), local()), 'failed');
    assert.match(gone.message, /does not exist$/);
  });
});

describe('autostart', () => {
  test('link, list, refuse to replace, remove; the folder is made when missing', async () => {
    const auto = path.join(dir, 'xen', 'auto');
    assert.deepEqual(await runXl(hostTools.autostartEntries(auto), local()), []);
    const configs = folder('xen/configs with space');
    const config = path.join(configs, "-web's $(id).cfg");
    writeFileSync(config, 'name = "web"\n');
    await runXl(hostTools.autostartLink(config, auto), local());
    assert.equal(statSync(auto).mode & 0o777, 0o755);
    const entry = path.join(auto, "-web's $(id).cfg");
    assert.equal(readlinkSync(entry), config);
    writeFileSync(path.join(auto, 'copied.cfg'), 'x');
    writeFileSync(path.join(auto, '.hidden'), 'x');
    mkdirSync(path.join(auto, 'odd\nfolder'));
    assert.deepEqual(await runXl(hostTools.autostartEntries(auto), local()), [
      { file: "-web's $(id).cfg", target: config },
      { file: 'copied.cfg' },
      { file: 'odd\nfolder' },
    ]);
    const again = await rejection(runXl(hostTools.autostartLink(config, auto), local()), 'failed');
    assert.match(again.message, /exists already; it was left as it is$/);
    const missingConfig = await rejection(runXl(hostTools.autostartLink(path.join(configs, 'none.cfg'), auto), local()), 'failed');
    assert.match(missingConfig.message, /none\.cfg does not exist or is not a file$/);
    await runXl(hostTools.autostartRemove("-web's $(id).cfg", auto), local());
    assert.ok(!existsSync(entry) && existsSync(config), 'the link is gone, the config stays');
    const folderError = await rejection(runXl(hostTools.autostartRemove('odd\nfolder', auto), local()), 'failed');
    assert.match(folderError.message, /is neither a link nor a file; it was left as it is$/);
    assert.ok(lstatSync(path.join(auto, 'odd\nfolder')).isDirectory());
    await rejection(runXl(hostTools.autostartRemove('absent.cfg', auto), local()), 'failed');
  });

  test('copy: the text arrives exactly, mode 0600, locally and over ssh through sudo; an existing entry is kept', async () => {
    const text = `name = "web"\n# it's $(id) \`id\` "q" \\ ; rm -rf /\nvncpasswd = "s3cret"`;
    const log = path.join(dir, 'copy-sudo.log');
    for (const [label, options] of [['local', local({ sudo: 'always' })], ['ssh', ssh({ sudo: 'always' })]] as const) {
      const auto = path.join(dir, `copy-${label}`, 'auto');
      const name = "-web's $(id).cfg";
      const entries: RunLogEntry[] = [];
      await withFakes(() => runXl(hostTools.autostartCopy(text, '/home/me/ws/web.cfg', name, auto), { ...options, log: (entry) => entries.push(entry) }), { FAKE_SUDO_LOG: log });
      assert.equal(readFileSync(path.join(auto, name), 'utf8'), text, label);
      assert.equal(statSync(path.join(auto, name)).mode & 0o777, 0o600, label);
      assert.equal(statSync(auto).mode & 0o777, 0o755, label);
      assert.doesNotMatch(entries[0].commandLine, /s3cret/);
      const error = await withFakes(() => rejection(runXl(hostTools.autostartCopy('other', '/home/me/ws/web.cfg', name, auto), options), 'failed'));
      assert.match(error.message, /exists already; it was left as it is$/, label);
      assert.equal(readFileSync(path.join(auto, name), 'utf8'), text, label);
    }
    assert.equal(readFileSync(log, 'utf8'), 'sudo sh\nsudo sh\n');
  });
});

describe('LVM through the runner (fake tools replaying real output)', () => {
  test('vgs and lvs through sudo: parsed from the captured JSON', async () => {
    const entries: RunLogEntry[] = [];
    const groups = await withFakes(() => runXl(hostTools.volumeGroups(), local({ sudo: 'always', log: (entry) => entries.push(entry) })));
    assert.deepEqual(groups.map((group) => [group.name, group.freeBytes]), [['xenxl_small', 103809024], ['xenxltestvg', 163577856]]);
    assert.equal(entries[0].commandLine, 'sudo -n -- vgs --reportformat json --units b --nosuffix -o vg_name,vg_size,vg_free,vg_extent_size');
    const volumes = await withFakes(() => runXl(hostTools.logicalVolumes(), local()));
    assert.deepEqual(volumes.map((volume) => volume.path), ['/dev/xenxl_small/guest.disk+1', '/dev/xenxltestvg/odd+name_1.x', '/dev/xenxltestvg/web01']);
  });

  test('lvcreate gets exactly its words, locally and over ssh', async () => {
    const command = echoing(hostTools.createVolume('xenxltestvg', 'odd+name_1.x', 20 * 1024 ** 3));
    const expected = ['lvcreate', '--yes', '--wipesignatures', 'y', '-n', 'odd+name_1.x', '-L', '21474836480b', '--', 'xenxltestvg'];
    assert.deepEqual(await withFakes(() => runXl(command, local())), expected);
    assert.deepEqual(await withFakes(() => runXl(command, ssh({ sudo: 'always' }))), expected);
    assert.deepEqual(await withFakes(() => runXl(command, ssh({ sudo: 'auto' }))), expected);
  });

  test("a full volume group fails with lvcreate's own reason, not its warnings", async () => {
    const error = await withFakes(() => rejection(runXl(hostTools.createVolume('full', 'web02', 2 * 1024 ** 3), local()), 'failed'));
    assert.equal(error.message, 'lvcreate failed (exit status 5): Volume group "full" has insufficient free space (38 extents): 500 required.');
    assert.match(error.detail, /WARNING/);
    const overSsh = await withFakes(() => rejection(runXl(hostTools.createVolume('novg', 'web02', 4096), ssh()), 'failed'));
    assert.equal(overSsh.message, 'lvcreate failed on root@dom0 (exit status 5): Volume group "novg" not found');
  });

  test('LVM without root is not-root; sudo asking for a password names the tool', async () => {
    const error = await withFakes(() => rejection(runXl(hostTools.volumeGroups(), local()), 'not-root'), { FAKE_LVM_STDERR: 'vgs-non-root.stderr' });
    assert.match(error.message, /^vgs must run as root: set xen\.sudo to "auto"/);
    const sudo = await withFakes(() => rejection(runXl(hostTools.createVolume('vg0', 'a', 4096), local({ sudo: 'always' })), 'sudo-password'), { FAKE_SUDO_PASSWORD: '1' });
    assert.match(sudo.message, /^sudo needs a password to run lvcreate, .*NOPASSWD: \/usr\/sbin\/lvcreate/);
  });

  test('lvcreate missing on an ssh host is not-found naming the host and the package (with and without sudo)', async () => {
    // The remote PATH has no LVM tools: no sbin, no fakes.
    const error = await withEnv({ PATH: '/usr/bin:/bin' }, () => rejection(runXl(hostTools.createVolume('vg0', 'web01', 4096), ssh()), 'not-found'));
    assert.equal(error.message, 'lvcreate is not installed on root@dom0 (package lvm2).');
    const bin = folder('bin-sudo-only');
    symlinkSync(path.join(FAKE_HOST, 'sudo'), path.join(bin, 'sudo'));
    const viaSudo = await withEnv({ PATH: `${bin}:/usr/bin:/bin` }, () => rejection(runXl(hostTools.volumeGroups(), ssh({ sudo: 'always' })), 'not-found'));
    assert.equal(viaSudo.message, 'vgs is not installed on root@dom0 (package lvm2).');
  });
});
