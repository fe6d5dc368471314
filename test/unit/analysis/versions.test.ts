// The version rules: what the target Xen's xl does with keys and values that came or went after it.
// Without a target ('auto' and no host) the diagnostics are exactly those of the latest Xen.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { XenVersion } from '../../../server/src/catalogue/types';
import type { XenTarget } from '../../../server/src/catalogue/xenVersions';
import { complete } from '../../../server/src/analysis/completion';
import { computeDiagnostics } from '../../../server/src/analysis/diagnostics';
import { safeFixes } from '../../../server/src/analysis/fixes';
import { hover } from '../../../server/src/analysis/hover';
import { readSettings } from '../../../server/src/lsp/settings';
import type { Problem } from '../../../server/src/analysis/types';
import { parseConfig } from '../../../server/src/syntax';

type Row = [code: string, severity: Problem['severity'], rangeText: string];

const host = (version: XenVersion): XenTarget => ({ version, from: 'host' });

function problemsOf(body: string, target?: XenTarget): { text: string; problems: Problem[] } {
  const text = `name = "t"\n${body}`;
  return { text, problems: computeDiagnostics(parseConfig(text), { target }) };
}

/** The rows of every problem, `xl.missing-kernel` and `xl.no-memory` left out (most cases say neither how a PV guest boots nor how much memory it has). */
function rows(body: string, target?: XenTarget): Row[] {
  const { text, problems } = problemsOf(body, target);
  return problems.filter((p) => p.code !== 'xl.missing-kernel' && p.code !== 'xl.no-memory').map((p) => [p.code, p.severity, text.slice(p.start, p.end)]);
}

function messageOf(body: string, code: string, target?: XenTarget): string {
  const problem = problemsOf(body, target).problems.find((p) => p.code === code);
  assert.ok(problem, `${code} for ${body}`);
  return problem.message;
}

/** The text after applying the first fix of the problem with `code`. */
function fixed(body: string, code: string, target: XenTarget): string {
  const { text, problems } = problemsOf(body, target);
  const edit = problems.find((p) => p.code === code)?.fixes?.[0]?.edits[0];
  assert.ok(edit, `a fix for ${code}`);
  return text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
}

const EVERY_FACT = [
  'type = "hvm"',
  'xenstore_quota = [ "nodes=2000" ]',
  'vif = [ "bridge=xenbr0,vlan=10" ]',
  'disk = [ "vdev=xvda,grant_usage=1,target=/a.img" ]',
  'device_model_version = "qemu-xen-traditional"',
  'bios = "rombios"',
  'smbios = [ \'warp_factor=9\' ]',
  '',
].join('\n');

describe('no target: the latest Xen, no version rules', () => {
  test('every version fact at once gives today\'s diagnostics and no version code', () => {
    assert.deepEqual(rows(EVERY_FACT), [
      ['xl.bad-enum', 'warning', '"qemu-xen-traditional"'],
      ['xl.smbios-spec', 'warning', 'warp_factor'],
    ]);
    assert.deepEqual(rows('bootloader = "/usr/bin/pygrub"\n'), []);
    assert.match(messageOf(EVERY_FACT, 'xl.smbios-spec'), /xl 4\.17 and older ignore `smbios`/);
  });
});

describe('a key newer than the target', () => {
  test('a warning on the key, in the words of the issue', () => {
    assert.deepEqual(rows('xenstore_quota = [ "nodes=2000" ]\n', host('4.17')), [['xl.version-key-ignored', 'warning', 'xenstore_quota']]);
    assert.equal(messageOf('xenstore_quota = [ "nodes=2000" ]\n', 'xl.version-key-ignored', host('4.17')), '`xenstore_quota` needs Xen 4.22; this host runs 4.17, whose xl ignores it');
    assert.equal(messageOf('hvm_pirq = 1\ntype = "hvm"\n', 'xl.version-key-ignored', { version: '4.18', from: 'setting' }), '`hvm_pirq` needs Xen 4.19; the target is Xen 4.18, whose xl ignores it');
  });
  test('none from the release that added it on', () => {
    assert.deepEqual(rows('xenstore_quota = [ "nodes=2000" ]\n', host('4.22')), []);
    assert.deepEqual(rows('type = "hvm"\nhvm_pirq = 1\n', host('4.19')), []);
  });
  test('its spec problems are warnings when the target ignores the key, errors when it reads it', () => {
    assert.deepEqual(rows('type = "hvm"\nsmbios = [ \'warp_factor=9\' ]\n', host('4.17')), [
      ['xl.version-key-ignored', 'warning', 'smbios'],
      ['xl.smbios-spec', 'warning', 'warp_factor'],
    ]);
    assert.match(messageOf('type = "hvm"\nsmbios = [ \'warp_factor=9\' ]\n', 'xl.smbios-spec', host('4.17')), /xl 4\.17 ignores `smbios`/);
    assert.deepEqual(rows('type = "hvm"\nsmbios = [ \'warp_factor=9\' ]\n', host('4.18')), [['xl.smbios-spec', 'error', 'warp_factor']]);
  });
});

describe('a spec key or value the target refuses', () => {
  test('vif vlan= before 4.19: a warning on the key, since that xl says "unrecognized argument" and goes on', () => {
    // parse_config_data() ignores what parse_nic_config() returns (xl_parse.c, 4.17 and 4.18).
    assert.deepEqual(rows('vif = [ "bridge=xenbr0,vlan=10" ]\n', host('4.18')), [['xl.version-key-ignored', 'warning', 'vlan']]);
    assert.match(messageOf('vif = [ "bridge=xenbr0,vlan=10" ]\n', 'xl.version-key-ignored', host('4.17')), /`vlan=` in a vif spec needs Xen 4\.19; this host runs 4\.17.*"unrecognized argument"/);
    assert.deepEqual(rows('vif = [ "bridge=xenbr0,vlan=10" ]\n', host('4.19')), []);
  });
  test('disk grant_usage= and the xen_9pfsd keys before 4.19', () => {
    assert.deepEqual(rows('disk = [ "vdev=xvda,grant_usage=1,target=/a.img" ]\n', host('4.18')), [['xl.version-refused', 'error', 'grant_usage']]);
    assert.deepEqual(rows('disk = [ "vdev=xvda,grant_usage=1,target=/a.img" ]\n', host('4.19')), []);
    const p9 = 'p9 = [ "tag=share,path=/srv,security_model=none,max-files=10" ]\n';
    assert.deepEqual(rows(p9, host('4.18')), [['xl.version-refused', 'error', 'max-files']]);
    assert.deepEqual(rows(p9, host('4.19')), []);
  });
  test('a top-level value newer than the target: tee = "ffa" before 4.18', () => {
    assert.deepEqual(
      rows('tee = "ffa"\n', host('4.17')).filter(([code]) => code.startsWith('xl.version-')),
      [['xl.version-refused', 'error', '"ffa"']],
    );
    assert.deepEqual(rows('tee = "ffa"\n', host('4.18')).filter(([code]) => code.startsWith('xl.version-')), []);
  });
});

describe('a value removed in the target', () => {
  const dm = 'type = "hvm"\ndevice_model_version = "qemu-xen-traditional"\n';
  test('qemu-xen-traditional: accepted up to 4.20, an error with the replacement from 4.21', () => {
    assert.deepEqual(rows(dm, host('4.20')), []);
    assert.deepEqual(rows(dm, host('4.21')), [['xl.version-removed', 'error', '"qemu-xen-traditional"']]);
    assert.match(messageOf(dm, 'xl.version-removed', host('4.21')), /removed in Xen 4\.21; this host runs 4\.21.*use `qemu-xen`/);
    assert.equal(fixed(dm, 'xl.version-removed', host('4.22')), 'name = "t"\ntype = "hvm"\ndevice_model_version = "qemu-xen"\n');
  });
  test('bios = "rombios" goes with it, in any case', () => {
    // Up to 4.20 ROMBIOS needs the old device model; with qemu-xen, the default, libxl refuses
    // the guest on the real `xl create` (seen on the rig's 4.17 and 4.20).
    assert.deepEqual(rows('type = "hvm"\ndevice_model_version = "qemu-xen-traditional"\nbios = "rombios"\n', host('4.20')), []);
    assert.deepEqual(rows('type = "hvm"\nbios = "rombios"\n', host('4.20')), [['xl.rombios-needs-traditional', 'error', '"rombios"']]);
    assert.deepEqual(rows('type = "hvm"\nbios = "rombios"\n'), [['xl.rombios-needs-traditional', 'error', '"rombios"']]);
    assert.deepEqual(rows('type = "hvm"\nbios = "ROMBIOS"\n', host('4.21')), [['xl.version-removed', 'error', '"ROMBIOS"']]);
    assert.equal(fixed("type = 'hvm'\nbios = 'rombios'\n", 'xl.version-removed', host('4.21')), "name = \"t\"\ntype = 'hvm'\nbios = 'seabios'\n");
  });
});

describe('bootloader = "/usr/bin/pygrub"', () => {
  const body = 'bootloader = "/usr/bin/pygrub"\n';
  test('a warning from 4.19 on, with a fix to "pygrub"', () => {
    assert.deepEqual(rows(body, host('4.18')), []);
    assert.deepEqual(rows(body, host('4.19')), [['xl.version-pygrub-path', 'warning', '"/usr/bin/pygrub"']]);
    assert.equal(fixed(body, 'xl.version-pygrub-path', host('4.20')), 'name = "t"\nbootloader = "pygrub"\n');
  });
});

test('every fact at once on Xen 4.17, and on 4.23 where only the removals remain', () => {
  assert.deepEqual(rows(EVERY_FACT, host('4.17')), [
    ['xl.version-key-ignored', 'warning', 'xenstore_quota'],
    ['xl.version-key-ignored', 'warning', 'vlan'],
    ['xl.version-refused', 'error', 'grant_usage'],
    ['xl.version-key-ignored', 'warning', 'smbios'],
    ['xl.smbios-spec', 'warning', 'warp_factor'],
  ]);
  assert.deepEqual(rows(EVERY_FACT, host('4.23')), [
    ['xl.version-removed', 'error', '"qemu-xen-traditional"'],
    ['xl.version-removed', 'error', '"rombios"'],
    ['xl.smbios-spec', 'error', 'warp_factor'],
  ]);
});

describe('completion, hover, quick fix and the setting', () => {
  const keyCompletion = (target?: XenTarget) => {
    const text = 'name = "t"\n';
    return complete(parseConfig(text), text.length, {}, {}, target);
  };
  test('completion: what the target lacks sorts last and says which version it needs; no target, no marks', () => {
    const latest = keyCompletion();
    assert.equal(latest.find((entry) => entry.label === 'xenstore_quota')?.detail?.startsWith('needs'), false);
    const old = keyCompletion(host('4.17'));
    const quota = old.find((entry) => entry.label === 'xenstore_quota')!;
    const memory = old.find((entry) => entry.label === 'memory')!;
    assert.match(quota.detail ?? '', /^needs Xen 4\.22 · /);
    assert.ok(quota.sortText! > memory.sortText! && quota.sortText! > old.find((entry) => entry.label === 'vfb')!.sortText!);
    assert.deepEqual(latest.map((entry) => entry.label), old.map((entry) => entry.label));
    // Values: a spec key and an enumeration value.
    const vif = 'name = "t"\nvif = [ "bridge=xenbr0,v';
    const vlan = complete(parseConfig(vif), vif.length, {}, {}, host('4.18')).find((entry) => entry.label === 'vlan');
    assert.match(vlan?.detail ?? '', /^needs Xen 4\.19 · vif key$/);
    const dm = 'name = "t"\ndevice_model_version = "';
    assert.deepEqual(complete(parseConfig(dm), dm.length, {}, {}, host('4.21')).map((entry) => [entry.label, entry.detail]), [['qemu-xen', undefined]]);
    const bios = 'name = "t"\ntype = "hvm"\nbios = "';
    assert.equal(complete(parseConfig(bios), bios.length, {}, {}, host('4.21')).find((entry) => entry.label === 'rombios')?.detail, 'removed in Xen 4.21');
  });
  test('hover: the version a key came with always, the gap with a target', () => {
    const text = 'name = "t"\nvif = [ "bridge=xenbr0,vlan=10" ]\nhvm_pirq = 1\n';
    const document = parseConfig(text);
    const keyAt = text.indexOf('hvm_pirq') + 1;
    assert.match(hover(document, keyAt)!.markdown, /\*Xen:\* since Xen 4\.19/);
    assert.doesNotMatch(hover(document, keyAt)!.markdown, /needs/);
    assert.match(hover(document, keyAt, host('4.18'))!.markdown, /\*\*`hvm_pirq` needs Xen 4\.19\*\*: this host runs 4\.18\.$/);
    const vlanAt = text.indexOf('vlan') + 1;
    assert.match(hover(document, vlanAt)!.markdown, /\*Xen:\* since Xen 4\.19/);
    assert.match(hover(document, vlanAt, { version: '4.17', from: 'setting' })!.markdown, /`vlan=` needs Xen 4\.19\*\*: the target is Xen 4\.17\./);
    const dm = 'name = "t"\ndevice_model_version = "qemu-xen-traditional"\n';
    assert.match(hover(parseConfig(dm), dm.indexOf('qemu') + 1, host('4.21'))!.markdown, /`qemu-xen-traditional` removed in Xen 4\.21\*\*/);
  });
  test('the pygrub fix survives the fix filter', () => {
    const text = 'name = "t"\nbootloader = "/usr/bin/pygrub"\n';
    const document = parseConfig(text);
    const problem = computeDiagnostics(document, { target: host('4.19') }).find((p) => p.code === 'xl.version-pygrub-path')!;
    assert.deepEqual(safeFixes(document, problem).map((fix) => fix.title), ['Change to "pygrub"']);
  });
  test('xen.targetVersion: auto by default, a known version, anything else auto', () => {
    assert.equal(readSettings(undefined).targetVersion, 'auto');
    assert.equal(readSettings({ targetVersion: '4.20' }).targetVersion, '4.20');
    for (const wrong of ['4.16', '4.20.1', 4.2, null, 'latest']) assert.equal(readSettings({ targetVersion: wrong }).targetVersion, 'auto', String(wrong));
  });
});

test('the refusal quotes xl\'s message where it is fixed (vif, p9) and none for the disk lexer', () => {
  assert.match(messageOf('p9 = [ "tag=s,path=/srv,security_model=none,type=qemu" ]\n', 'xl.version-refused', host('4.18')), /`type=` in a p9 spec needs Xen 4\.19; .*\("Unknown string … in 9pfs spec"\)/);
  assert.equal(messageOf('disk = [ "vdev=xvda,grant_usage=1,target=/a.img" ]\n', 'xl.version-refused', host('4.18')), '`grant_usage=` in a disk spec needs Xen 4.19; this host runs 4.18, whose xl refuses it and stops `xl create`');
});
