// xl.conf documents: diagnostics, completion and hover from the xl.conf catalogue, with xl's
// behaviour on every command as the severity, and none of the guest rules.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeDiagnostics } from '../../../server/src/analysis/diagnostics';
import type { Problem } from '../../../server/src/analysis/types';
import { completeXlConf, hoverXlConf } from '../../../server/src/analysis/xlConf';
import { XL_CONF_KEY_BY_NAME, XL_CONF_KEYS } from '../../../server/src/catalogue/xlConf';
import { parseConfig } from '../../../server/src/syntax';
import { marked } from './cursor';

function problems(text: string): Problem[] {
  return computeDiagnostics(parseConfig(text), { file: 'xl.conf' });
}

/** The one problem of `text`, with its code, severity and the text it marks. */
function only(text: string, code: string, severity: Problem['severity'], marks: string, message?: RegExp): Problem {
  const found = problems(text);
  assert.equal(found.length, 1, JSON.stringify(found.map((problem) => [problem.code, problem.message])));
  const [problem] = found;
  assert.equal(problem.code, code);
  assert.equal(problem.severity, severity);
  assert.equal(text.slice(problem.start, problem.end), marks);
  if (message !== undefined) assert.match(problem.message, message);
  return problem;
}

describe('xl.conf diagnostics', () => {
  test('a stock xl.conf is clean, and no guest rule runs (no name, no workspace)', () => {
    const text = 'autoballoon = "auto"\nrun_hotplug_scripts = 1\nlockfile = "/var/lock/xl"\nvif.default.bridge = "xenbr0"\noutput_format = "json"\nclaim_mode = 1\nvm.cpumask = "2-15,^8"\ndomid_policy = "xen"\nmax_grant_frames = 64\nbootloader_restrict = 1\n';
    assert.deepEqual(problems(text), []);
    // The same text as a guest config gets the guest rules.
    assert.ok(computeDiagnostics(parseConfig(text)).some((problem) => problem.code === 'xl.missing-name'));
  });

  test('an unknown key, with did-you-mean from the xl.conf keys and a fix', () => {
    const problem = only('autobaloon = "off"\n', 'xl.unknown-key', 'warning', 'autobaloon', /did you mean `autoballoon`/);
    assert.equal(problem.fixes?.[0].edits[0].newText, 'autoballoon');
    only('vif.default.brige = "br0"\n', 'xl.unknown-key', 'warning', 'vif.default.brige', /vif\.default\.bridge/);
  });

  test('a guest key in xl.conf has a rule of its own', () => {
    only('memory = 1024\n', 'xl.conf-guest-key', 'warning', 'memory', /guest configs/);
    only('name = "x"\n', 'xl.conf-guest-key', 'warning', 'name');
  });

  test('enumerations: xl prints its message and keeps the default (Warning), with a fix', () => {
    only('autoballoon = "maybe"\n', 'xl.bad-enum', 'warning', '"maybe"', /"invalid autoballoon option".*default \(auto\)/);
    const format = only('output_format = "JSON"\n', 'xl.bad-enum', 'warning', '"JSON"', /invalid default output format/);
    assert.equal(format.fixes?.[0].edits[0].newText, '"json"');
    only("domid_policy = 'randon'\n", 'xl.bad-enum', 'warning', "'randon'", /invalid domid_policy option/);
    // Bare numbers are atoms too: autoballoon = 1 is on.
    assert.deepEqual(problems('autoballoon = 1\nautoballoon = 0\n').map((problem) => problem.code), ['xl.duplicate-key']);
  });

  test('numbers: a bad one is ignored with a message (Warning), except the grant limits, where xl exits (Error)', () => {
    only('claim_mode = "yes"\n', 'xl.not-a-number', 'warning', '"yes"', /default \(1\)/);
    only('run_hotplug_scripts += 1\n', 'xl.plus-equals-number', 'warning', '+=');
    only('max_grant_frames = "lots"\n', 'xl.not-a-number', 'error', '"lots"', /every `xl` command .* exits with status 1/);
    only('max_maptrack_frames = "-1"\n', 'xl.out-of-range', 'error', '"-1"', /outside 0\.\.2147483647/);
    only('max_grant_version = [ 1 ]\n', 'xl.expected-single', 'error', '[ 1 ]');
    only('max_grant_frames = 4294967296\n', 'xl.out-of-range', 'error', '4294967296');
    only('max_grant_frames = 010\n', 'xl.octal-number', 'warning', '010', /means 8/);
  });

  test('a list where xl wants one string: a warning, with the only element as a fix', () => {
    const problem = only('lockfile = [ "/run/xl" ]\n', 'xl.expected-single', 'warning', '[ "/run/xl" ]', /ignores the value/);
    assert.equal(problem.fixes?.[0].edits[0].newText, '"/run/xl"');
  });

  test('deprecated aliases: a rename, or dead when the new key is set too (it wins whatever the order)', () => {
    const renamed = only('vifscript = "vif-route"\n', 'xl.deprecated-key', 'information', 'vifscript', /use `vif\.default\.script`/);
    assert.equal(renamed.fixes?.[0].edits[0].newText, 'vif.default.script');
    const dead = only('vif.default.bridge = "br0"\ndefaultbridge = "br1"\n', 'xl.deprecated-key', 'information', 'defaultbridge', /`vif\.default\.bridge` \(line 1\) overrides it/);
    assert.equal(dead.unnecessary, true);
  });

  test('duplicates: the earlier line is dead', () => {
    only('domid_policy = "xen"\ndomid_policy = "random"\n', 'xl.duplicate-key', 'warning', 'domid_policy = "xen"', /line 2/);
  });

  test('CPU masks: a bad first term leaves an empty mask (Error), a later one a shorter mask (Warning)', () => {
    only('vm.cpumask = "2-"\n', 'xl.conf-cpumask', 'error', '2-', /vcpu hard affinity map is empty/);
    only('vm.pv.cpumask = "0-3,x,4"\n', 'xl.conf-cpumask', 'warning', 'x', /and everything after it, so the mask keeps only the CPUs before it/);
    only('vm.hvm.cpumask = "0,^all"\n', 'xl.conf-cpumask', 'warning', '^all', /cannot be combined/);
    only('vm.cpumask = "^0"\n', 'xl.conf-cpumask', 'error', '"^0"', /adds no CPU/);
    only('vm.cpumask = ""\n', 'xl.conf-cpumask', 'error', '""', /it is empty/);
    assert.deepEqual(problems('vm.cpumask = "all"\nvm.hvm.cpumask = "nodes:1,^8"\nvm.pv.cpumask = "node:0-1"\n'), []);
  });

  test('syntax errors are reported as in any config, and suppressions work', () => {
    assert.equal(problems('autoballoon = off\n')[0].code, 'xl.syntax.unquoted-value');
    assert.deepEqual(problems('# xl-lint: disable-next-line unknown-key\nfoo = 1\n'), []);
  });

  test('severity overrides apply as in guest configs', () => {
    const [problem] = computeDiagnostics(parseConfig('foo = 1\n'), { file: 'xl.conf', severities: { 'unknown-key': 'error' } });
    assert.equal(problem.severity, 'error');
  });
});

function completeAt(source: string) {
  const { text, offset } = marked(source);
  return { text, items: completeXlConf(parseConfig(text), offset) };
}

describe('xl.conf completion', () => {
  test('keys of xl.conf only, in xl\'s order with deprecated ones last, without the keys already set', () => {
    const { items } = completeAt('autoballoon = "on"\n$0');
    const labels = items.map((item) => item.label);
    assert.ok(!labels.includes('autoballoon'));
    assert.ok(!labels.includes('memory'));
    assert.equal(labels.length, XL_CONF_KEYS.length - 1);
    const sorted = [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((item) => item.label);
    assert.equal(sorted[0], 'run_hotplug_scripts');
    assert.deepEqual(sorted.slice(-2), ['vifscript', 'defaultbridge']);
    const domid = items.find((item) => item.label === 'domid_policy')!;
    assert.equal(domid.snippet, 'domid_policy = "${1|xen,random|}"');
    assert.match(domid.documentation ?? '', /\*Default:\* xen/);
    assert.equal(items.find((item) => item.label === 'claim_mode')!.snippet, 'claim_mode = ${1|0,1|}');
    assert.equal(items.find((item) => item.label === 'max_grant_frames')!.snippet, 'max_grant_frames = ${1:64}');
  });

  test('a key being typed is replaced, and only its name is inserted before an `=`', () => {
    const { text, items } = completeAt('vif.def$0 = "br0"\n');
    const item = items.find((candidate) => candidate.label === 'vif.default.bridge')!;
    assert.equal(text.slice(item.start, item.end), 'vif.def');
    assert.equal(item.insertText, 'vif.default.bridge');
  });

  test('enumeration values after `=` and inside the quotes', () => {
    const bare = completeAt('output_format = $0').items;
    assert.deepEqual(bare.map((item) => item.insertText), ['"json"', '"sxp"']);
    const { text, items } = completeAt('autoballoon = "o$0"\n');
    assert.deepEqual(items.map((item) => item.label), ['auto', 'on', 'off', '1', '0']);
    assert.equal(text.slice(items[0].start, items[0].end), 'o');
    assert.match(items[2].documentation ?? '', /Never touch dom0/);
  });

  test('booleans and CPU masks', () => {
    assert.deepEqual(completeAt('claim_mode =$0').items.map((item) => item.insertText), [' 1', ' 0']);
    assert.deepEqual(completeAt('vm.cpumask = "$0"').items.map((item) => item.label), ['all']);
    assert.deepEqual(completeAt('lockfile = "$0"').items, []);
    assert.deepEqual(completeAt('memory = $0').items, []);
  });
});

function hoverAt(source: string) {
  const { text, offset } = marked(source);
  const result = hoverXlConf(parseConfig(text), offset);
  return result === undefined ? undefined : { ...result, hovered: text.slice(result.start, result.end) };
}

describe('xl.conf hover', () => {
  test('a key: our doc, kind, default, what a bad value does, and since when', () => {
    const spec = XL_CONF_KEY_BY_NAME.get('max_grant_frames')!;
    const result = hoverAt('max_gr$0ant_frames = 64\n')!;
    assert.equal(result.hovered, 'max_grant_frames');
    for (const part of [spec.doc, '*Value:* integer', '*Range:* 0 to 2147483647', 'exits at once with status 1']) assert.ok(result.markdown.includes(part), part);
    assert.match(hoverAt('bootloader_$0restrict = 1\n')!.markdown, /\*Since:\* Xen 4\.18/);
    assert.match(hoverAt('vif$0script = "x"\n')!.markdown, /\*\*Deprecated\*\*: use `vif\.default\.script`/);
    // Keys with dots are one word.
    assert.equal(hoverAt('vif.d$0efault.bridge = "br0"\n')!.hovered, 'vif.default.bridge');
  });

  test('unknown and guest keys', () => {
    assert.match(hoverAt('mem$0ory = 1\n')!.markdown, /A key of guest configs/);
    assert.match(hoverAt('claim_m$0od = 1\n')!.markdown, /Did you mean `claim_mode`/);
  });

  test('values: an enumeration value\'s doc, a boolean, a CPU mask term', () => {
    assert.match(hoverAt('autoballoon = "au$0to"\n')!.markdown, /dom0_mem=/);
    assert.match(hoverAt('claim_mode = $00\n')!.markdown, /Off \(0\)/);
    const term = hoverAt('vm.cpumask = "0-3,^$02"\n')!;
    assert.equal(term.hovered, '2');
    assert.match(term.markdown, /in vm\.cpumask/);
    assert.equal(hoverAt('lockfile = "/run/$0xl"\n'), undefined);
  });
});
