// Config text handed to xl through a temporary file, locally and over (fake) ssh, with real
// processes: the file xl reads holds exactly the text, is private, is gone afterwards (also on
// failure and cancellation), and xl's messages name the user's file instead of the temporary one.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as xl from '../../../client/src/xl/commands';
import { XlError } from '../../../client/src/xl/errors';
import { buildConfigTextArgv, runXl, type RunLogEntry, type RunOptions } from '../../../client/src/xl/runner';
import { CONFIG_TEXT_PATH } from '../../../client/src/xl/types';
import { rejection } from '../../support/xlError';

const FAKE_SSH = path.resolve('test/fixtures/fake-xl/ssh');
const LABEL = '/home/ann/ws/xen/demo pvh.cfg';
// Quotes, shell syntax, a password, non-ASCII and no final newline: all must arrive unchanged.
const TEXT = `name = "demo"\n# it's $(id) \`id\` "q" \\\\ ; rm -rf /\nvfb = [ 'vnc=1,vncpasswd=s3cret' ]\nkernel = "vmlinuz" # 虚拟机`;

let dir = '';
let fakeXl = '';
let record = '';

before(() => {
  chmodSync(FAKE_SSH, 0o755);
  dir = mkdtempSync(path.join(os.tmpdir(), 'xl-config-text-test-'));
  record = path.join(dir, 'record');
  fakeXl = path.join(dir, 'xl');
  // Records the -f file, its mode and xl's cwd; prints the file on stdout and xl-like lines on stderr.
  writeFileSync(
    fakeXl,
    `#!/bin/sh
file=; prev=
for a in "$@"; do [ "$prev" = -f ] && file=$a; prev=$a; done
{ printf '%s\\n' "$file"; stat -c %a "$file"; stat -c %a "$(dirname "$file")"; pwd; } > '${record}'
echo "Parsing config from $file" >&2
echo "$file:2: warning: a warning on line 2" >&2
case "$(cat "$file")" in
  *hang-here*) sleep 30 ;;
  *fail-here*) echo "libxl: error: libxl_dom.c:581:libxl__build_dom: cannot open $file" >&2; exit 3 ;;
esac
cat "$file"
`,
  );
  chmodSync(fakeXl, 0o755);
});

after(() => rmSync(dir, { recursive: true, force: true }));

function local(overrides: Partial<RunOptions> = {}): RunOptions {
  return { target: { kind: 'local' }, xlPath: fakeXl, sudo: 'never', timeoutMs: 10_000, ...overrides };
}

function ssh(overrides: Partial<RunOptions> = {}): RunOptions {
  return local({ target: { kind: 'ssh', destination: 'root@dom0', controlDir: dir }, sshPath: FAKE_SSH, ...overrides });
}

function recorded(): { file: string; mode: string; dirMode: string; cwd: string } {
  const [file, mode, dirMode, cwd] = readFileSync(record, 'utf8').split('\n');
  return { file, mode, dirMode, cwd };
}

function textCommand(text: string) {
  const command = xl.createFromText(text, LABEL);
  return { ...command, parse: (stdout: string) => stdout };
}

for (const [where, options] of [
  ['locally', local],
  ['over ssh', ssh],
] as const) {
  describe(`config text ${where}`, () => {
    test('xl reads exactly the text from a private temporary file that is removed afterwards', async () => {
      const logs: RunLogEntry[] = [];
      const stdout = await runXl(textCommand(TEXT), options({ log: (entry) => logs.push(entry) }));
      assert.equal(stdout, TEXT);
      const { file, mode, dirMode } = recorded();
      assert.equal(path.basename(file), 'config.cfg', 'a label with a space gives a plain file name');
      assert.equal(mode, '600');
      assert.equal(dirMode, '700');
      assert.equal(existsSync(file), false, 'the temporary file is removed');
      assert.equal(existsSync(path.dirname(file)), false, 'and its folder');
      assert.equal(logs.length, 1);
      assert.match(logs[0].stderr, new RegExp(`^Parsing config from ${LABEL}\\n${LABEL}:2: warning: a warning on line 2\\n$`));
      assert.ok(!logs[0].stderr.includes(file), 'the temporary path does not reach the log');
      assert.ok(!logs[0].commandLine.includes('s3cret'), 'the text is not on the command line');
    });

    test('a failure names the user file and still removes the temporary one', async () => {
      await assert.rejects(runXl(textCommand(`${TEXT}\n# fail-here\n`), options()), (error: unknown) => {
        assert.ok(error instanceof XlError);
        assert.equal(error.kind, 'failed');
        assert.equal(error.exitCode, 3);
        assert.match(error.detail, new RegExp(`cannot open ${LABEL}$`, 'm'));
        return true;
      });
      assert.equal(existsSync(recorded().file), false);
    });

    test('a cancelled run removes the temporary file', async () => {
      rmSync(record, { force: true });
      const controller = new AbortController();
      const run = runXl(textCommand('# hang-here\n'), options({ signal: controller.signal }));
      const deadline = Date.now() + 5000;
      while (!existsSync(record) || !readFileSync(record, 'utf8').includes('\n')) {
        if (Date.now() > deadline) assert.fail('the fake xl did not start');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const { file } = recorded();
      assert.equal(existsSync(file), true);
      controller.abort();
      await assert.rejects(run, (error: unknown) => error instanceof XlError && error.kind === 'cancelled');
      const gone = Date.now() + 15_000;
      while (existsSync(file) && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(existsSync(file), false);
    });
  });
}

describe('config text over ssh: a stopped run', () => {
  test('a timed-out create from text ends xl on the host (its process group) and still removes the file', async () => {
    rmSync(record, { force: true });
    const error = await rejection(runXl(textCommand('# hang-here\n'), ssh({ timeoutMs: 1000 })));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.remoteStop, 'ended', error.message);
    assert.match(error.message, /xl on root@dom0 was ended too\.$/);
    const { file } = recorded();
    const gone = Date.now() + 15_000;
    while (existsSync(path.dirname(file)) && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(existsSync(path.dirname(file)), false);
    assert.doesNotMatch(error.detail, /xen-xl-remote|xen-xl-temporary-config/);
  });
});

describe('config text details', () => {
  test('a local run uses the command cwd (the config folder) for relative paths', async () => {
    const folder = path.join(dir, 'configs');
    mkdirSync(folder, { recursive: true });
    const command = { ...textCommand(TEXT), cwd: folder };
    await runXl(command, local());
    assert.equal(recorded().cwd, folder);
  });

  test('a plain config name is kept for the temporary file', async () => {
    const command = { ...xl.createFromText(TEXT, '/x/demo-pvh.cfg'), parse: (stdout: string) => stdout };
    await runXl(command, ssh());
    assert.equal(path.basename(recorded().file), 'demo-pvh.cfg');
  });

  test('the remote program quotes every word and keeps the text off the command line', () => {
    const argv = buildConfigTextArgv(
      { target: { kind: 'ssh', destination: 'root@dom0', controlDir: '/run/x' }, xlPath: "/opt/x l/'xl'", sudo: 'auto' },
      ['-N', 'create', '-f', CONFIG_TEXT_PATH, '--', 'name="$(id)"'],
      '$(reboot).cfg',
    );
    const program = argv[argv.length - 1];
    assert.equal(argv[0], 'ssh');
    assert.ok(argv.includes('root@dom0'));
    assert.match(program, /-f "\$f"/);
    assert.match(program, /'name="\$\(id\)"'/);
    assert.match(program, /'\/opt\/x l\/'\\''xl'\\'''/);
    assert.match(program, /f="\$d"\/config\.cfg/, 'an unsafe file name is replaced');
    assert.match(program, /sudo -n --/);
    assert.ok(!program.includes(CONFIG_TEXT_PATH));
  });

  test('text with a NUL byte is refused before anything runs', () => {
    assert.throws(() => xl.createFromText('a\0b', LABEL), RangeError);
  });
});
