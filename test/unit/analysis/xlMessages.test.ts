// The rules added for the messages of test/fixtures/xl/parse-messages.json (issue 19), case by case:
// where each one fires, where it must stay quiet, and its fixes. parseMessages.test.ts checks one
// example per message; this file checks the edges of the rules behind them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeDiagnostics } from '../../../server/src/analysis/diagnostics';
import type { Problem } from '../../../server/src/analysis/types';
import type { XenVersion } from '../../../server/src/catalogue/types';
import { parseConfig } from '../../../server/src/syntax';

const PVH = 'name = "g"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\n';
const HVM = 'name = "g"\ntype = "hvm"\n';

function problems(text: string, version?: XenVersion): Problem[] {
  return computeDiagnostics(parseConfig(text), { target: version === undefined ? undefined : { version, from: 'setting' } });
}

/** [code, severity, the text the problem covers] of the problems with one of `codes`. */
function rows(text: string, codes: readonly string[], version?: XenVersion): [string, string, string][] {
  return problems(text, version)
    .filter((problem) => codes.includes(problem.code))
    .map((problem) => [problem.code, problem.severity, text.slice(problem.start, problem.end)]);
}

function fixed(text: string, code: string): string {
  const problem = problems(text).find((candidate) => candidate.code === code);
  const edit = problem?.fixes?.[0]?.edits[0];
  assert.ok(edit, `no fix for ${code}`);
  return text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
}

describe('vnuma-mismatch', () => {
  const node = (vcpus: string, size: number): string => `[ "pnode=0", "size=${size}", "vcpus=${vcpus}", "vdistances=10,20" ]`;
  const vnuma = `vnuma = [ ${node('0-1', 512)}, ${node('2,3', 512)} ]\n`;
  test('totals that agree with maxvcpus and maxmem: nothing', () => {
    assert.deepEqual(rows(PVH + 'maxvcpus = 4\nmaxmem = 1024\n' + vnuma, ['xl.vnuma-mismatch']), []);
    assert.deepEqual(rows(PVH + 'vcpus = 4\n' + vnuma, ['xl.vnuma-mismatch']), []);
  });
  test('maxvcpus or maxmem that differ: an error on each', () => {
    assert.deepEqual(rows(PVH + 'maxvcpus = 6\nmaxmem = 2048\n' + vnuma, ['xl.vnuma-mismatch']), [
      ['xl.vnuma-mismatch', 'error', '6'],
      ['xl.vnuma-mismatch', 'error', '2048'],
    ]);
  });
  test('without maxvcpus the nodes give the maximum: more vcpus than they list fails as "maxvcpus < vcpus"', () => {
    const [problem] = problems(PVH + 'vcpus = 5\n' + vnuma).filter((candidate) => candidate.code === 'xl.vnuma-mismatch');
    assert.equal(problem?.severity, 'error');
    assert.match(problem.message, /"maxvcpus < vcpus"/);
  });
  test('xl adds up every size and vcpus item, a repeated one too', () => {
    const twice = `vnuma = [ [ "pnode=0", "size=512", "size=512", "vcpus=0", "vcpus=1" ] ]\n`;
    assert.deepEqual(rows(PVH + 'maxvcpus = 2\nmaxmem = 1024\n' + twice, ['xl.vnuma-mismatch']), []);
  });
  test('an item other rules already flag makes no total', () => {
    assert.deepEqual(rows(PVH + 'maxvcpus = 4\n' + `vnuma = [ [ "pnode=0", "size=512", "vcpus=3-1" ] ]\n`, ['xl.vnuma-mismatch']), []);
    assert.deepEqual(rows(PVH + 'maxmem = 4\n' + `vnuma = [ [ "pnode=0", "size=big", "vcpus=0" ] ]\n`, ['xl.vnuma-mismatch']), []);
  });
});

describe('firmware on a PV or PVH guest', () => {
  test('with a kernel: an error on the firmware line', () => {
    assert.deepEqual(rows(PVH + 'firmware = "pvgrub64"\n', ['xl.firmware-with-kernel', 'xl.bad-enum']), [['xl.firmware-with-kernel', 'error', 'firmware = "pvgrub64"']]);
  });
  test('xl takes any prefix of pvgrub32 or pvgrub64; other firmware is an error, and fine on HVM', () => {
    for (const value of ['pvgrub32', 'pvgrub64', 'pvgrub']) assert.deepEqual(rows(`name = "g"\ntype = "pv"\nfirmware = "${value}"\n`, ['xl.bad-enum', 'xl.missing-kernel']), [], value);
    assert.deepEqual(rows('name = "g"\ntype = "pv"\nfirmware = "uefi"\n', ['xl.bad-enum']), [['xl.bad-enum', 'error', '"uefi"']]);
    assert.deepEqual(rows(HVM + 'firmware = "ovmf"\n', ['xl.bad-enum', 'xl.firmware-with-kernel']), []);
  });
});

describe('override-without-kind', () => {
  test('bios_path_override: only on HVM, and only without bios', () => {
    assert.deepEqual(rows(HVM + 'bios_path_override = "/srv/bios.bin"\n', ['xl.override-without-kind']), [['xl.override-without-kind', 'warning', 'bios_path_override']]);
    assert.deepEqual(rows(HVM + 'bios = "ovmf"\nbios_path_override = "/srv/OVMF.fd"\n', ['xl.override-without-kind']), []);
    assert.deepEqual(rows(PVH + 'bios_path_override = "/srv/bios.bin"\n', ['xl.override-without-kind']), []);
  });
  test('device_model_override: only without device_model_version', () => {
    assert.deepEqual(rows(HVM + 'device_model_override = "/usr/bin/qemu"\n', ['xl.override-without-kind']), [['xl.override-without-kind', 'warning', 'device_model_override']]);
    assert.deepEqual(rows(HVM + 'device_model_override = "/usr/bin/qemu"\ndevice_model_version = "qemu-xen"\n', ['xl.override-without-kind']), []);
  });
});

test('key-to-be-removed: msr_relaxed whatever its number, not when xl cannot read it', () => {
  assert.deepEqual(rows(HVM + 'msr_relaxed = 0\n', ['xl.key-to-be-removed']), [['xl.key-to-be-removed', 'warning', 'msr_relaxed']]);
  assert.deepEqual(rows(HVM + 'msr_relaxed = "yes"\n', ['xl.key-to-be-removed', 'xl.not-a-number']), [['xl.not-a-number', 'warning', '"yes"']]);
});

describe('deprecated-form', () => {
  test('timer_mode as a number: a warning with the name as the fix; out of 0..3 an error too', () => {
    assert.deepEqual(rows(HVM + 'timer_mode = 2\n', ['xl.deprecated-form', 'xl.out-of-range']), [['xl.deprecated-form', 'warning', '2']]);
    assert.equal(fixed(HVM + 'timer_mode = 2\n', 'xl.deprecated-form'), HVM + 'timer_mode = "no_missed_ticks_pending"\n');
    assert.deepEqual(rows(HVM + 'timer_mode = 4\n', ['xl.deprecated-form', 'xl.out-of-range']), [
      ['xl.deprecated-form', 'warning', '4'],
      ['xl.out-of-range', 'error', '4'],
    ]);
    assert.deepEqual(rows(HVM + 'timer_mode = "no_missed_ticks_pending"\n', ['xl.deprecated-form']), []);
  });
  test('bootloader_args as one string: xl splits it at blanks, and so does the fix', () => {
    const text = 'name = "g"\ntype = "pv"\nbootloader = "pygrub"\nbootloader_args = "-q  --entry=1"\n';
    assert.deepEqual(rows(text, ['xl.deprecated-form', 'xl.expected-list']), [['xl.deprecated-form', 'warning', '"-q  --entry=1"']]);
    assert.equal(fixed(text, 'xl.deprecated-form'), text.replace('"-q  --entry=1"', '[ "-q", "--entry=1" ]'));
  });
});

describe('a single string or a nested list where xl reads a list', () => {
  test('an error for the keys where xl stops, a warning where it drops the key', () => {
    assert.deepEqual(rows(HVM + 'smbios = "bios_vendor=x"\n', ['xl.expected-list'], '4.20'), [['xl.expected-list', 'error', '"bios_vendor=x"']]);
    assert.deepEqual(rows(HVM + 'device_model_args_hvm = "-no-reboot"\n', ['xl.expected-list']), [['xl.expected-list', 'error', '"-no-reboot"']]);
    assert.deepEqual(rows(PVH + 'disk = "vdev=xvda,target=/a.img"\n', ['xl.expected-list']), [['xl.expected-list', 'warning', '"vdev=xvda,target=/a.img"']]);
  });
  test('a plain string among the lists of vnuma or vsnd is an error', () => {
    assert.deepEqual(rows(PVH + 'vnuma = [ [ "pnode=0", "size=512", "vcpus=0" ], "pnode=1" ]\n', ['xl.expected-list']), [['xl.expected-list', 'error', '"pnode=1"']]);
  });
  test('a nested list: xl stops for ioports, irqs, iomem and llc_colors, drops the rest for disk', () => {
    for (const key of ['ioports', 'irqs']) assert.deepEqual(rows(PVH + `${key} = [ "10", [ "11" ] ]\n`, ['xl.nested-list']), [['xl.nested-list', 'error', '[ "11" ]']], key);
    assert.deepEqual(rows(PVH + 'disk = [ "vdev=xvda,target=/a.img", [ "x" ] ]\n', ['xl.nested-list']), [['xl.nested-list', 'warning', '[ "x" ]']]);
  });
});

test('out-of-range: a negative vcpus or maxvcpus stops xl; a grant limit outside 0..INT_MAX stops it without a word', () => {
  assert.deepEqual(rows(PVH + 'vcpus = "-2"\n', ['xl.out-of-range']), [['xl.out-of-range', 'error', '"-2"']]);
  assert.deepEqual(rows(PVH + 'vcpus = 0\n', ['xl.out-of-range']), []);
  const [grant] = problems(PVH + 'max_grant_frames = "-1"\n').filter((problem) => problem.code === 'xl.out-of-range');
  assert.equal(grant?.severity, 'error');
  assert.match(grant.message, /without saying why/);
});

describe('opengl-no-effect', () => {
  test('a non-zero opengl, at the top level or in a vfb spec', () => {
    assert.deepEqual(rows(HVM + 'sdl = 1\nopengl = 1\n', ['xl.opengl-no-effect']), [['xl.opengl-no-effect', 'warning', '1']]);
    assert.deepEqual(rows(PVH + 'vfb = [ "sdl=1,opengl=1" ]\n', ['xl.opengl-no-effect']), [['xl.opengl-no-effect', 'warning', 'opengl=1']]);
  });
  test('nothing for opengl = 0, nor with qemu-xen-traditional, which reads it', () => {
    assert.deepEqual(rows(HVM + 'opengl = 0\n', ['xl.opengl-no-effect']), []);
    assert.deepEqual(rows(PVH + 'vfb = [ "sdl=1,opengl=0" ]\n', ['xl.opengl-no-effect']), []);
    assert.deepEqual(rows(HVM + 'device_model_version = "qemu-xen-traditional"\nsdl = 1\nopengl = 1\n', ['xl.opengl-no-effect']), []);
  });
});

test('9pfs fields: xl before 4.19 stops without them, later xl leaves them to libxl', () => {
  const text = PVH + 'p9 = [ "tag=share" ]\n';
  assert.deepEqual(rows(text, ['xl.p9-spec'], '4.17').map(([code, severity]) => [code, severity]), [['xl.p9-spec', 'error']]);
  assert.deepEqual(rows(text, ['xl.p9-spec'], '4.20').map(([code, severity]) => [code, severity]), [['xl.p9-spec', 'warning']]);
  assert.deepEqual(rows(text, ['xl.p9-spec']).map(([code, severity]) => [code, severity]), [['xl.p9-spec', 'warning']]);
});

test('smbios: 99 oem strings pass, the 100th is an error on itself', () => {
  const oem = (count: number): string => HVM + `smbios = [ ${Array.from({ length: count }, (_, index) => `"oem=s${index}"`).join(', ')} ]\n`;
  assert.deepEqual(rows(oem(99), ['xl.smbios-spec'], '4.20'), []);
  assert.deepEqual(rows(oem(100), ['xl.smbios-spec'], '4.20'), [['xl.smbios-spec', 'error', 'oem=s99']]);
});

test('device_model naming stubdom-dm: the deprecation says what xl adds about stub domains', () => {
  const hvm = problems(HVM + 'device_model = "stubdom-dm"\n').find((problem) => problem.code === 'xl.deprecated-key');
  assert.match(hvm?.message ?? '', /device_model_stubdomain_override = 1/);
  const pv = problems('name = "g"\ntype = "pv"\nkernel = "/k"\ndevice_model = "stubdom-dm"\n').find((problem) => problem.code === 'xl.deprecated-key');
  assert.match(pv?.message ?? '', /ignores stub domains for a PV guest/);
});

test('a value error of a key the target does not read is a warning, as for spec problems', () => {
  // Xen 4.17's xl reads neither sve nor smbios, so nothing in them can stop it.
  assert.deepEqual(rows(PVH + 'sve = "100"\n', ['xl.bad-enum'], '4.17'), [['xl.bad-enum', 'warning', '"100"']]);
  assert.deepEqual(rows(PVH + 'sve = "100"\n', ['xl.bad-enum'], '4.20'), [['xl.bad-enum', 'error', '"100"']]);
  const [single] = problems(HVM + 'smbios = "bios_vendor=x"\n', '4.17').filter((problem) => problem.code === 'xl.expected-list');
  assert.equal(single?.severity, 'warning');
  assert.match(single.message, /xl 4\.17 ignores `smbios`/);
});
