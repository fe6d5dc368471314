// The pure decisions of Set Memory… and Set vCPUs…: bounds from `xl list -l` (a captured answer),
// what a typed size means, the checks the input box shows, whether the balloon followed, and the
// edit that writes the value into a config's text.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  checkMemoryText,
  checkVcpuText,
  configValueEdit,
  memoryBounds,
  memoryPrompt,
  memoryReached,
  parseMemoryText,
  vcpuBounds,
  vcpuPrompt,
} from '../../../client/src/commands/resourcePlan';
import { parseList } from '../../../client/src/xl/parsers';
import { parseListLong } from '../../../client/src/xl/records';

const demo = parseListLong(readFileSync('test/fixtures/xl/list-long.json', 'utf8')).find((entry) => entry.name === 'demo');
if (demo === undefined) throw new Error('fixture lacks the guest "demo"');

/** Applies an edit to TEXT. */
function apply(text: string, key: string, value: string): string {
  const edit = configValueEdit(text, key, value);
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

describe('memory', () => {
  test('bounds: 32 MiB to maxmem from xl list -l, the current size from xl list', () => {
    const bounds = memoryBounds({ memoryMiB: 1024 }, demo);
    assert.deepEqual(bounds, { minMiB: 32, maxMiB: 1024, currentMiB: 1024, maxKnown: true });
    assert.deepEqual(memoryBounds({ memoryMiB: 512 }, { maxMemKiB: 2_097_152 + 512, targetMemKiB: 524_288 }), { minMiB: 32, maxMiB: 2048, currentMiB: 512, maxKnown: true });
    // Without maxmem the guest can only shrink.
    assert.deepEqual(memoryBounds({ memoryMiB: 700 }, { targetMemKiB: 524_288 }), { minMiB: 32, maxMiB: 700, currentMiB: 700, maxKnown: false });
    assert.match(memoryPrompt('demo', bounds), /now 1024 MiB: from 32 MiB to 1024 MiB \(its maxmem\)/);
  });

  test("bounds of the rig's PV guest (memory 128, maxmem 256, maxvcpus 2 on a 2-CPU host)", () => {
    const rigPv = parseListLong(readFileSync('test/fixtures/xl/rig-list-long-pv.json', 'utf8'))[0];
    assert.deepEqual(memoryBounds({ memoryMiB: 128 }, rigPv), { minMiB: 32, maxMiB: 256, currentMiB: 128, maxKnown: true });
    assert.deepEqual(vcpuBounds({ vcpus: 1 }, rigPv, 2), { min: 1, max: 2, current: 1, maxVcpus: 2 });
    // The captured mem-set 512m that xl refused is refused here first.
    assert.match(checkMemoryText('512m', memoryBounds({ memoryMiB: 128 }, rigPv)).error ?? '', /At most 256 MiB/);
  });

  test('sizes as admins type them', () => {
    const cases: [string, number][] = [
      ['2048', 2048],
      [' 2048 ', 2048],
      ['2048M', 2048],
      ['2048m', 2048],
      ['2048MiB', 2048],
      ['2048 MB', 2048],
      ['2G', 2048],
      ['2g', 2048],
      ['2 GiB', 2048],
      ['1.5G', 1536],
      ['1T', 1024 * 1024],
    ];
    for (const [text, mib] of cases) assert.deepEqual(parseMemoryText(text), { mib }, text);
    for (const text of ['', 'lots', '2K', '-5', '2,5G', '0x10', '2 G B', '1.1M', '2048k', '1e3']) assert.ok('error' in parseMemoryText(text), text);
  });

  test('the input box: errors outside the bounds, a warning when the guest loses more than half', () => {
    const bounds = memoryBounds({ memoryMiB: 2048 }, { maxMemKiB: 4 * 1024 * 1024 });
    assert.deepEqual(checkMemoryText('3G', bounds), { value: 3072 });
    assert.deepEqual(checkMemoryText('4096', bounds), { value: 4096 });
    assert.match(checkMemoryText('4097', bounds).error ?? '', /At most 4096 MiB: the guest's maxmem/);
    assert.match(checkMemoryText('31', bounds).error ?? '', /At least 32 MiB/);
    const shrink = checkMemoryText('512', bounds);
    assert.equal(shrink.value, 512);
    assert.match(shrink.warning ?? '', /Less than half of the 2048 MiB/);
    assert.match(checkMemoryText('x', bounds).error ?? '', /2048M or 2G/);
  });

  test('whether the guest followed: 2% or 8 MiB of slack (balloon rounding)', () => {
    assert.ok(memoryReached(1024, 1024));
    assert.ok(memoryReached(1031, 1024));
    assert.ok(memoryReached(4150, 4096));
    assert.ok(!memoryReached(4200, 4096));
    assert.ok(!memoryReached(2048, 1024), 'no balloon driver: the guest kept its memory');
    assert.ok(!memoryReached(900, 1024));
  });

  test('the rig: mem-set 96m on an HVM guest without a balloon driver leaves it at 128 MiB (xl exits 0)', () => {
    const capture = readFileSync('test/fixtures/xl/rig-mem-set-hvm-no-balloon.txt', 'utf8');
    assert.match(capture, /^rc=0 /m);
    const row = parseList(capture.slice(capture.indexOf('Name '))).find((domain) => domain.name === 'rig-hvm');
    assert.ok(row !== undefined);
    assert.equal(row.memoryMiB, 128);
    assert.ok(!memoryReached(row.memoryMiB, 96));
    const after = parseList(readFileSync('test/fixtures/xl/rig-list-after-memset.txt', 'utf8')).find((domain) => domain.name === 'rig-pv');
    assert.ok(after !== undefined && memoryReached(after.memoryMiB, 96), 'the PV guest with a balloon driver followed');
  });
});

describe('vCPUs', () => {
  test('bounds: 1 to maxvcpus, or the host CPUs when fewer (xl refuses to overcommit without --ignore-host)', () => {
    assert.deepEqual(vcpuBounds({ vcpus: 2 }, demo), { min: 1, max: 2, current: 2, maxVcpus: 2 });
    assert.deepEqual(vcpuBounds({ vcpus: 1 }, { maxVcpus: 8 }, 4), { min: 1, max: 4, current: 1, maxVcpus: 8, hostCpus: 4 });
    // A guest already above the host's CPUs may keep what it has.
    assert.deepEqual(vcpuBounds({ vcpus: 6 }, { maxVcpus: 8 }, 4), { min: 1, max: 6, current: 6, maxVcpus: 8, hostCpus: 4 });
    assert.deepEqual(vcpuBounds({ vcpus: 2 }, { maxVcpus: 4 }, 16), { min: 1, max: 4, current: 2, maxVcpus: 4 });
    assert.deepEqual(vcpuBounds({ vcpus: 3 }, {}), { min: 1, max: 3, current: 3, maxVcpus: 3 });
    assert.match(vcpuPrompt('demo', vcpuBounds({ vcpus: 1 }, { maxVcpus: 8 }, 4)), /from 1 to 4 \(the host's 4 CPUs \(its maxvcpus is 8\)\)/);
  });

  test('the input box', () => {
    const bounds = vcpuBounds({ vcpus: 1 }, { maxVcpus: 8 }, 4);
    assert.deepEqual(checkVcpuText(' 3 ', bounds), { value: 3 });
    assert.match(checkVcpuText('5', bounds).error ?? '', /the host has 4 CPUs/);
    assert.match(checkVcpuText('0', bounds).error ?? '', /At least 1/);
    for (const text of ['', '1.5', 'two', '-1', '0x2']) assert.ok(checkVcpuText(text, bounds).error, text);
    assert.match(checkVcpuText('9', vcpuBounds({ vcpus: 1 }, { maxVcpus: 8 })).error ?? '', /maxvcpus/);
  });
});

describe('writing the value into the config text', () => {
  test('replaces the value of the assignment xl reads (the last), keeping comments and layout', () => {
    const text = 'name = "web"\nmemory = 512\nvcpus = 1 # one for now\nmemory=1024   # later wins\n';
    assert.equal(apply(text, 'memory', '2048'), 'name = "web"\nmemory = 512\nvcpus = 1 # one for now\nmemory=2048   # later wins\n');
    assert.equal(apply(text, 'vcpus', '2'), 'name = "web"\nmemory = 512\nvcpus = 2 # one for now\nmemory=1024   # later wins\n');
  });

  test('adds a line when the key is not set, keeping the file\'s line ends', () => {
    assert.equal(apply('name = "web"\n', 'memory', '512'), 'name = "web"\nmemory = 512\n');
    assert.equal(apply('name = "web"', 'memory', '512'), 'name = "web"\nmemory = 512\n');
    assert.equal(apply('name = "web"\r\nvcpus = 1\r\n', 'memory', '512'), 'name = "web"\r\nvcpus = 1\r\nmemory = 512\r\n');
    assert.equal(apply('', 'vcpus', '2'), 'vcpus = 2\n');
  });

  test('ignores look-alikes: other keys, comments, strings and lines inside lists', () => {
    const text = [
      '# memory = 64',
      'maxmemory = 1',
      'memory_extra = 2',
      'extra = "memory = 3"',
      'disk = [',
      '  "memory = 4",',
      ']',
      "cmdline = 'a # b'",
      '',
    ].join('\n');
    assert.equal(apply(text, 'memory', '512'), `${text}memory = 512\n`);
  });

  test('a value after ; or with a trailing blank, and CRLF lines', () => {
    assert.equal(apply('memory = 512; vcpus = 1\n', 'memory', '1024'), 'memory = 1024; vcpus = 1\n');
    assert.equal(apply('memory = 512 \r\nname = "a"\r\n', 'memory', '64'), 'memory = 64 \r\nname = "a"\r\n');
  });

  test('a value that spans lines is not rewritten: a later line overrides it', () => {
    const text = 'vcpus = [\n  1 ]\n';
    assert.equal(apply(text, 'vcpus', '2'), `${text}vcpus = 2\n`);
  });
});
