// The host command builders (LVM, image files, ISO folders, autostart, cd-insert/eject), how
// each program is run (sudo or not, locally and over ssh) and how a command is shown to the user.
// Pure: nothing is spawned here except a real `sh` that splits quoted strings.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import * as xl from '../../../client/src/xl/commands';
import { displayCommandLine } from '../../../client/src/xl/display';
import * as hostTools from '../../../client/src/xl/hostTools';
import { buildArgv, buildConfigTextArgv, programOptions, resolveProgramPath, type ArgvOptions } from '../../../client/src/xl/runner';
import { CONFIG_TEXT_PATH, type XlCommand } from '../../../client/src/xl/types';

const local: ArgvOptions = { target: { kind: 'local' }, xlPath: '/usr/sbin/xl', sudo: 'never' };
const remote: ArgvOptions = { target: { kind: 'ssh', destination: 'root@dom0', controlDir: '/run/user/1000/xen-xl' }, xlPath: 'xl', sudo: 'never' };
/** An injected file system where the LVM tools are in /usr/sbin, which PATH lacks. */
const sbinOnly = { pathEnv: '/usr/local/bin:/usr/bin:/bin', isExecutable: (file: string) => file.startsWith('/usr/sbin/') };

/** Names that must never become options or shell syntax. */
const HOSTILE_NAMES = ['web 01', "it's", '"q"', '-leading', '--help', 'two\nlines', '$(id)', '`id`', 'a;b', '*', 'vg/lv', '..', '.'];

/** The full argv of a command for these options, as runXl builds it (uid given for sudo auto). */
function argvOf(command: XlCommand<unknown>, options: ArgvOptions, uid = 1000): string[] {
  return buildArgv(programOptions(command, options, sbinOnly), command.args, { uid });
}

/** The words a POSIX sh makes of a command line (to prove the quoting round-trips). */
function splitWithSh(line: string): string[] {
  return execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('LVM builders', () => {
  test('vgs and lvs ask for JSON in bytes with exactly the fields the parsers read', () => {
    const vgs = hostTools.volumeGroups();
    assert.equal(vgs.program, 'vgs');
    assert.deepEqual(vgs.args, ['--reportformat', 'json', '--units', 'b', '--nosuffix', '-o', 'vg_name,vg_size,vg_free,vg_extent_size']);
    const lvs = hostTools.logicalVolumes();
    assert.equal(lvs.program, 'lvs');
    assert.deepEqual(lvs.args, ['--reportformat', 'json', '--units', 'b', '--nosuffix', '-o', 'lv_name,vg_name,lv_path,lv_size,lv_attr']);
    assert.equal(lvs.privileged, undefined);
  });

  test('lvcreate never prompts, wipes old signatures, and takes the group after --', () => {
    const command = hostTools.createVolume('vg0', 'web01', 20 * 1024 ** 3);
    assert.equal(command.program, 'lvcreate');
    assert.deepEqual(command.args, ['--yes', '--wipesignatures', 'y', '-n', 'web01', '-L', '21474836480b', '--', 'vg0']);
    assert.equal(command.description, 'create the logical volume "web01" of 20 GiB in volume group "vg0"');
  });

  test('sizes are rounded up to whole sectors (lvcreate refuses bytes that are not)', () => {
    assert.deepEqual(hostTools.createVolume('vg0', 'a', 1_000_000).args.slice(5, 7), ['-L', '1000448b']);
    assert.deepEqual(hostTools.createVolume('vg0', 'a', 512).args.slice(5, 7), ['-L', '512b']);
    assert.deepEqual(hostTools.createVolume('vg0', 'a', 1).args.slice(5, 7), ['-L', '512b']);
    for (const size of [0, -1, 1.5, NaN, Infinity, 2 ** 53]) {
      assert.throws(() => hostTools.createVolume('vg0', 'a', size), RangeError, String(size));
    }
  });

  test('lvremove names VG/LV after --', () => {
    const command = hostTools.removeVolume('vg0', 'odd+name_1.x');
    assert.deepEqual(command.args, ['--yes', '--', 'vg0/odd+name_1.x']);
    assert.equal(command.description, 'remove the logical volume /dev/vg0/odd+name_1.x');
  });

  test('names LVM would refuse (spaces, quotes, leading dashes, newlines, slashes) are refused before anything runs', () => {
    for (const name of [...HOSTILE_NAMES, '', 'x'.repeat(128), 'a\0b']) {
      assert.throws(() => hostTools.createVolume('vg0', name, 4096), RangeError, JSON.stringify(name));
      assert.throws(() => hostTools.createVolume(name, 'web01', 4096), RangeError, JSON.stringify(name));
      assert.throws(() => hostTools.removeVolume('vg0', name), RangeError, JSON.stringify(name));
    }
    // LVM's whole alphabet is accepted.
    assert.doesNotThrow(() => hostTools.createVolume('Vg_0.x+y-z', 'a-b_c.d+e9', 4096));
  });
});

describe('image, ISO, path and autostart builders', () => {
  test('createImage: a privileged sh script with the data as positional parameters', () => {
    const command = hostTools.createImage('/var/lib/xen/images/web 01.img', 10 * 1024 ** 3, 'raw');
    assert.equal(command.program, 'sh');
    assert.equal(command.privileged, true);
    assert.equal(command.args[0], '-c');
    assert.deepEqual(command.args.slice(2), ['xen-xl-create-image', '/var/lib/xen/images/web 01.img', '10737418240', 'raw']);
    // The script is constant: the data never appears in it.
    assert.equal(hostTools.createImage('/a/$(id).qcow2', 4096, 'qcow2').args[1], command.args[1]);
    assert.doesNotMatch(command.args[1], /web 01/);
    assert.equal(command.description, 'create the image file /var/lib/xen/images/web 01.img (10 GiB, raw)');
  });

  test('paths must be absolute, so none can be read as an option', () => {
    for (const path of ['', 'relative.img', '-rf', '--help', './a.img', '~/a.img', 'a\0b']) {
      assert.throws(() => hostTools.createImage(path, 4096, 'raw'), RangeError, JSON.stringify(path));
      assert.throws(() => hostTools.removeImage(path), RangeError, JSON.stringify(path));
      assert.throws(() => hostTools.isoFiles(['/opt/isos', path]), RangeError, JSON.stringify(path));
      assert.throws(() => hostTools.pathsExist([path]), RangeError, JSON.stringify(path));
      assert.throws(() => hostTools.autostartLink(path), RangeError, JSON.stringify(path));
      assert.throws(() => hostTools.autostartEntries(path), RangeError, JSON.stringify(path));
    }
    assert.throws(() => hostTools.createImage('/var/lib/xen/images/', 4096, 'raw'), RangeError);
    assert.throws(() => hostTools.createImage('/a.img', 0, 'raw'), RangeError);
    assert.throws(() => hostTools.createImage('/a.img', 4096, 'vmdk' as 'raw'), RangeError);
  });

  test('removeImage is privileged', () => {
    const command = hostTools.removeImage('/srv/-x.img');
    assert.equal(command.privileged, true);
    assert.deepEqual(command.args.slice(2), ['xen-xl-remove-image', '/srv/-x.img']);
  });

  test('isoFiles: unprivileged, read-only, the limit and the folders (trailing slashes trimmed) as parameters', () => {
    const command = hostTools.isoFiles(['/opt/isos/', '/srv/iso', '/']);
    assert.equal(command.program, 'sh');
    assert.equal(command.privileged, undefined);
    assert.deepEqual(command.args.slice(2), ['xen-xl-isos', String(hostTools.ISO_LIMIT), '/opt/isos', '/srv/iso', '/']);
    assert.equal(hostTools.ISO_LIMIT, 500);
  });

  test('hostToolFacts and pathsExist are unprivileged', () => {
    assert.equal(hostTools.hostToolFacts().privileged, undefined);
    const check = hostTools.pathsExist(['/dev/vg0/web01', '/etc/xen/a b.cfg']);
    assert.equal(check.privileged, undefined);
    assert.deepEqual(check.args.slice(2), ['xen-xl-paths-exist', '/dev/vg0/web01', '/etc/xen/a b.cfg']);
  });

  test('autostart: the folder defaults to /etc/xen/auto; link, copy and remove are privileged', () => {
    assert.deepEqual(hostTools.autostartEntries().args.slice(2), ['xen-xl-autostart-list', '/etc/xen/auto', String(hostTools.AUTOSTART_LIMIT)]);
    assert.equal(hostTools.autostartEntries().privileged, undefined);
    const link = hostTools.autostartLink('/etc/xen/web01.cfg');
    assert.equal(link.privileged, true);
    assert.deepEqual(link.args.slice(2), ['xen-xl-autostart-link', '/etc/xen/web01.cfg', '/etc/xen/auto', 'web01.cfg']);
    const copy = hostTools.autostartCopy('name = "web01"\n', '/home/me/xen/web01.cfg', 'web01.cfg', '/tmp/auto/');
    assert.equal(copy.privileged, true);
    assert.deepEqual(copy.args.slice(2), ['xen-xl-autostart-copy', CONFIG_TEXT_PATH, '/tmp/auto', 'web01.cfg']);
    assert.deepEqual(copy.configText, { text: 'name = "web01"\n', label: '/home/me/xen/web01.cfg' });
    const remove = hostTools.autostartRemove('web01.cfg');
    assert.equal(remove.privileged, true);
    assert.deepEqual(remove.args.slice(2), ['xen-xl-autostart-remove', '/etc/xen/auto', 'web01.cfg']);
  });

  test('autostart names are plain names that xendomains would start', () => {
    for (const name of ['', 'a/b', '.hidden', '..', '.', 'x'.repeat(256), 'a\0b']) {
      assert.throws(() => hostTools.autostartRemove(name), RangeError, JSON.stringify(name));
      assert.throws(() => hostTools.autostartCopy('x', 'label', name), RangeError, JSON.stringify(name));
    }
    assert.throws(() => hostTools.autostartLink('/etc/xen/.hidden.cfg'), RangeError);
    assert.throws(() => hostTools.autostartLink('/etc/xen/'), RangeError);
    assert.throws(() => hostTools.autostartCopy('a\0', 'label', 'a.cfg'), RangeError);
    assert.throws(() => hostTools.autostartCopy('a', '', 'a.cfg'), RangeError);
    // Odd but harmless names are data.
    assert.deepEqual(hostTools.autostartRemove('-rf $(id)').args.slice(2), ['xen-xl-autostart-remove', '/etc/xen/auto', '-rf $(id)']);
  });
});

describe('cd-insert and cd-eject', () => {
  test('the domain after --, then the drive and the image', () => {
    assert.deepEqual(xl.cdInsert('web01', 'hdc', '/opt/isos/debian 12.iso').args, ['cd-insert', '--', 'web01', 'hdc', '/opt/isos/debian 12.iso']);
    assert.deepEqual(xl.cdInsert('-web', 'hdc', '/opt/isos/a,b=c.iso').args, ['cd-insert', '--', '-web', 'hdc', '/opt/isos/a,b=c.iso']);
    assert.deepEqual(xl.cdEject(7, 'xvdb').args, ['cd-eject', '--', '7', 'xvdb']);
    assert.equal(xl.cdEject('web01', 'hdc').description, 'eject the disc in drive hdc of domain "web01"');
  });

  test('a drive name that could add keys to the spec xl builds, or a relative image, is refused', () => {
    for (const vdev of ['', 'hdc,target=/etc/shadow', 'hd c', 'HDC', '1hdc', '-hdc', 'hdc\n']) {
      assert.throws(() => xl.cdInsert('web01', vdev, '/opt/isos/a.iso'), RangeError, JSON.stringify(vdev));
      assert.throws(() => xl.cdEject('web01', vdev), RangeError, JSON.stringify(vdev));
    }
    for (const path of ['', 'a.iso', '-a.iso', 'raw:/a.iso', '/a\0.iso']) {
      assert.throws(() => xl.cdInsert('web01', 'hdc', path), RangeError, JSON.stringify(path));
    }
    assert.throws(() => xl.cdInsert('', 'hdc', '/a.iso'), RangeError);
  });
});

describe('how each program runs', () => {
  const lvm = hostTools.volumeGroups();
  const privileged = hostTools.removeImage('/srv/a.img');
  const unprivileged = hostTools.isoFiles(['/opt/isos']);

  test('locally: LVM and privileged sh follow xen.sudo like xl; unprivileged sh never uses sudo', () => {
    for (const [sudo, uid, viaSudo] of [['never', 1000, false], ['always', 0, true], ['auto', 1000, true], ['auto', 0, false]] as const) {
      const options = { ...local, sudo };
      const prefix = viaSudo ? ['sudo', '-n', '--'] : [];
      assert.deepEqual(argvOf(xl.list(), options, uid), [...prefix, '/usr/sbin/xl', 'list'], `xl ${sudo} ${uid}`);
      assert.deepEqual(argvOf(lvm, options, uid), [...prefix, '/usr/sbin/vgs', ...lvm.args], `vgs ${sudo} ${uid}`);
      assert.deepEqual(argvOf(privileged, options, uid), [...prefix, 'sh', ...privileged.args], `privileged sh ${sudo} ${uid}`);
      assert.deepEqual(argvOf(unprivileged, options, uid), ['sh', ...unprivileged.args], `sh ${sudo} ${uid}`);
    }
  });

  test('an LVM tool on PATH keeps its bare name; off PATH, /usr/sbin then /sbin; over ssh always the bare name', () => {
    const onPath = { pathEnv: '/usr/bin:/usr/sbin', isExecutable: (file: string) => file === '/usr/sbin/lvcreate' };
    assert.equal(resolveProgramPath('lvcreate', onPath), 'lvcreate');
    assert.equal(resolveProgramPath('lvcreate', { pathEnv: '/usr/bin', isExecutable: (file) => file === '/sbin/lvcreate' }), '/sbin/lvcreate');
    assert.equal(resolveProgramPath('lvcreate', { pathEnv: '', isExecutable: () => false }), 'lvcreate');
    assert.equal(programOptions(hostTools.createVolume('vg0', 'a', 4096), local, sbinOnly).xlPath, '/usr/sbin/lvcreate');
    assert.equal(programOptions(hostTools.createVolume('vg0', 'a', 4096), remote, sbinOnly).xlPath, 'lvcreate');
    // xl keeps the configured path, xenstore-read its name.
    assert.equal(programOptions(xl.list(), local, sbinOnly).xlPath, '/usr/sbin/xl');
    assert.equal(programOptions(xl.vncEndpoint(3), local, sbinOnly).xlPath, 'xenstore-read');
  });

  test('over ssh: the same rule, decided on the remote side for sudo auto', () => {
    const create = hostTools.createVolume('vg0', 'web01', 4096);
    assert.equal(argvOf(create, { ...remote, sudo: 'never' }).at(-1), 'export LC_ALL=C; exec lvcreate --yes --wipesignatures y -n web01 -L 4096b -- vg0');
    assert.equal(argvOf(create, { ...remote, sudo: 'always' }).at(-1), 'export LC_ALL=C; exec sudo -n -- lvcreate --yes --wipesignatures y -n web01 -L 4096b -- vg0');
    assert.match(argvOf(privileged, { ...remote, sudo: 'auto' }).at(-1) ?? '', /^export LC_ALL=C; if \[ "\$\(id -u\)" -eq 0 \]; then exec sh -c .*; else exec sudo -n -- sh -c .*; fi$/s);
    assert.doesNotMatch(argvOf(unprivileged, { ...remote, sudo: 'always' }).at(-1) ?? '', /sudo/);
  });

  test('over ssh the script and hostile data reach sh as exactly these words', () => {
    const command = hostTools.pathsExist(HOSTILE_NAMES.map((name) => `/srv/${name}`));
    const remoteString = argvOf(command, { ...remote, sudo: 'never' }).at(-1) ?? '';
    const words = splitWithSh(remoteString.replace(/^export LC_ALL=C; exec /, ''));
    assert.deepEqual(words, ['sh', ...command.args]);
  });

  test('a privileged sh with config text (autostartCopy) over ssh: the temporary file replaces the placeholder, under sudo', () => {
    const copy = hostTools.autostartCopy('name = "a"\n', '/home/me/a.cfg', 'a.cfg');
    const options = programOptions(copy, { ...remote, sudo: 'always' });
    const program = buildConfigTextArgv(options, copy.args, 'a.cfg').at(-1) ?? '';
    assert.match(program, /set -- sudo -n -- sh -c '.*' xen-xl-autostart-copy "\$f" \/etc\/xen\/auto a\.cfg;/s);
    const never = buildConfigTextArgv(programOptions(copy, remote), copy.args, 'a.cfg').at(-1) ?? '';
    assert.match(never, /set -- sh -c '.*' xen-xl-autostart-copy "\$f" \/etc\/xen\/auto a\.cfg;/s);
    assert.doesNotMatch(never, /sudo/);
  });
});

describe('displayCommandLine', () => {
  test('program and arguments, quoted only where a shell needs it', () => {
    assert.equal(displayCommandLine(hostTools.createVolume('vg0', 'web01', 20 * 1024 ** 3)), 'lvcreate --yes --wipesignatures y -n web01 -L 21474836480b -- vg0');
    assert.equal(displayCommandLine(xl.create('/etc/xen/web 01.cfg')), "xl create -f '/etc/xen/web 01.cfg'");
    assert.equal(displayCommandLine(xl.cdEject('web01', 'hdc')), 'xl cd-eject -- web01 hdc');
    assert.equal(displayCommandLine(hostTools.removeVolume('vg0', 'web01')), 'lvremove --yes -- vg0/web01');
  });

  test("config text shows as the user's file, never as the placeholder or the text", () => {
    const line = displayCommandLine(xl.createFromText('vncpasswd = "secret"\n', '/home/me/it\'s.cfg'));
    assert.equal(line, `xl create -f '/home/me/it'\\''s.cfg'`);
    const copy = displayCommandLine(hostTools.autostartCopy('vncpasswd = "secret"\n', '/home/me/a.cfg', 'a.cfg'));
    assert.match(copy, /^sh -c '.*' xen-xl-autostart-copy \/home\/me\/a\.cfg \/etc\/xen\/auto a\.cfg$/s);
    assert.doesNotMatch(copy, /secret|@xen-xl-config-text@/);
  });

  test('a shell splits it back into exactly the words that will run', () => {
    for (const command of [hostTools.createImage('/srv/$(id) it\'s\n.img', 4096, 'qcow2'), hostTools.pathsExist(HOSTILE_NAMES.map((name) => `/${name}`))]) {
      assert.deepEqual(splitWithSh(displayCommandLine(command)), ['sh', ...command.args]);
    }
  });
});
