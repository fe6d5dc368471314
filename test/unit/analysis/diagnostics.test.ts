// Table-driven tests of every semantic rule: the code, the severity and the exact text the range
// covers. Each case is one line; `check` is the only function that touches the API.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { extractFacts } from '../../../server/src/analysis/checks/workspace';
import { computeDiagnostics, type DiagnosticsOptions } from '../../../server/src/analysis/diagnostics';
import type { Problem } from '../../../server/src/analysis/types';
import { parseConfig } from '../../../server/src/syntax';

type Expected = [code: string, severity: Problem['severity'], rangeText: string];

/** Rules most cases leave out for brevity (how a PV guest boots, its memory size): compared only where a case expects them. */
const BREVITY = ['xl.missing-kernel', 'xl.no-memory'];

/**
 * Runs every rule on `input` (a `name` line is added when the case has none) and compares. Most
 * cases leave out how a PV guest boots and how much memory it has, for brevity: `xl.missing-kernel`
 * and `xl.no-memory` are compared only in the cases that expect them.
 */
function check(input: string, expected: Expected[], options: DiagnosticsOptions = {}): Problem[] {
  const text = /^name\s*=/m.test(input) ? input : `name = "t"\n${input}`;
  const checked = new Set(expected.map(([code]) => code));
  const problems = computeDiagnostics(parseConfig(text), options).filter((p) => !BREVITY.includes(p.code) || checked.has(p.code));
  const actual = problems.map((p) => [p.code, p.severity, text.slice(p.start, p.end)]);
  assert.deepEqual(actual, expected, problems.map((p) => p.message).join('\n'));
  return problems;
}

/** Every code `input` gets (a `name` line added when it has none), `xl.missing-kernel` included, `xl.no-memory` only when `memory` is checked too. */
function codes(input: string, { memory = false } = {}): string[] {
  const text = /^name\s*=/m.test(input) ? input : `name = "t"\n${input}`;
  return computeDiagnostics(parseConfig(text))
    .map((p) => p.code)
    .filter((code) => memory || code !== 'xl.no-memory');
}

/** Applies the first (or the titled) fix of the problems (but those of BREVITY, unless titled) and returns the new text. */
function fixed(input: string, title?: string): string {
  const problems = computeDiagnostics(parseConfig(input)).filter((p) => title !== undefined || !BREVITY.includes(p.code));
  const fixes = problems.flatMap((p) => p.fixes ?? []);
  const fix = title === undefined ? fixes[0] : fixes.find((f) => f.title === title);
  assert.ok(fix, `a fix${title ? ` titled ${title}` : ''} among: ${fixes.map((f) => f.title).join(', ')}`);
  let out = input;
  for (const edit of [...fix.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

describe('errors: where xl create fails', () => {
  test('unknown type', () => void check('type = "hvn"\n', [['xl.bad-enum', 'error', '"hvn"']]));
  test('type prefixes are accepted but spelled out', () => void check('type = "h"\n', [['xl.abbreviated-value', 'hint', '"h"']]));
  test('no name', () => {
    const problems = computeDiagnostics(parseConfig('memory = 512\nkernel = "/boot/vmlinuz"\n'));
    assert.deepEqual(problems.map((p) => [p.code, p.severity]), [['xl.missing-name', 'error']]);
    assert.match(problems[0].message, /Domain name must be specified/);
  });
  test('a list as name is fatal', () => void check('name = [ "a" ]\n', [['xl.expected-single', 'error', '[ "a" ]']]));
  test('disk spec without a prefix', () => void check("disk = [ '/dev/vg/lv,xvda,w' ]\n", [['xl.disk-spec', 'error', 'xvda']]));
  test('disk: unknown format', () => void check("disk = [ 'format=raww,vdev=xvda,target=/dev/vg/lv' ]\n", [['xl.disk-spec', 'error', 'raww']]));
  test('disk: access rwx, exact range', () => void check("disk = [ 'phy:/dev/vg/lv,xvda,rwx' ]\n", [['xl.disk-spec', 'error', 'rwx']]));
  test('bad vif rate', () => void check("vif = [ 'bridge=xenbr0,rate=10Mb/s@' ]\n", [['xl.vif-rate', 'error', '@']]));
  test('unparsable PCI BDF', () => void check("pci = [ '0000:03:00.9' ]\n", [['xl.pci-bdf', 'error', '0000:03:00.9']]));
  test('bad cpus range', () => void check('cpus = "3-1"\n', [['xl.cpus-range', 'error', '3-1']]));
  test('bad UUID', () => void check('uuid = "not-a-uuid"\n', [['xl.uuid', 'error', 'not-a-uuid']]));
  test('bad tsc_mode', () => void check('tsc_mode = "fast"\n', [['xl.bad-enum', 'error', 'fast']]));
  test('bad on_crash action', () => void check('on_crash = "reboot"\n', [['xl.bad-enum', 'error', 'reboot']]));
  test('bad viridian group', () => void check('type = "hvm"\nviridian = [ "base", "turbo" ]\n', [['xl.viridian-group', 'error', 'turbo']]));
  test('vnclisten with a display plus vncdisplay', () => void check('type = "hvm"\nvnclisten = "127.0.0.1:1"\nvncdisplay = 1\n', [['xl.vnc-display-twice', 'error', '"127.0.0.1:1"']]));
  test('qemu-xen-traditional: refused by recent xl, accepted by 4.17', () => void check('type = "hvm"\ndevice_model_version = "qemu-xen-traditional"\n', [['xl.bad-enum', 'warning', '"qemu-xen-traditional"']]));
  test('smbios problems are warnings: xl 4.17 ignores the key', () => void check('type = "hvm"\nsmbios = [ \'warp_factor=9\' ]\n', [['xl.smbios-spec', 'warning', 'warp_factor']]));
  test('mmio_hole out of range', () => void check('type = "hvm"\nmmio_hole = 100\n', [['xl.out-of-range', 'error', '100']]));
  test('timer_mode on PV is fatal', () => void check('type = "pv"\ntimer_mode = "no_missed_ticks_pending"\n', [['xl.wrong-guest-type', 'error', 'timer_mode']]));
  test('a nested list in cpus crashes xl', () => void check('vcpus = 2\ncpus = [ ["0", "1"], "2" ]\n', [['xl.nested-list', 'error', '["0", "1"]']]));
  test('maxvcpus < vcpus', () => void check('vcpus = 4\nmaxvcpus = 2\n', [['xl.maxvcpus-below-vcpus', 'error', '2']]));
  test('builder and type disagree', () => void
    check('type = "pv"\nbuilder = "hvm"\n', [
      ['xl.deprecated-key', 'information', 'builder'],
      ['xl.builder-type-conflict', 'error', 'builder = "hvm"'],
    ]));
});

describe('warnings: xl warns and uses the default', () => {
  test('memory with a unit', () => {
    // With maxmem, xl falls back on it: a warning. Without, see 'no memory size' below.
    const [problem] = check('memory = "1G"\nmaxmem = 2048\n', [['xl.not-a-number', 'warning', '"1G"']]);
    assert.match(problem.message, /MiB/);
    assert.match(problem.message, /default/);
    assert.equal(fixed('name = "t"\nmemory = "1G"\n'), 'name = "t"\nmemory = 1024\n');
    assert.equal(fixed('name = "t"\nmemory = "512M"\n'), 'name = "t"\nmemory = 512\n');
  });
  test('a single string for disk: NO disks', () => {
    const [problem] = check("disk = 'phy:/dev/vg/lv,xvda,w'\n", [['xl.expected-list', 'warning', "'phy:/dev/vg/lv,xvda,w'"]]);
    assert.match(problem.message, /NO disks/);
    assert.equal(fixed("name = \"t\"\ndisk = 'phy:/dev/vg/lv,xvda,w'\n"), "name = \"t\"\ndisk = [ 'phy:/dev/vg/lv,xvda,w' ]\n");
  });
  test('+= on a number', () => void check('memory = 512\nmemory += 256\n', [['xl.plus-equals-number', 'warning', '+=']]));
  test('invalid MAC', () => void check("vif = [ 'mac=00:16:3e:zz:00:01' ]\n", [['xl.bad-mac', 'warning', '00:16:3e:zz:00:01']]));
  test('unknown CPUID flag', () => void check('cpuid = "host,turbo=0"\n', [['xl.cpuid-flag', 'warning', 'turbo']]));
  test('a number list for a string key is ignored', () => void check('kernel = [ "/boot/vmlinuz" ]\n', [['xl.expected-single', 'warning', '[ "/boot/vmlinuz" ]']]));
  test('a nested list inside disk drops the rest', () => void check("disk = [ 'phy:/dev/a,xvda,w', [ 'x' ], 'phy:/dev/b,xvdb,w' ]\n", [['xl.nested-list', 'warning', "[ 'x' ]"]]));
});

describe('warnings beyond xl', () => {
  test('unknown key with did-you-mean, and its fix', () => {
    const [problem] = check('memry = 1024\n', [['xl.unknown-key', 'warning', 'memry']]);
    assert.match(problem.message, /did you mean `memory`/);
    assert.equal(fixed('name = "t"\nmemry = 1024\n'), 'name = "t"\nmemory = 1024\n');
  });
  test('unknown key without a close match', () => void check('frobnicate = 1\n', [['xl.unknown-key', 'warning', 'frobnicate']]));
  test('bootloader on HVM', () => void check('type = "hvm"\nbootloader = "pygrub"\n', [['xl.wrong-guest-type', 'warning', 'bootloader']]));
  test('boot on PV', () => void check('type = "pv"\nboot = "c"\n', [['xl.wrong-guest-type', 'warning', 'boot']]));
  test('viridian without a type is PV', () => {
    const [problem] = check('viridian = 1\n', [['xl.wrong-guest-type', 'warning', 'viridian']]);
    assert.match(problem.message, /no `type` is set/);
  });
  test('kernel is fine on HVM (direct kernel boot)', () => void check('type = "hvm"\nkernel = "/boot/vmlinuz"\n', []));
  test('the guest type comes from builder when type is absent', () => void check('builder = "hvm"\nboot = "c"\n', [['xl.deprecated-key', 'information', 'builder']]));
  test('no guest-type warnings when the type is invalid', () => void check('type = "hvn"\nboot = "c"\nbootloader = "pygrub"\n', [['xl.bad-enum', 'error', '"hvn"']]));
  test('a dead duplicate', () => {
    const [problem] = check('memory = 512\nvcpus = 1\nmemory = 1024\n', [['xl.duplicate-key', 'warning', 'memory = 512']]);
    assert.equal(problem.unnecessary, true);
    assert.match(problem.message, /line 4/);
  });
  test('+= is not a duplicate', () => void check('extra = "a"\nextra += " b"\n', []));
  test('maxmem < memory', () => void check('memory = 2048\nmaxmem = 1024\n', [['xl.maxmem-below-memory', 'warning', '1024']]));
  test('bootloader with kernel', () => void check('bootloader = "pygrub"\nkernel = "/boot/vmlinuz"\n', [['xl.bootloader-with-kernel', 'warning', 'bootloader']]));
  test('octal 010 means 8', () => {
    const [problem] = check('vcpus = 010\n', [['xl.octal-number', 'warning', '010']]);
    assert.match(problem.message, /means 8/);
  });
  test('octal 0800 is not a number', () => {
    const [problem] = check('memory = 0800\nmaxmem = 1024\n', [['xl.not-a-number', 'warning', '0800']]);
    assert.match(problem.message, /octal/);
  });
  test('a multicast MAC', () => void check("vif = [ 'mac=01:16:3e:00:00:01' ]\n", [['xl.bad-mac', 'warning', '01:16:3e:00:00:01']]));
  test('a vendor MAC outside the Xen OUI', () => void check("vif = [ 'mac=00:50:56:12:34:56' ]\n", [['xl.mac-oui', 'warning', '00:50:56:12:34:56']]));
  test('a locally administered MAC is a legitimate choice', () => {
    for (const mac of ['02:00:00:00:00:01', '52:54:00:12:34:56', 'fe:ff:ff:ff:ff:ff', '06:AB:cd:00:00:01']) check(`vif = [ 'mac=${mac}' ]\n`, []);
  });
  test('a multicast MAC stays flagged, also when locally administered', () => {
    const [problem] = check("vif = [ 'mac=03:00:00:00:00:01' ]\n", [['xl.bad-mac', 'warning', '03:00:00:00:00:01']]);
    assert.match(problem.message, /multicast/);
  });
});

describe('how the guest boots: the checks of xl_parse.c', () => {
  test('no type, no kernel: a PV guest with nothing to boot', () => {
    const [problem] = check('memory = 512\n', [['xl.missing-kernel', 'error', 'name = "t"']]);
    assert.match(problem.message, /Neither kernel nor bootloader specified/);
    assert.match(problem.message, /no `type` is set/);
  });
  test('PVH needs a kernel too; the error sits on the type', () => void check('type = "pvh"\nmemory = 512\n', [['xl.missing-kernel', 'error', 'type = "pvh"']]));
  test('builder = "generic" is PV', () => void check('builder = "generic"\n', [['xl.deprecated-key', 'information', 'builder'], ['xl.missing-kernel', 'error', 'builder = "generic"']]));
  test('kernel, bootloader or pvgrub firmware is enough', () => {
    for (const boot of ['kernel = "/boot/vmlinuz"\n', 'type = "pvh"\nbootloader = "pygrub"\n', 'type = "pvh"\nfirmware = "pvgrub64"\n']) {
      assert.deepEqual(codes(boot), [], boot);
    }
  });
  test('a kernel given as a list is no kernel to xl', () => void check('kernel = [ "/boot/vmlinuz" ]\n', [['xl.missing-kernel', 'error', 'name = "t"'], ['xl.expected-single', 'warning', '[ "/boot/vmlinuz" ]']]));
  test('HVM boots its firmware: no kernel needed', () => assert.deepEqual(codes('type = "hvm"\n'), []));
  test('an unknown type says nothing about the boot', () => assert.deepEqual(codes('type = "hvn"\n'), ['xl.bad-enum']));
  test('a file xl cannot read gets only its syntax error', () => assert.deepEqual(codes('memory = 2G\n'), ['xl.syntax.unit-suffix']));
  test('hvmloader as the kernel of an HVM guest', () => {
    const [problem] = check('type = "hvm"\nkernel = "/usr/lib/xen/boot/hvmloader"\n', [['xl.hvmloader-kernel', 'warning', 'kernel = "/usr/lib/xen/boot/hvmloader"']]);
    assert.equal(problem.unnecessary, true);
    assert.match(problem.message, /firmware_override/);
    check('type = "hvm"\nkernel = "hvmloader"\n', [['xl.hvmloader-kernel', 'warning', 'kernel = "hvmloader"']]);
  });
  test('only the file name hvmloader counts, and only on HVM', () => {
    check('type = "hvm"\nkernel = "/boot/hvmloader.old"\n', []);
    check('type = "hvm"\nkernel = "/usr/lib/xen/boot/hvmloader/"\n', []);
    check('kernel = "/usr/lib/xen/boot/hvmloader"\n', []);
  });
  test('cmdline wins over root and extra', () => {
    const problems = check('kernel = "/boot/vmlinuz"\nroot = "/dev/xvda1"\ncmdline = "root=/dev/xvda2"\nextra = "quiet"\n', [
      ['xl.root-extra-ignored', 'warning', 'root = "/dev/xvda1"'],
      ['xl.root-extra-ignored', 'warning', 'extra = "quiet"'],
    ]);
    assert.match(problems[0].message, /`root`.*`cmdline`/);
  });
  test('root and extra without cmdline are joined, not ignored', () => void check('kernel = "/boot/vmlinuz"\nroot = "/dev/xvda1"\nextra = "quiet"\n', []));
});

describe('hints: deprecated keys', () => {
  test('builder → type, with the fix', () => {
    const [problem] = check('builder = "hvm"\n', [['xl.deprecated-key', 'information', 'builder']]);
    assert.equal(problem.deprecated, true);
    assert.equal(fixed('name = "t"\nbuilder = "hvm"\n'), 'name = "t"\ntype = "hvm"\n');
    assert.equal(fixed('name = "t"\nbuilder = "generic"\n'), 'name = "t"\ntype = "pv"\n');
  });
  test('stdvga', () => void check('type = "hvm"\nstdvga = 1\n', [['xl.deprecated-key', 'information', 'stdvga']]));
});

describe('across the workspace', () => {
  const other = parseConfig('name = "web"\nvif = [ \'mac=00:16:3e:00:00:01\' ]\nvncdisplay = 3\n');
  const workspace = new Map([['/etc/xen/other.cfg', { label: '/etc/xen/other.cfg', facts: extractFacts(other) }]]);
  test('the same name, MAC and VNC display', () => void
    check("name = \"web\"\nvif = [ 'mac=00:16:3E:00:00:01' ]\nvncdisplay = 3\n", [
      ['xl.duplicate-name', 'warning', '"web"'],
      ['xl.duplicate-mac', 'warning', '00:16:3E:00:00:01'],
      ['xl.duplicate-vncdisplay', 'warning', '3'],
    ], { workspace, self: '/etc/xen/this.cfg' }));
  test('a file is never compared with itself', () => void check('name = "web"\nvncdisplay = 3\n', [], { workspace, self: '/etc/xen/other.cfg' }));
});

describe('settings and suppressions', () => {
  test('a rule can be turned off or changed', () => {
    check('memry = 1\n', [], { severities: { 'unknown-key': 'off' } });
    check('memry = 1\n', [['xl.unknown-key', 'error', 'memry']], { severities: { 'unknown-key': 'error' } });
  });
  test('syntax errors cannot be turned off', () => void check('Memory = 1\n', [['xl.syntax.uppercase-key', 'error', 'Memory']], { severities: { 'syntax.uppercase-key': 'off' } }));
  test('disable-next-line', () => void check('# xl-lint: disable-next-line unknown-key\nmemry = 1\nfoo = 2\n', [['xl.unknown-key', 'warning', 'foo']]));
  test('disable for the whole file', () => void check('# xl-lint: disable unknown-key\nmemry = 1\nfoo = 2\n', []));
  test('syntax-only level', () => void check('Memory = 1\nmemry = 1\n', [['xl.syntax.uppercase-key', 'error', 'Memory']], { level: 'syntax' }));
  test('problems are capped', () => assert.equal(computeDiagnostics(parseConfig('a = 1\n'.repeat(5000)), { maxProblems: 50 }).length, 50));
});

describe('spec problems point at the exact text, also with escapes before them', () => {
  test('an escaped quote before the bad part', () => void check("disk = [ 'phy:/dev/it\\'s,xvda,rwx' ]\n", [['xl.disk-spec', 'error', 'rwx']]));
});

describe('the shipped examples are clean', () => {
  for (const name of readdirSync('examples').filter((file) => file.endsWith('.cfg'))) {
    test(`examples/${name}: no diagnostic of any severity`, () => {
      const problems = computeDiagnostics(parseConfig(readFileSync(join('examples', name), 'utf8')));
      assert.deepEqual(problems.map((p) => `${p.code} (${p.severity}): ${p.message}`), []);
    });
  }
});

describe('valid configs give no errors', () => {
  const folders = ['examples', 'test/fixtures/corpus'];
  for (const folder of folders) {
    for (const name of readdirSync(folder).filter((file) => file.endsWith('.cfg'))) {
      test(`${folder}/${name}`, () => {
        const problems = computeDiagnostics(parseConfig(readFileSync(join(folder, name), 'utf8')));
        assert.deepEqual(problems.filter((p) => p.severity === 'error' || p.severity === 'warning').map((p) => `${p.code}: ${p.message}`), []);
      });
    }
  }
});

// Found with the real `xl create` on the rig (Xen 4.17 and 4.20), which `xl create -N` accepts:
// the conformance suite (test/xen/conformance.test.ts) runs both.
describe('errors only the real xl create shows', () => {
  test('no memory size: none, a word, a list; maxmem is enough', () => {
    check('type = "pvh"\nkernel = "/k"\n', [['xl.no-memory', 'error', 'name = "t"']]);
    assert.match(fixed('name = "t"\ntype = "pvh"\nkernel = "/k"\n', 'Add `memory = 1024` (MiB)'), /^name = "t"\nmemory = 1024\ntype/);
    check('type = "pvh"\nkernel = "/k"\nmemory = "1G"\n', [['xl.not-a-number', 'error', '"1G"']]);
    check('type = "hvm"\nmemory = [ 512 ]\n', [['xl.expected-single', 'error', '[ 512 ]']]);
    check('type = "pvh"\nkernel = "/k"\nmaxmem = 512\n', []);
    check('type = "pvh"\nkernel = "/k"\nmemory = "1G"\nmaxmem = 512\n', [['xl.not-a-number', 'warning', '"1G"']]);
    assert.match(computeDiagnostics(parseConfig('name = "t"\ntype = "pv"\nkernel = "/k"\n'))[0].message, /32 MiB/);
    assert.match(computeDiagnostics(parseConfig('name = "t"\ntype = "hvm"\n'))[0].message, /shadow_memkb/);
  });
  test('bios = "rombios" without the old device model', () => {
    check('type = "hvm"\nmemory = 512\nbios = "rombios"\n', [['xl.rombios-needs-traditional', 'error', '"rombios"']]);
    check('type = "hvm"\nmemory = 512\nbios = "rombios"\ndevice_model_version = "qemu-xen-traditional"\n', [['xl.bad-enum', 'warning', '"qemu-xen-traditional"']]);
    assert.equal(fixed('name = "t"\ntype = "hvm"\nmemory = 512\nbios = "rombios"\n'), 'name = "t"\ntype = "hvm"\nmemory = 512\nbios = "seabios"\n');
  });
  test('Viridian groups without base, as libxl applies the list', () => {
    check('type = "hvm"\nmemory = 512\nviridian = [ "time_ref_count" ]\n', [['xl.viridian-without-base', 'error', '[ "time_ref_count" ]']]);
    check('type = "hvm"\nmemory = 512\nviridian = [ "defaults", "!base" ]\n', [['xl.viridian-without-base', 'error', '[ "defaults", "!base" ]']]);
    check('type = "hvm"\nmemory = 512\nviridian = [ "all", "!base" ]\n', [['xl.viridian-without-base', 'error', '[ "all", "!base" ]']]);
    for (const ok of ['[ "base", "time_ref_count" ]', '[ "defaults", "ex_processor_masks" ]', '[ "all" ]', '[ "!base" ]', '[ "BASE", "freq" ]', '[ "freq", "!freq" ]', '1']) {
      check(`type = "hvm"\nmemory = 512\nviridian = ${ok}\n`, []);
    }
    assert.equal(fixed('name = "t"\ntype = "hvm"\nmemory = 512\nviridian = [ "freq" ]\n'), 'name = "t"\ntype = "hvm"\nmemory = 512\nviridian = [ "base", "freq" ]\n');
  });
});
