// The log builders and readers: the scripts are constant and get names and paths as positional
// parameters (checked by running them with a real `sh` on files in a temporary folder, with
// hostile guest names), the hex transport, the decoding of binary and invalid UTF-8 bytes.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync, appendFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { XlError } from '../../../client/src/xl/errors';
import {
  LOG_DIR,
  LOG_TAIL_BYTES,
  classifyLogFile,
  decodeLogBytes,
  dmesg,
  escapeLogText,
  guestLogFile,
  guestLogFiles,
  logPath,
  parseLogChunk,
  parseLogListing,
  readLog,
  startFailureLogs,
} from '../../../client/src/xl/logs';
import { buildArgv, programOptions, type ArgvOptions } from '../../../client/src/xl/runner';
import type { XlCommand } from '../../../client/src/xl/types';

const HOSTILE_NAMES = ['web 01', "it's", '"q"', '-leading', '--help', '$(touch pwned)', '`id`', 'a;b', '*', 'two\nlines', '..'];

const work = mkdtempSync(path.join(os.tmpdir(), 'xen-xl-logs-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs a command's `sh` script as the runner would (argv, no shell around it) and parses stdout. */
function runScript<T>(command: XlCommand<T>, replaceArgs: (args: string[]) => string[] = (args) => args): T {
  assert.equal(command.program, 'sh');
  const stdout = execFileSync('sh', replaceArgs(command.args), { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } });
  return command.parse(stdout);
}

describe('log builders', () => {
  test('file names and paths of a guest\'s logs', () => {
    assert.equal(guestLogFile('xl', 'web'), 'xl-web.log');
    assert.equal(guestLogFile('qemu', 'web 01'), 'qemu-dm-web 01.log');
    assert.equal(logPath('xl-web.log.1'), '/var/log/xen/xl-web.log.1');
    assert.throws(() => guestLogFile('xl', 'a/b'), RangeError);
    assert.throws(() => guestLogFile('xl', ''), RangeError);
    assert.throws(() => logPath('../shadow'), RangeError);
    assert.throws(() => logPath('..'), RangeError);
  });

  test('scripts are constant text, privileged, and the data are single positional parameters', () => {
    const scripts = new Set<string>();
    for (const name of HOSTILE_NAMES.filter((candidate) => !candidate.includes('/'))) {
      const listing = guestLogFiles(name);
      assert.equal(listing.privileged, true);
      assert.deepEqual(listing.args.slice(2), ['xen-xl-log-files', LOG_DIR, name, '200']);
      scripts.add(listing.args[1]);
      const read = readLog(logPath(guestLogFile('xl', name)));
      assert.equal(read.privileged, true);
      assert.deepEqual(read.args.slice(2), ['xen-xl-read-log', `${LOG_DIR}/xl-${name}.log`, '-1', String(LOG_TAIL_BYTES), '']);
      scripts.add(read.args[1]);
    }
    assert.equal(scripts.size, 2, 'one script text per builder, whatever the name');
    for (const script of scripts) assert.ok(!HOSTILE_NAMES.some((name) => name.length > 2 && script.includes(name)));
  });

  test('over ssh, through sudo, the script and a hostile name reach sh as exactly these words', () => {
    const remote: ArgvOptions = { target: { kind: 'ssh', destination: 'root@dom0', controlDir: '/run/x' }, xlPath: 'xl', sudo: 'always' };
    for (const name of HOSTILE_NAMES) {
      for (const command of [guestLogFiles(name), readLog(logPath(guestLogFile('qemu', name)), { from: 12, inode: '99' })]) {
        const remoteString = buildArgv(programOptions(command, remote), command.args, { uid: 1000 }).at(-1) ?? '';
        assert.match(remoteString, /^export LC_ALL=C; exec sudo -n -- sh -c /);
        const words = execFileSync('sh', ['-c', `printf '%s\\0' ${remoteString.replace(/^export LC_ALL=C; exec sudo -n -- /, '')}`], { encoding: 'utf8' }).split('\0').slice(0, -1);
        assert.deepEqual(words, ['sh', ...command.args], JSON.stringify(name));
      }
    }
  });

  test('readLog checks its numbers and path', () => {
    assert.deepEqual(readLog('/x', { from: 10, inode: '42', maxBytes: 100 }).args.slice(3), ['/x', '10', '100', '42']);
    assert.throws(() => readLog('relative.log'), RangeError);
    assert.throws(() => readLog('/x', { from: -2 }), RangeError);
    assert.throws(() => readLog('/x', { from: 1.5 }), RangeError);
    assert.throws(() => readLog('/x', { maxBytes: 0 }), RangeError);
    assert.throws(() => readLog('/x', { inode: '1; rm' }), RangeError);
  });

  test('xl dmesg is an xl command whose output is the text', () => {
    const command = dmesg();
    assert.deepEqual(command.args, ['dmesg']);
    assert.equal(command.program, undefined);
    assert.equal(command.parse('(XEN) hello\n'), '(XEN) hello\n');
  });

  test('a failed start offers the qemu-dm log only when the device model is named', () => {
    assert.deepEqual(startFailureLogs('libxl: error: libxl_create.c:1934:domcreate_attach_devices: unable to add disk devices'), ['xl']);
    assert.deepEqual(startFailureLogs('libxl: error: libxl_dm.c:3157:device_model_spawn_outcome: Domain 3:domain 3 device model: spawn failed (rc=-3)'), ['xl', 'qemu']);
    assert.deepEqual(startFailureLogs('libxl: error: libxl_qmp.c:1837:qmp_ev_connect: Domain 9:Failed to connect to QMP socket /var/run/xen/qmp-libxl-9'), ['xl', 'qemu']);
  });
});

describe('the log listing script on real files', () => {
  test('lists exactly the guest\'s current and rotated logs, matched literally, whatever the name', () => {
    for (const name of HOSTILE_NAMES.filter((candidate) => !['..'].includes(candidate))) {
      const dir = mkdtempSync(path.join(work, 'list-'));
      writeFileSync(path.join(dir, `xl-${name}.log`), 'a'.repeat(10));
      writeFileSync(path.join(dir, `xl-${name}.log.1`), 'b'.repeat(20));
      writeFileSync(path.join(dir, `xl-${name}.log.10`), '');
      writeFileSync(path.join(dir, `qemu-dm-${name}.log`), 'q');
      // Another guest whose name the pattern must not reach.
      writeFileSync(path.join(dir, 'xl-other.log'), 'x');
      writeFileSync(path.join(dir, `xl-${name}x.log`), 'x');
      const listing = runScript(guestLogFiles(name), (args) => [...args.slice(0, 3), dir, ...args.slice(4)]);
      assert.equal(listing.folderExists, true);
      assert.deepEqual(
        listing.files.map((file) => [file.file, file.kind, file.generation, file.sizeBytes]),
        [
          [`xl-${name}.log`, 'xl', 0, 10],
          [`qemu-dm-${name}.log`, 'qemu', 0, 1],
          [`xl-${name}.log.1`, 'xl', 1, 20],
          [`xl-${name}.log.10`, 'xl', 10, 0],
        ],
        JSON.stringify(name),
      );
      assert.ok(listing.files.every((file) => typeof file.modifiedSeconds === 'number' && file.modifiedSeconds > 1_600_000_000));
    }
    assert.throws(() => execFileSync('sh', ['-c', 'ls pwned'], { cwd: work, stdio: 'ignore' }), 'no name ran as a command');
  });

  test('a missing folder says so; a folder without logs is an empty list; the limit is reported', () => {
    const missing = runScript(guestLogFiles('web'), (args) => [...args.slice(0, 3), path.join(work, 'nope'), ...args.slice(4)]);
    assert.deepEqual(missing, { folderExists: false, files: [] });
    const dir = mkdtempSync(path.join(work, 'empty-'));
    assert.deepEqual(runScript(guestLogFiles('web'), (args) => [...args.slice(0, 3), dir, ...args.slice(4)]), { folderExists: true, files: [] });
    for (let index = 1; index <= 5; index++) writeFileSync(path.join(dir, `xl-web.log.${index}`), '');
    const cut = runScript(guestLogFiles('web'), (args) => [...args.slice(0, 3), dir, args[4], '3']);
    assert.equal(cut.files.length, 3);
    assert.equal(cut.truncated, true);
  });

  test('the parser refuses what the script never prints', () => {
    assert.throws(() => parseLogListing('F\0ten\0\0xl-web.log\0', 'web'), (error: unknown) => error instanceof XlError && error.kind === 'bad-output');
    assert.throws(() => parseLogListing('Z\0', 'web'), (error: unknown) => error instanceof XlError && error.kind === 'bad-output');
    // A file of another guest (the script never lists one) is skipped rather than shown.
    assert.deepEqual(parseLogListing('F\x003\0\0xl-other.log\0', 'web').files, []);
  });

  test('file names: current, numbered, other suffixes after the numbered ones', () => {
    assert.deepEqual(classifyLogFile('xl-web.log', 'web'), { kind: 'xl', generation: 0 });
    assert.deepEqual(classifyLogFile('qemu-dm-web.log.3', 'web'), { kind: 'qemu', generation: 3 });
    assert.deepEqual(classifyLogFile('xl-web.log.old', 'web'), { kind: 'xl', generation: 1_000_000 });
    assert.equal(classifyLogFile('xl-web2.log', 'web'), undefined);
    assert.equal(classifyLogFile('xl-web.logx', 'web'), undefined);
  });
});

describe('the log reading script on real files', () => {
  const file = path.join(work, 'xl-web 01.log');

  test('a small file whole; then only what was appended, by offset', () => {
    writeFileSync(file, 'line one\nline two\n');
    const first = runScript(readLog(file));
    assert.equal(first.missing, false);
    if (first.missing) return;
    assert.equal(first.sizeBytes, 18);
    assert.equal(first.start, 0);
    assert.equal(first.restarted, true, 'no offset given: the tail was read');
    assert.match(first.inode ?? '', /^\d+$/);
    assert.equal(Buffer.from(first.bytes).toString(), 'line one\nline two\n');
    appendFileSync(file, 'line three\n');
    const next = runScript(readLog(file, { from: 18, inode: first.inode }));
    assert.ok(!next.missing);
    if (next.missing) return;
    assert.deepEqual([next.start, next.sizeBytes, next.restarted], [18, 29, false]);
    assert.equal(Buffer.from(next.bytes).toString(), 'line three\n');
    const none = runScript(readLog(file, { from: 29, inode: first.inode }));
    assert.ok(!none.missing && none.bytes.length === 0 && !none.restarted);
  });

  test('a big file: only the last maxBytes; a shrunken or replaced file: the tail again', () => {
    writeFileSync(file, Buffer.alloc(5000, 0x61));
    const tail = runScript(readLog(file, { maxBytes: 1000 }));
    assert.ok(!tail.missing);
    if (tail.missing) return;
    assert.deepEqual([tail.sizeBytes, tail.start, tail.bytes.length], [5000, 4000, 1000]);
    truncateSync(file, 100);
    const shrunk = runScript(readLog(file, { from: 5000, inode: tail.inode, maxBytes: 1000 }));
    assert.ok(!shrunk.missing && shrunk.restarted && shrunk.start === 0 && shrunk.bytes.length === 100);
    // Rotation: xl renames the file and writes a new one (another inode, maybe as big as before).
    renameSync(file, `${file}.1`);
    writeFileSync(file, Buffer.alloc(200, 0x62));
    const rotated = runScript(readLog(file, { from: 100, inode: tail.inode, maxBytes: 1000 }));
    assert.ok(!rotated.missing && rotated.restarted && rotated.start === 0 && rotated.bytes.length === 200);
    // From an offset, at most maxBytes; the rest comes next time.
    const partial = runScript(readLog(file, { from: 0, inode: rotated.missing ? undefined : rotated.inode, maxBytes: 50 }));
    assert.ok(!partial.missing && !partial.restarted && partial.start === 0 && partial.bytes.length === 50);
  });

  test('every byte value survives the trip; a missing file is a result; a folder is an error', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    writeFileSync(file, all);
    const chunk = runScript(readLog(file));
    assert.ok(!chunk.missing);
    if (!chunk.missing) assert.deepEqual(Buffer.from(chunk.bytes), all);
    assert.deepEqual(runScript(readLog(path.join(work, 'none.log'))), { missing: true });
    assert.throws(() => runScript(readLog(work)), /not a regular file/);
  });

  test('the chunk parser refuses what the script never prints', () => {
    for (const bad of ['', 'S x 0 0 1\n', 'S 1 0 0 1\nzz\n', 'S 1 0 0 1\nabc\n', 'hello']) {
      assert.throws(() => parseLogChunk(bad), (error: unknown) => error instanceof XlError && error.kind === 'bad-output', JSON.stringify(bad));
    }
    const chunk = parseLogChunk('S 3 0 1\n 61 62\n 63\n');
    assert.ok(!chunk.missing);
    if (!chunk.missing) {
      assert.equal(chunk.inode, undefined);
      assert.equal(Buffer.from(chunk.bytes).toString(), 'abc');
    }
  });
});

describe('decoding log bytes', () => {
  const decode = (bytes: number[] | string, final = true) => decodeLogBytes(typeof bytes === 'string' ? new Uint8Array(Buffer.from(bytes)) : new Uint8Array(bytes), final);

  test('text, tabs and UTF-8 as they are; CRLF as LF', () => {
    assert.deepEqual(decode('a\tb\r\nc\n'), { text: 'a\tb\nc\n', consumed: 7 });
    assert.equal(decode('Größe: 2 € 🐧').text, 'Größe: 2 € 🐧');
  });

  test('control bytes and invalid UTF-8 as \\xNN', () => {
    assert.equal(decode([0x1b, 0x5b, 0x30, 0x6d, 0x00, 0x7f, 0x0d, 0x41]).text, '\\x1b[0m\\x00\\x7f\\x0dA');
    assert.equal(decode([0xff, 0xfe, 0x41]).text, '\\xff\\xfeA');
    // Overlong, surrogate, beyond U+10FFFF, lone continuation.
    assert.equal(decode([0xc0, 0xaf]).text, '\\xc0\\xaf');
    assert.equal(decode([0xed, 0xa0, 0x80]).text, '\\xed\\xa0\\x80');
    assert.equal(decode([0xf4, 0x90, 0x80, 0x80]).text, '\\xf4\\x90\\x80\\x80');
    assert.equal(decode([0x80]).text, '\\x80');
  });

  test('an incomplete character at the end waits for the next read unless final', () => {
    const euro = [...Buffer.from('€')];
    assert.deepEqual(decode([0x41, ...euro.slice(0, 2)], false), { text: 'A', consumed: 1 });
    assert.deepEqual(decode([0x41, ...euro.slice(0, 2)], true), { text: 'A\\xe2\\x82', consumed: 3 });
    assert.deepEqual(decode([0x41, 0x0d], false), { text: 'A', consumed: 1 });
    // Invalid is invalid, final or not: it does not wait.
    assert.deepEqual(decode([0x41, 0xe2, 0x41], false), { text: 'A\\xe2A', consumed: 3 });
  });

  test('a megabyte of mixed bytes decodes quickly and consumes everything', () => {
    const bytes = new Uint8Array(LOG_TAIL_BYTES);
    for (let index = 0; index < bytes.length; index++) bytes[index] = index % 97 === 0 ? 0xff : 0x20 + (index % 90);
    const started = performance.now();
    const result = decodeLogBytes(bytes);
    assert.equal(result.consumed, bytes.length);
    assert.ok(performance.now() - started < 1000);
  });

  test('dmesg text: control characters escaped', () => {
    assert.equal(escapeLogText('(XEN) a\r\n(XEN) \x1b[1mb\x07\n'), '(XEN) a\n(XEN) \\x1b[1mb\\x07\n');
  });
});
