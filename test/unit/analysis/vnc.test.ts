// The VNC rules: a listen address other machines can reach (with its quick fix), a password longer
// than VNC authentication reads, and a keymap where the graphical console applies. Each case names
// the guest type, because which settings reach the VNC server depends on it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLoopback, splitListen } from '../../../server/src/analysis/checks/vnc';
import { computeDiagnostics, type DiagnosticsOptions } from '../../../server/src/analysis/diagnostics';
import { applyEdits, safeFixes } from '../../../server/src/analysis/fixes';
import type { Problem } from '../../../server/src/analysis/types';
import { parseConfig } from '../../../server/src/syntax';

type Expected = [code: string, severity: Problem['severity'], rangeText: string];

const VNC_CODES = new Set(['xl.vnc-not-loopback', 'xl.vnc-password-too-long', 'xl.vnc-keymap']);

function withName(input: string): string {
  return /^name\s*=/m.test(input) ? input : `name = "t"\n${input}`;
}

/**
 * Every problem of `input` (a `name` line added), as code, severity and the text it covers, but
 * `xl.missing-kernel` and `xl.no-memory`: the cases leave out how a PV guest boots and how much
 * memory a guest has, which is not what they test.
 */
function check(input: string, expected: Expected[], options: DiagnosticsOptions = {}): Problem[] {
  const text = withName(input);
  const problems = computeDiagnostics(parseConfig(text), options).filter((p) => p.code !== 'xl.missing-kernel' && p.code !== 'xl.no-memory');
  assert.deepEqual(
    problems.map((p) => [p.code, p.severity, text.slice(p.start, p.end)]),
    expected,
    problems.map((p) => p.message).join('\n'),
  );
  return problems;
}

/** The VNC problems only, for cases where other rules also speak. */
function vncOnly(input: string, expected: Expected[]): Problem[] {
  const text = withName(input);
  const problems = computeDiagnostics(parseConfig(text)).filter((p) => VNC_CODES.has(p.code));
  assert.deepEqual(
    problems.map((p) => [p.code, p.severity, text.slice(p.start, p.end)]),
    expected,
    problems.map((p) => p.message).join('\n'),
  );
  return problems;
}

/** Applies the quick fix of the only not-loopback problem, through the same filter the editor uses. */
function fixListen(input: string): string {
  const text = withName(input);
  const document = parseConfig(text);
  const problems = computeDiagnostics(document).filter((p) => p.code === 'xl.vnc-not-loopback');
  assert.equal(problems.length, 1, `one not-loopback problem in ${JSON.stringify(text)}`);
  const fixes = safeFixes(document, problems[0]);
  assert.equal(fixes.length, 1, 'one safe fix');
  assert.equal(fixes[0].title, 'Listen on 127.0.0.1 only');
  assert.equal(fixes[0].preferred, true);
  const result = applyEdits(text, fixes[0].edits);
  assert.ok(result !== undefined);
  // The fixed text has no such diagnostic left.
  assert.deepEqual(computeDiagnostics(parseConfig(result)).filter((p) => p.code === 'xl.vnc-not-loopback'), []);
  return result;
}

const NOT_LOOPBACK: Problem['severity'] = 'information';

describe('vnc-not-loopback: HVM, top-level vnclisten', () => {
  test('0.0.0.0, with the message and the fix', () => {
    const [problem] = check('type = "hvm"\nvnclisten = "0.0.0.0"\n', [['xl.vnc-not-loopback', NOT_LOOPBACK, '"0.0.0.0"']]);
    assert.match(problem.message, /every network interface \("0\.0\.0\.0"\)/);
    assert.match(problem.message, /graphical console works with vnclisten = "127\.0\.0\.1"/);
    assert.match(problem.message, /need not be open to the network/);
    assert.equal(fixListen('type = "hvm"\nvnclisten = "0.0.0.0"\n'), 'name = "t"\ntype = "hvm"\nvnclisten = "127.0.0.1"\n');
  });
  test('VNC is on by default for HVM', () => void check('type = "hvm"\nvnc = 1\nvnclisten = "0.0.0.0"\n', [['xl.vnc-not-loopback', NOT_LOOPBACK, '"0.0.0.0"']]));
  test('builder = "hvm" makes an HVM guest too', () => void vncOnly('builder = "hvm"\nvnclisten = "0.0.0.0"\n', [['xl.vnc-not-loopback', NOT_LOOPBACK, '"0.0.0.0"']]));
  test('the IPv6 wildcard', () => {
    const [problem] = check("type = 'hvm'\nvnclisten = '::'\n", [['xl.vnc-not-loopback', NOT_LOOPBACK, "'::'"]]);
    assert.match(problem.message, /every network interface/);
    assert.equal(fixListen("type = 'hvm'\nvnclisten = '::'\n"), "name = \"t\"\ntype = 'hvm'\nvnclisten = '127.0.0.1'\n");
  });
  test('a LAN address is named, not called every interface', () => {
    const [problem] = check('type = "hvm"\nvnclisten = "192.168.1.5"\n', [['xl.vnc-not-loopback', NOT_LOOPBACK, '"192.168.1.5"']]);
    assert.match(problem.message, /listens on "192\.168\.1\.5", so other machines/);
    assert.doesNotMatch(problem.message, /every network interface/);
  });
  test('a host name other than localhost', () => void check('type = "hvm"\nvnclisten = "dom0.example.org"\n', [['xl.vnc-not-loopback', NOT_LOOPBACK, '"dom0.example.org"']]));
  test('the fix keeps a :DISPLAY suffix', () => {
    assert.equal(fixListen('type = "hvm"\nvnclisten = "0.0.0.0:3"\n'), 'name = "t"\ntype = "hvm"\nvnclisten = "127.0.0.1:3"\n');
    assert.equal(fixListen('type = "hvm"\nvnclisten = "[::]:3"\n'), 'name = "t"\ntype = "hvm"\nvnclisten = "127.0.0.1:3"\n');
    assert.equal(fixListen('type = "hvm"\nvnclisten = "10.0.0.2:12"\n'), 'name = "t"\ntype = "hvm"\nvnclisten = "127.0.0.1:12"\n');
  });
  test('an empty address is every interface (QEMU binds ":N" to all of them)', () => {
    const [problem] = check('type = "hvm"\nvnclisten = ":2"\n', [['xl.vnc-not-loopback', NOT_LOOPBACK, '":2"']]);
    assert.match(problem.message, /every network interface/);
    assert.equal(fixListen('type = "hvm"\nvnclisten = ":2"\n'), 'name = "t"\ntype = "hvm"\nvnclisten = "127.0.0.1:2"\n');
    assert.equal(fixListen('type = "hvm"\nvnclisten = ""\n'), 'name = "t"\ntype = "hvm"\nvnclisten = "127.0.0.1"\n');
  });
  test('with a display both in vnclisten and vncdisplay, both rules speak', () => void
    check('type = "hvm"\nvnclisten = "0.0.0.0:1"\nvncdisplay = 1\n', [
      ['xl.vnc-display-twice', 'error', '"0.0.0.0:1"'],
      ['xl.vnc-not-loopback', NOT_LOOPBACK, '"0.0.0.0:1"'],
    ]));
  test('an unquoted number is replaced by a quoted address', () => {
    assert.equal(fixListen('type = "hvm"\nvnclisten = 0\n'), 'name = "t"\ntype = "hvm"\nvnclisten = "127.0.0.1"\n');
  });
  test('the last vnclisten is the one xl reads', () => void
    vncOnly('type = "hvm"\nvnclisten = "0.0.0.0"\nvnclisten = "127.0.0.1"\n', []));
  test('after +=, reported on the last statement without a fix', () => {
    const text = withName('type = "hvm"\nvnclisten = "0.0.0"\nvnclisten += ".0"\n');
    const problems = computeDiagnostics(parseConfig(text)).filter((p) => p.code === 'xl.vnc-not-loopback');
    assert.deepEqual(problems.map((p) => text.slice(p.start, p.end)), ['".0"']);
    assert.match(problems[0].message, /"0\.0\.0\.0"/);
    assert.deepEqual(problems[0].fixes, []);
  });
});

describe('vnc-not-loopback: what is not reported', () => {
  test('unset vnclisten: xl listens on 127.0.0.1', () => void check('type = "hvm"\nvnc = 1\n', []));
  for (const address of ['127.0.0.1', '127.0.0.1:1', '127.3.2.1', 'localhost', 'LocalHost:2', '::1', '[::1]:4', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '[::ffff:7f00:1]:1']) {
    test(`loopback ${address}`, () => void check(`type = "hvm"\nvnclisten = "${address}"\n`, []));
  }
  test('vnc = 0 turns VNC off', () => void check('type = "hvm"\nvnc = 0\nvnclisten = "0.0.0.0"\n', []));
  test('vnc = 0x0 is 0 too', () => void check('type = "hvm"\nvnc = "0x0"\nvnclisten = "0.0.0.0"\n', []));
  test('a vnc value xl cannot read leaves HVM VNC on (the default)', () => void
    check('type = "hvm"\nvnc = "no"\nvnclisten = "0.0.0.0"\n', [
      ['xl.not-a-number', 'warning', '"no"'],
      ['xl.vnc-not-loopback', NOT_LOOPBACK, '"0.0.0.0"'],
    ]));
  test('a list for vnclisten is ignored by xl (default 127.0.0.1)', () => void vncOnly('type = "hvm"\nvnclisten = [ "0.0.0.0" ]\n', []));
  test('an unknown guest type: no guess', () => void vncOnly('type = "hvn"\nvnclisten = "0.0.0.0"\n', []));
  test('a vfb list does not configure an HVM display', () => void check("type = \"hvm\"\nvnc = 0\nvfb = [ 'vnc=1,vnclisten=0.0.0.0' ]\n", []));
  test('the rule can be turned off and silenced', () => {
    check('type = "hvm"\nvnclisten = "0.0.0.0"\n', [], { severities: { 'vnc-not-loopback': 'off' } });
    check('type = "hvm"\n# xl-lint: disable-next-line vnc-not-loopback\nvnclisten = "0.0.0.0"\n', []);
  });
});

describe('vnc-not-loopback: PV and PVH', () => {
  test('PV: top-level keys need vnc = 1 (off by default)', () => {
    check('type = "pv"\nvnclisten = "0.0.0.0"\n', []);
    check('vnclisten = "0.0.0.0"\n', []);
    check('type = "pv"\nvnc = 0\nvnclisten = "0.0.0.0"\n', []);
  });
  test('PV with vnc = 1 and no vfb list: the top-level keys make the framebuffer', () => {
    check('type = "pv"\nvnc = 1\nvnclisten = "0.0.0.0"\n', [['xl.vnc-not-loopback', NOT_LOOPBACK, '"0.0.0.0"']]);
    assert.equal(fixListen('type = "pv"\nvnc = 1\nvnclisten = "0.0.0.0"\n'), 'name = "t"\ntype = "pv"\nvnc = 1\nvnclisten = "127.0.0.1"\n');
  });
  test('PV: an unreadable vnc is 0 for the top-level framebuffer', () => void vncOnly('type = "pv"\nvnc = "yes"\nvnclisten = "0.0.0.0"\n', []));
  test('PV with a vfb list: the top-level keys are ignored, the vfb spec counts', () => {
    check("type = \"pv\"\nvnc = 1\nvnclisten = \"0.0.0.0\"\nvfb = [ 'vnc=1' ]\n", []);
    const [problem] = check("type = \"pv\"\nvfb = [ 'vnc=1,vnclisten=0.0.0.0,vncdisplay=1' ]\n", [['xl.vnc-not-loopback', NOT_LOOPBACK, '0.0.0.0']]);
    assert.match(problem.message, /^this framebuffer's VNC server listens on every network interface/);
    assert.match(problem.message, /127\.0\.0\.1/);
  });
  test('vfb: vnc is on unless the spec says 0 (atoi)', () => {
    check("type = \"pv\"\nvfb = [ 'vnclisten=0.0.0.0' ]\n", [['xl.vnc-not-loopback', NOT_LOOPBACK, '0.0.0.0']]);
    check("type = \"pv\"\nvfb = [ 'vnc=0,vnclisten=0.0.0.0' ]\n", []);
    check("type = \"pv\"\nvfb = [ 'vnc=no,vnclisten=0.0.0.0' ]\n", [['xl.vfb-spec', 'warning', 'no']]);
    check("type = \"pv\"\nvfb = [ 'vnc=0,vnclisten=0.0.0.0,vnc=1' ]\n", [
      ['xl.vnc-not-loopback', NOT_LOOPBACK, '0.0.0.0'],
      ['xl.vfb-spec', 'warning', 'vnc'],
    ]);
  });
  test('vfb: loopback and unset are fine', () => {
    check("type = \"pv\"\nvfb = [ 'vnc=1,vnclisten=127.0.0.1' ]\n", []);
    check("type = \"pv\"\nvfb = [ 'vnc=1,vncdisplay=2' ]\n", []);
  });
  test('vfb: only the first framebuffer gets a VNC server', () => void check("type = \"pv\"\nvfb = [ 'vnc=1', 'vnc=1,vnclisten=0.0.0.0' ]\n", []));
  test('vfb: a first element that is a list makes no framebuffer, so the top-level keys count', () => {
    vncOnly("type = \"pv\"\nvnc = 1\nvnclisten = \"0.0.0.0\"\nvfb = [ [ 'vnc=1' ], 'vnclisten=0.0.0.0' ]\n", [['xl.vnc-not-loopback', NOT_LOOPBACK, '"0.0.0.0"']]);
  });
  test('vfb: the first element may come before a +=', () => {
    check("type = \"pv\"\nvfb = [ 'vnclisten=0.0.0.0' ]\nvfb += [ 'vnc=1' ]\n", [['xl.vnc-not-loopback', NOT_LOOPBACK, '0.0.0.0']]);
    check("type = \"pv\"\nvfb = [ 'vnc=1' ]\nvfb += [ 'vnclisten=0.0.0.0' ]\n", []);
    check("type = \"pv\"\nvfb = [ 'vnclisten=0.0.0.0' ]\nvfb = [ 'vnc=1' ]\n", [['xl.duplicate-key', 'warning', "vfb = [ 'vnclisten=0.0.0.0' ]"]]);
  });
  test('vfb: the fix edits inside the spec and keeps the display', () => {
    assert.equal(
      fixListen("type = \"pv\"\nvfb = [ 'vnc=1,vnclisten=0.0.0.0:1,sdl=0' ]\n"),
      "name = \"t\"\ntype = \"pv\"\nvfb = [ 'vnc=1,vnclisten=127.0.0.1:1,sdl=0' ]\n",
    );
    assert.equal(fixListen("type = \"pvh\"\nvfb = [ \"vnclisten=[::],vncdisplay=1\" ]\n"), "name = \"t\"\ntype = \"pvh\"\nvfb = [ \"vnclisten=127.0.0.1,vncdisplay=1\" ]\n");
  });
  test('vfb: an escape before the value', () => {
    const text = "type = \"pv\"\nvfb = [ 'xauthority=/it\\'s,vnclisten=10.1.1.1' ]\n";
    check(text, [['xl.vnc-not-loopback', NOT_LOOPBACK, '10.1.1.1']]);
    assert.equal(fixListen(text), "name = \"t\"\ntype = \"pv\"\nvfb = [ 'xauthority=/it\\'s,vnclisten=127.0.0.1' ]\n");
  });
  test('PVH reads no top-level display key, but its vfb counts', () => {
    vncOnly('type = "pvh"\nvnc = 1\nvnclisten = "0.0.0.0"\n', []);
    check("type = \"pvh\"\nvfb = [ 'vnclisten=0.0.0.0' ]\n", [['xl.vnc-not-loopback', NOT_LOOPBACK, '0.0.0.0']]);
  });
});

describe('vnc-password-too-long', () => {
  test('HVM: 11 characters, and the message never shows the password', () => {
    const [problem] = check('type = "hvm"\nvncpasswd = "supersecret"\n', [['xl.vnc-password-too-long', 'warning', '"supersecret"']]);
    assert.match(problem.message, /11 characters long/);
    assert.match(problem.message, /only the first 8/);
    assert.doesNotMatch(problem.message, /supersecret|supersec/);
    assert.equal(problem.fixes, undefined);
  });
  test('8 characters or fewer, and an empty password (no authentication), are fine', () => {
    check('type = "hvm"\nvncpasswd = "12345678"\n', []);
    check('type = "hvm"\nvncpasswd = "s3cret"\n', []);
    check('type = "hvm"\nvncpasswd = ""\n', []);
  });
  test('counted in UTF-8 bytes, as VNC does', () => {
    const [problem] = check('type = "hvm"\nvncpasswd = "pässwört"\n', [['xl.vnc-password-too-long', 'warning', '"pässwört"']]);
    assert.match(problem.message, /10 bytes in UTF-8/);
    assert.doesNotMatch(problem.message, /pässwört/);
    check('type = "hvm"\nvncpasswd = "pässwö"\n', []);
  });
  test('only where VNC is on', () => {
    check('type = "hvm"\nvnc = 0\nvncpasswd = "supersecret"\n', []);
    check('type = "pv"\nvncpasswd = "supersecret"\n', []);
    check('type = "pv"\nvnc = 1\nvncpasswd = "supersecret"\n', [['xl.vnc-password-too-long', 'warning', '"supersecret"']]);
  });
  test('after +=, the joined password counts', () => void
    check('type = "hvm"\nvncpasswd = "secret"\nvncpasswd += "word"\n', [['xl.vnc-password-too-long', 'warning', '"word"']]));
  test('in the first vfb spec', () => {
    const [problem] = check("type = \"pv\"\nvfb = [ 'vnc=1,vncpasswd=supersecret,vncdisplay=1' ]\n", [['xl.vnc-password-too-long', 'warning', 'supersecret']]);
    assert.doesNotMatch(problem.message, /supersecret/);
    check("type = \"pvh\"\nvfb = [ 'vncpasswd=supersecret' ]\n", [['xl.vnc-password-too-long', 'warning', 'supersecret']]);
    check("type = \"pv\"\nvfb = [ 'vnc=1,vncpasswd=' ]\n", []);
    check("type = \"pv\"\nvfb = [ 'vnc=0,vncpasswd=supersecret' ]\n", []);
    check("type = \"hvm\"\nvfb = [ 'vnc=1,vncpasswd=supersecret' ]\n", []);
  });
});

describe('vnc-keymap', () => {
  test('HVM with VNC (the default)', () => {
    const [problem] = check('type = "hvm"\nkeymap = "de"\n', [['xl.vnc-keymap', 'information', '"de"']]);
    assert.match(problem.message, /keymap "de"/);
    assert.match(problem.message, /graphical console/);
    assert.match(problem.message, /Leave keymap unset/);
  });
  test('not where VNC is off or the key is not read', () => {
    check('type = "hvm"\nvnc = 0\nkeymap = "de"\n', []);
    check('type = "pv"\nkeymap = "de"\n', []);
    check("type = \"pv\"\nvnc = 1\nkeymap = \"de\"\nvfb = [ 'vnc=1' ]\n", []);
    check('type = "hvm"\nkeymap = ""\n', []);
  });
  test('PV framebuffer from top-level vnc = 1', () => void check('type = "pv"\nvnc = 1\nkeymap = "fr"\n', [['xl.vnc-keymap', 'information', '"fr"']]));
  test('in the first vfb spec, next to the spec checks', () => {
    check("type = \"pv\"\nvfb = [ 'vnc=1,keymap=de' ]\n", [['xl.vnc-keymap', 'information', 'de']]);
    check("type = \"pv\"\nvfb = [ 'vnc=1,keymap=klingon' ]\n", [
      ['xl.vfb-spec', 'warning', 'klingon'],
      ['xl.vnc-keymap', 'information', 'klingon'],
    ]);
    check("type = \"pv\"\nvfb = [ 'vnc=0,sdl=1,keymap=de' ]\n", []);
  });
});

describe('vnclisten addresses', () => {
  test('ADDRESS[:DISPLAY] split', () => {
    assert.deepEqual(splitListen('0.0.0.0'), { address: '0.0.0.0', start: 0, end: 7 });
    assert.deepEqual(splitListen('0.0.0.0:5'), { address: '0.0.0.0', start: 0, end: 7 });
    assert.deepEqual(splitListen('[::1]:5'), { address: '::1', start: 0, end: 5 });
    assert.deepEqual(splitListen('::'), { address: '::', start: 0, end: 2 });
    assert.deepEqual(splitListen(':1'), { address: '', start: 0, end: 0 });
  });
  test('loopback or not', () => {
    for (const yes of ['127.0.0.1', '127.255.0.9', 'localhost', '::1', '0::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.2', '::1%lo']) assert.ok(isLoopback(yes), yes);
    for (const no of ['0.0.0.0', '::', '', '128.0.0.1', '127.0.0.256', '127.0.0', '10.0.0.1', 'fe80::1', '::2', '::ffff:10.0.0.1', 'localhost.example', '1:2:3:4:5:6:7:8:9', ':::1']) assert.ok(!isLoopback(no), no);
  });
});
