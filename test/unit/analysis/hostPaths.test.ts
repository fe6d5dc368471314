// Rule xl.missing-path, the pure half: which host paths a config makes the server look for, and
// which problems the host's answers give (missing: a warning; there or unknown: nothing), with
// suppressions, severities and the setting that turns the check on.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostPathProblems, hostPathQuestions, sameProblems, withHostPathProblems } from '../../../server/src/analysis/checks/hostPaths';
import { computeDiagnostics } from '../../../server/src/analysis/diagnostics';
import { PATH_KEYS } from '../../../server/src/analysis/model';
import type { Problem } from '../../../server/src/analysis/types';
import { checksHostPaths, readSettings } from '../../../server/src/lsp/settings';
import { parseConfig } from '../../../server/src/syntax';

const CONFIG = [
  'name = "web01"',
  'type = "hvm"',
  'kernel = "/boot/vmlinuz-gone"',
  'bootloader = "pygrub"',
  'disk = [ "phy:/dev/vg/lv,xvda,w", "format=raw,vdev=xvdb,target=/dev/vg/lv2", "file:/x.img,xvdc,w", "/y.img,xvdd,w",',
  '         ",raw,xvde:cdrom,r", "format=raw,vdev=xvdf,devtype=cdrom,target=", "rel.img,xvdg,w",',
  '         "vdev=xvdh,script=block-iscsi,target=/dev/disk/by-path/iqn" ]',
  'serial = "file:/var/log/xen/web01-serial.log"',
  '',
].join('\n');

/** Each question as `written text → path looked for`. */
function questions(text: string): string[] {
  return hostPathQuestions(parseConfig(text)).map((question) => `${text.slice(question.start, question.end)} → ${question.path}`);
}

/** The problems as `code severity written-text: message`, with every path in `missing` missing and `unknown` unknown. */
function problems(text: string, missing: string[], unknown: string[] = [], severities?: Record<string, 'off' | 'error'>): string[] {
  const document = parseConfig(text);
  const asked = hostPathQuestions(document);
  const answers = new Map<string, boolean | undefined>(asked.map((question) => [question.path, !missing.includes(question.path)]));
  for (const path of unknown) answers.set(path, undefined);
  return hostPathProblems(document, asked, answers, severities).map((problem) => `${problem.code} ${problem.severity} ${text.slice(problem.start, problem.end)}: ${problem.message}`);
}

test('the paths looked for: absolute ones only, the serial log\'s folder, no scripted disk target', () => {
  assert.deepEqual(questions(CONFIG), [
    '/boot/vmlinuz-gone → /boot/vmlinuz-gone',
    '/dev/vg/lv → /dev/vg/lv',
    '/dev/vg/lv2 → /dev/vg/lv2',
    '/x.img → /x.img',
    '/y.img → /y.img',
    '/var/log/xen/web01-serial.log → /var/log/xen',
  ]);
  // A log in the root folder: the root is always there.
  assert.deepEqual(questions('name = "a"\ntype = "hvm"\nserial = "file:/serial.log"\n'), []);
});

test('a missing disk target: a warning on the path, with what xl does', () => {
  const text = 'name = "web01"\ndisk = [ "phy:/dev/xenvg/no-such-volume,xvda,w" ]\n';
  assert.deepEqual(problems(text, ['/dev/xenvg/no-such-volume']), [
    'xl.missing-path warning /dev/xenvg/no-such-volume: `/dev/xenvg/no-such-volume` does not exist on this host: `xl create` fails to attach this disk',
  ]);
});

test('each kind of path says what xl cannot do', () => {
  assert.deepEqual(problems(CONFIG, ['/boot/vmlinuz-gone', '/x.img', '/var/log/xen']), [
    'xl.missing-path warning /boot/vmlinuz-gone: `/boot/vmlinuz-gone` does not exist on this host: xl cannot load the kernel, and `xl create` fails',
    'xl.missing-path warning /x.img: `/x.img` does not exist on this host: `xl create` fails to attach this disk',
    'xl.missing-path warning /var/log/xen/web01-serial.log: `/var/log/xen` does not exist on this host: the device model cannot create the serial log `/var/log/xen/web01-serial.log` in it, and `xl create` fails',
  ]);
  // Every path key has its own words.
  for (const key of PATH_KEYS) {
    const [message] = problems(`name = "a"\n${key} = "/nowhere/file"\n`, ['/nowhere/file']);
    assert.ok(message !== undefined && !message.includes('cannot read it'), `${key}: ${message}`);
  }
});

test('a path that is there, or whose answer is unknown or absent, gives nothing', () => {
  assert.deepEqual(problems(CONFIG, []), []);
  assert.deepEqual(problems(CONFIG, ['/x.img'], ['/x.img']), []);
  const document = parseConfig(CONFIG);
  assert.deepEqual(hostPathProblems(document, hostPathQuestions(document), new Map()), []);
});

test('suppression comments and xen.diagnostics.rules apply', () => {
  const text = 'name = "web01"\n# xl-lint: disable-next-line missing-path\nkernel = "/a"\nramdisk = "/b"\n';
  assert.deepEqual(problems(text, ['/a', '/b']).map((row) => row.split(':')[0]), ['xl.missing-path warning /b']);
  assert.deepEqual(problems(text, ['/a', '/b'], [], { 'missing-path': 'error' }).map((row) => row.split(':')[0]), ['xl.missing-path error /b']);
  assert.deepEqual(problems(text, ['/a', '/b'], [], { 'missing-path': 'off' }), []);
});

test('merged with the other problems in document order; sameness compares places, severities and messages', () => {
  const text = 'name = "web01"\nkernel = "/gone"\nmemroy = 1024\nmaxmem = 1024\n';
  const document = parseConfig(text);
  const asked = hostPathQuestions(document);
  const host = hostPathProblems(document, asked, new Map([['/gone', false]]));
  const merged = withHostPathProblems(computeDiagnostics(document), host);
  assert.deepEqual(merged.map((problem) => problem.code), ['xl.missing-path', 'xl.unknown-key']);
  assert.ok(sameProblems(host, hostPathProblems(document, asked, new Map([['/gone', false]]))));
  assert.ok(!sameProblems(host, []));
  const moved: Problem[] = host.map((problem) => ({ ...problem, start: problem.start + 1 }));
  assert.ok(!sameProblems(host, moved));
});

test('xen.checkHostPaths: auto only on a control domain, always, never', () => {
  assert.equal(readSettings(undefined).checkHostPaths, 'auto');
  assert.equal(readSettings({ checkHostPaths: 'always' }).checkHostPaths, 'always');
  assert.equal(readSettings({ checkHostPaths: 'never' }).checkHostPaths, 'never');
  for (const wrong of ['yes', true, 1, null]) assert.equal(readSettings({ checkHostPaths: wrong }).checkHostPaths, 'auto', String(wrong));
  assert.equal(checksHostPaths('auto', true), true);
  assert.equal(checksHostPaths('auto', false), false);
  assert.equal(checksHostPaths('auto', undefined), false);
  assert.equal(checksHostPaths('always', false), true);
  assert.equal(checksHostPaths('never', true), false);
});
