// The command-line checker, run as a real process on real files.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';

const cli = resolve('dist/cli.js');
const folder = mkdtempSync(join(tmpdir(), 'xl-cfg-lint-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

function lint(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('xl-cfg-lint', () => {
  const good = file('good.cfg', 'name = "good"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 1024\n');
  const bad = file('bad.cfg', 'name = "bad"\nmemory = "1G"\ntype = "hvn"\nmaxmem = 2048\n');
  const warnOnly = file('warn.cfg', 'name = "warn"\nkernel = "/boot/vmlinuz"\nmemry = 512\nmaxmem = 512\n');

  test('a clean file: no output, exit 0', () => {
    assert.deepEqual(lint(good), { status: 0, stdout: '', stderr: '' });
  });

  test('gcc-style lines and exit 1 when there is an error', () => {
    const result = lint(bad);
    assert.equal(result.status, 1);
    assert.deepEqual(result.stdout.trim().split('\n').map((line) => line.replace(/: .*\[/, ': … [')), [`${bad}:2:10: … [xl.not-a-number]`, `${bad}:3:8: … [xl.bad-enum]`]);
    assert.match(result.stdout, new RegExp(`^${bad.replace(/[.]/g, '\\.')}:2:10: warning: \`memory = "1G"\` is not a valid number`, 'm'));
    assert.match(result.stdout, /:3:8: error: invalid type `hvn`/);
  });

  test('warnings alone exit 0', () => {
    const result = lint(warnOnly);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /:3:1: warning: unknown key `memry`: xl ignores it silently; did you mean `memory`\? \[xl\.unknown-key\]/);
  });

  test('a file named xl.conf is checked against the xl.conf keys, not as a guest', () => {
    mkdirSync(join(folder, 'etc'), { recursive: true });
    const conf = file('etc/xl.conf', 'autoballoon = "off"\nvif.default.bridge = "br0"\nmax_grant_frames = "lots"\nmemroy = 1\n');
    const result = lint(conf);
    assert.equal(result.status, 1);
    assert.deepEqual(result.stdout.trim().split('\n').map((line) => line.replace(/: .*\[/, ': … [')), [`${conf}:3:20: … [xl.not-a-number]`, `${conf}:4:1: … [xl.unknown-key]`]);
    assert.match(result.stdout, /:3:20: error: .*every `xl` command/);
    // A clean xl.conf needs no `name`, and is no guest of the run for the cross-file rules.
    const clean = file('etc/xl.conf', 'autoballoon = "off"\n');
    assert.deepEqual(lint(clean, good), { status: 0, stdout: '', stderr: '' });
  });

  test('JSON output: LSP diagnostics with 0-based ranges and numeric severities', () => {
    const result = lint('--format', 'json', bad, good);
    assert.equal(result.status, 1);
    const reports = JSON.parse(result.stdout) as { file: string; diagnostics: { range: { start: { line: number; character: number } }; severity: number; code: string }[] }[];
    assert.deepEqual(reports.map((report) => report.file), [bad, good]);
    assert.deepEqual(reports[0].diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.severity, d.code]), [
      [1, 9, 2, 'xl.not-a-number'],
      [2, 7, 1, 'xl.bad-enum'],
    ]);
    assert.deepEqual(reports[1].diagnostics, []);
  });

  test('an unreadable file is reported, not thrown', () => {
    const result = lint(join(folder, 'missing.cfg'), good);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /missing\.cfg: error: cannot read file: ENOENT \[xl\.io\]/);
    assert.equal(result.stderr, '');
  });

  test('hundreds of files in one run, compared with each other', () => {
    const files = Array.from({ length: 300 }, (_, index) => file(`guest${index}.cfg`, `name = "guest${index}"\nkernel = "/boot/vmlinuz"\nmemory = 512\nvif = [ 'mac=00:16:3e:00:${(index >> 8).toString(16).padStart(2, '0')}:${(index & 255).toString(16).padStart(2, '0')}' ]\n`));
    assert.deepEqual(lint(...files), { status: 0, stdout: '', stderr: '' });
    const twin = file('twin.cfg', 'name = "guest7"\nkernel = "/boot/vmlinuz"\nmemory = 512\n');
    const result = lint(files[7], twin);
    assert.equal(result.status, 0);
    assert.equal(result.stdout.match(/xl\.duplicate-name/g)?.length, 2);
  });

  test('bad usage exits 2 with a usage line', () => {
    const result = lint('--format', 'xml', good);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown format 'xml'/);
    assert.equal(lint().status, 2);
  });
});

describe('xl-cfg-lint --xen-version', () => {
  const newer = file('newer.cfg', 'name = "newer"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nxenstore_quota = [ "nodes=2000" ]\ndisk = [ "vdev=xvda,grant_usage=1,target=/a.img" ]\nmemory = 512\n');

  test('without it: the latest Xen, no version rules', () => {
    assert.deepEqual(lint(newer), { status: 0, stdout: '', stderr: '' });
  });

  test('for Xen 4.17: the newer key is a warning, the newer disk key an error', () => {
    const result = lint('--xen-version', '4.17', newer);
    assert.equal(result.status, 1);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      `${newer}:4:1: warning: \`xenstore_quota\` needs Xen 4.22; the target is Xen 4.17, whose xl ignores it [xl.version-key-ignored]`,
      `${newer}:5:21: error: \`grant_usage=\` in a disk spec needs Xen 4.19; the target is Xen 4.17, whose xl refuses it and stops \`xl create\` [xl.version-refused]`,
    ]);
    assert.equal(lint('--xen-version=4.22', newer).status, 0);
  });

  test('an unknown version is a usage error', () => {
    const result = lint('--xen-version', '4.71', newer);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown Xen version '4\.71' \(use one of 4\.17, 4\.18, 4\.19, 4\.20, 4\.21, 4\.22, 4\.23\)/);
  });
});
