// Pure argv construction: the sudo prefix, the ssh wrapper, POSIX quoting (checked by letting a
// real `sh` split the quoted string) and xl path resolution with an injected file system.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { XlError } from '../../../client/src/xl/errors';
import * as xl from '../../../client/src/xl/commands';
import {
  buildArgv,
  buildTerminalArgv,
  quoteForRemoteShell,
  quoteShellWord,
  remoteKillableCall,
  resolveXlPath,
  type ArgvOptions,
} from '../../../client/src/xl/runner';

const local: ArgvOptions = { target: { kind: 'local' }, xlPath: 'xl', sudo: 'never' };
const remote: ArgvOptions = {
  target: { kind: 'ssh', destination: 'root@dom0', controlDir: '/run/user/1000/xen-xl' },
  xlPath: 'xl',
  sudo: 'never',
};

const HOSTILE = [
  '; rm -rf /',
  '$(id)',
  '`id`',
  '$HOME',
  '${IFS}',
  'a\nb',
  '\n',
  '-leading',
  '--',
  "it's",
  "'",
  "''",
  '"double"',
  'back\\slash',
  '\\',
  '*',
  '~root',
  '!$',
  'a b\tc',
  '>/tmp/x',
  '| cat',
  '&& echo pwned',
  'gäst 虚拟机 🚀',
  '',
  ' ',
  '=foo',
  '%C',
];

/** Runs `sh -c 'printf "%s\0" <quoted>'` and returns the words sh produced. */
function splitWithSh(quoted: string): string[] {
  const output = execFileSync('sh', ['-c', `printf '%s\\0' ${quoted}`], { encoding: 'utf8' });
  return output.split('\0').slice(0, -1);
}

describe('buildArgv: local', () => {
  test('sudo never / always', () => {
    assert.deepEqual(buildArgv(local, ['list']), ['xl', 'list']);
    assert.deepEqual(buildArgv({ ...local, sudo: 'always' }, ['list'], { uid: 0 }), ['sudo', '-n', '--', 'xl', 'list']);
  });

  test('sudo auto uses sudo only when not root', () => {
    const auto = { ...local, sudo: 'auto' as const, xlPath: '/usr/sbin/xl' };
    assert.deepEqual(buildArgv(auto, ['list'], { uid: 0 }), ['/usr/sbin/xl', 'list']);
    assert.deepEqual(buildArgv(auto, ['list'], { uid: 1000 }), ['sudo', '-n', '--', '/usr/sbin/xl', 'list']);
    // No getuid (Windows): not known to be root, so sudo.
    assert.deepEqual(buildArgv(auto, ['list'], { uid: undefined }), ['sudo', '-n', '--', '/usr/sbin/xl', 'list']);
  });

  test('arguments are passed as separate argv entries, never joined', () => {
    assert.deepEqual(buildArgv(local, xl.destroy('; rm -rf /').args), ['xl', 'destroy', '--', '; rm -rf /']);
  });

  test('a terminal may let sudo prompt (no -n)', () => {
    assert.deepEqual(buildTerminalArgv({ ...local, sudo: 'always' }, xl.console('web01')), ['sudo', '--', 'xl', 'console', '--', 'web01']);
  });
});

describe('buildArgv: ssh', () => {
  test('neverMaster (long-running streams): joins the shared connection when it is up, never starts it', () => {
    const words = buildArgv(remote, ['list'], { neverMaster: true });
    assert.ok(words.includes('ControlMaster=no'));
    assert.ok(!words.includes('ControlMaster=auto'));
    assert.ok(words.some((word) => word.startsWith('ControlPath=')), 'the ControlPath stays, so a master that is up is used');
  });

  test('batch mode, connection sharing, -- before the destination, one quoted remote string', () => {
    assert.deepEqual(buildArgv(remote, ['list']), [
      'ssh',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '-o',
      'ServerAliveInterval=5',
      '-o',
      'ServerAliveCountMax=2',
      '-o',
      'ControlMaster=auto',
      '-o',
      'ControlPersist=60',
      '-o',
      'ControlPath=/run/user/1000/xen-xl/%C',
      '--',
      'root@dom0',
      'export LC_ALL=C; exec xl list',
    ]);
  });

  test('a dead link is noticed within about 15 s: connect timeout plus server keepalives', () => {
    const argv = buildArgv(remote, ['list']);
    const value = (name: string): number => Number(argv.find((word) => word.startsWith(`${name}=`))?.split('=')[1]);
    assert.ok(value('ConnectTimeout') > 0 && value('ConnectTimeout') <= 15);
    const keepalive = value('ServerAliveInterval') * value('ServerAliveCountMax');
    assert.ok(keepalive > 0 && value('ServerAliveInterval') + keepalive <= 15, `keepalive gives up after ${keepalive} s`);
    // Every -o comes before the destination, where ssh still reads options.
    assert.ok(argv.lastIndexOf('-o') < argv.indexOf('--'));
  });

  test('a background call stores the words, and a launcher reports the remote pid before running xl', () => {
    // Stand-ins for xl and sudo that print their argv, run by a real sh as the remote shell.
    const bin = mkdtempSync(path.join(os.tmpdir(), 'xl-launch-'));
    try {
      writeFileSync(path.join(bin, 'xl'), `#!/bin/sh\nprintf '<%s>' xl "$@"\necho "pgid $(cut -d ' ' -f 5 /proc/$$/stat)" >&2\nexit 3\n`, { mode: 0o755 });
      writeFileSync(path.join(bin, 'sudo'), `#!/bin/sh\nshift 2\nprintf '<%s>' sudo-n\nexec "$@"\n`, { mode: 0o755 });
      for (const sudo of ['never', 'always', 'auto'] as const) {
        const argv = buildArgv({ ...remote, xlPath: path.join(bin, 'xl'), sudo }, xl.destroy('; rm -rf /').args, { reportRemotePid: true });
        const script = argv.at(-1) ?? '';
        assert.doesNotMatch(script, /exec \S*xl |exec sudo/);
        const result = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
        assert.equal(result.status, 3, 'the exit status of xl is the remote shell\'s');
        assert.match(result.stdout, /^(<sudo-n>)?<xl><destroy><--><; rm -rf \/>$/);
        const [first, second] = result.stderr.split('\n');
        const match = /^xen-xl-remote pgid ([0-9]+)$/.exec(first);
        assert.ok(match, result.stderr);
        assert.equal(second.trim(), `pgid ${match[1]}`, 'xl leads the process group the launcher reported');
      }
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
    // A terminal keeps exec: there ssh -t hangs up the session itself.
    assert.match(buildArgv(remote, ['console', 'a'], { tty: true, reportRemotePid: true }).at(-1) ?? '', /exec xl console a$/);
  });

  test('remoteKillableCall wraps words of a program that builds its own command line', () => {
    // As a program around a temporary file would: its own stderr line first, a variable as a word.
    const script = `echo 'program line' >&2; f='a file'; ${remoteKillableCall(`printf '<%s>' ${quoteShellWord("it's")} "$f"`)}`;
    const result = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    assert.equal(result.status, 0);
    assert.equal(result.stdout, "<it's><a file>");
    assert.match(result.stderr, /^program line\nxen-xl-remote pgid [0-9]+\n$/);
  });

  test('sudo modes on the remote side', () => {
    const always = buildArgv({ ...remote, sudo: 'always' }, ['list']);
    assert.equal(always.at(-1), 'export LC_ALL=C; exec sudo -n -- xl list');
    const auto = buildArgv({ ...remote, sudo: 'auto' }, ['list']);
    assert.equal(auto.at(-1), 'export LC_ALL=C; if [ "$(id -u)" -eq 0 ]; then exec xl list; else exec sudo -n -- xl list; fi');
  });

  test('hostile names are quoted in the remote string', () => {
    const argv = buildArgv(remote, xl.destroy('; rm -rf /').args);
    assert.equal(argv.at(-1), "export LC_ALL=C; exec xl destroy -- '; rm -rf /'");
  });

  test('terminal commands get -t', () => {
    const argv = buildTerminalArgv(remote, xl.console('web01'));
    assert.equal(argv[1], '-t');
    assert.equal(argv.at(-1), 'export LC_ALL=C; exec xl console -- web01');
    // It joins the shared connection (the control path) but never opens it: closing a terminal
    // hangs up its session, and a master started there would go with it.
    assert.ok(argv.includes('ControlMaster=no'), argv.join(' '));
    assert.ok(!argv.includes('ControlMaster=auto'), argv.join(' '));
    assert.ok(argv.some((word) => word.startsWith('ControlPath=')), argv.join(' '));
  });

  test('control directories with spaces or % are escaped for ssh', () => {
    const argv = buildArgv({ ...remote, target: { kind: 'ssh', destination: 'dom0', controlDir: '/home/a b/100%/' } }, ['list']);
    assert.ok(argv.includes('ControlPath="/home/a b/100%%/%C"'), argv.join(' '));
  });

  test('destinations that ssh could read as options, or that are malformed, are rejected', () => {
    for (const destination of ['-oProxyCommand=touch /tmp/pwned', '-p', '', 'a b', 'host\nx']) {
      assert.throws(
        () => buildArgv({ ...remote, target: { kind: 'ssh', destination, controlDir: '/tmp' } }, ['list']),
        (error: unknown) => error instanceof XlError && error.kind === 'ssh',
        destination,
      );
    }
    assert.throws(
      () => buildArgv({ ...remote, target: { kind: 'ssh', destination: 'dom0', controlDir: 'relative' } }, ['list']),
      (error: unknown) => error instanceof XlError && error.kind === 'ssh',
    );
  });
});

describe('quoteForRemoteShell', () => {
  test('sh splits the quoted string back into exactly the original words', () => {
    assert.deepEqual(splitWithSh(quoteForRemoteShell(HOSTILE)), HOSTILE);
  });

  test('each hostile value on its own round-trips', () => {
    for (const value of HOSTILE) assert.deepEqual(splitWithSh(quoteForRemoteShell([value])), [value], JSON.stringify(value));
  });

  test('plain words stay readable', () => {
    assert.equal(quoteForRemoteShell(['xl', 'list', '-l', '--', 'web01', '/etc/xen/a.cfg']), 'xl list -l -- web01 /etc/xen/a.cfg');
    assert.equal(quoteForRemoteShell(['']), "''");
    assert.equal(quoteForRemoteShell(["it's"]), `'it'\\''s'`);
  });

  test('the full ssh remote string survives a shell, as the fake ssh will run it', () => {
    const argv = buildArgv(remote, ['destroy', '--', ...HOSTILE]);
    const remoteCommand = argv.at(-1) ?? '';
    const output = execFileSync('sh', ['-c', remoteCommand.replace('exec xl', "printf '%s\\0'")], { encoding: 'utf8' });
    assert.deepEqual(output.split('\0').slice(0, -1), ['destroy', '--', ...HOSTILE]);
  });
});

describe('resolveXlPath', () => {
  /** An injected file system: the set of executable files and the /usr/lib listing. */
  function deps(executables: string[], usrLib: string[] = [], pathEnv = '/usr/local/bin:/usr/bin:/bin') {
    return {
      pathEnv,
      isExecutable: (file: string) => executables.includes(file),
      listDirectory: (dir: string) => {
        if (dir !== '/usr/lib') throw new Error(`unexpected listing of ${dir}`);
        return usrLib;
      },
    };
  }

  test('an explicit setting is used unchanged', () => {
    assert.equal(resolveXlPath('/opt/xen/bin/xl', deps([])), '/opt/xen/bin/xl');
  });

  test('xl on PATH stays "xl"', () => {
    assert.equal(resolveXlPath('xl', deps(['/usr/bin/xl', '/usr/sbin/xl'])), 'xl');
    assert.equal(resolveXlPath('', deps(['/bin/xl'])), 'xl');
  });

  test('off PATH: /usr/sbin, then the newest /usr/lib/xen-*, then /usr/local/sbin', () => {
    assert.equal(resolveXlPath('xl', deps(['/usr/sbin/xl', '/usr/lib/xen-4.17/bin/xl'], ['xen-4.17'])), '/usr/sbin/xl');
    assert.equal(
      resolveXlPath(
        'xl',
        deps(['/usr/lib/xen-4.9/bin/xl', '/usr/lib/xen-4.17/bin/xl', '/usr/local/sbin/xl'], ['xen-4.9', 'xen-4.17', 'x86_64-linux-gnu']),
      ),
      '/usr/lib/xen-4.17/bin/xl',
    );
    assert.equal(resolveXlPath('xl', deps(['/usr/local/sbin/xl'])), '/usr/local/sbin/xl');
  });

  test('nothing found: "xl", so running it reports not-found', () => {
    assert.equal(resolveXlPath('xl', deps([])), 'xl');
  });

  test('an unreadable /usr/lib is not an error', () => {
    const failing = { ...deps([]), listDirectory: () => { throw new Error('EACCES'); } };
    assert.equal(resolveXlPath('xl', failing), 'xl');
  });
});
