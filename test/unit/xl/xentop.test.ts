// The xentop batch reader: captured output of the rig (Xen 4.17: `xentop -b -f -d 1 -i 3`, and
// with -x -n -v detail lines), fed whole and in small pieces, plus a file written in xentop's
// format for what the rig did not show (a long name, "no limit", a dying "(null)", a guest that
// goes away and one that comes).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { XentopParser, parseXentopRow, xentopState, xentopStream, type XentopFrame } from '../../../client/src/xl/xentop';
import { XlError } from '../../../client/src/xl/errors';

const fixture = (name: string): string => readFileSync(`test/fixtures/xl/${name}`, 'utf8');

/** All frames of a text: fed in pieces of `size` characters, then flushed. */
function framesOf(text: string, size = text.length): XentopFrame[] {
  let clock = 0;
  const parser = new XentopParser(() => ++clock);
  const frames: XentopFrame[] = [];
  for (let offset = 0; offset < text.length; offset += size) frames.push(...parser.feed(text.slice(offset, offset + size)));
  const last = parser.flush();
  if (last !== undefined) frames.push(last);
  return frames;
}

describe('xentopStream', () => {
  test('batch mode, full names, the delay', () => {
    const command = xentopStream(2);
    assert.deepEqual(command.args, ['-b', '-f', '-d', '2']);
    assert.equal(command.program, 'xentop');
  });
  test('refuses a delay that is not a whole number in range', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 100_000]) assert.throws(() => xentopStream(bad), XlError);
  });
});

describe('XentopParser on the rig', () => {
  test('three frames of three domains; the first has no CPU %', () => {
    const frames = framesOf(fixture('rig-xentop-full.txt'));
    assert.equal(frames.length, 3);
    for (const frame of frames) assert.deepEqual(frame.guests.map((row) => row.name), ['Domain-0', 'rig-hvm', 'rig-pv']);
    assert.ok(frames[0].guests.every((row) => row.cpuPercent === undefined));
    assert.deepEqual(
      frames[1].guests.map((row) => row.cpuPercent),
      [82.8, 45.1, 0.4],
    );
    const pv = frames[1].guests[2];
    assert.deepEqual(
      { ...pv },
      { name: 'rig-pv', state: 'blocked', cpuSeconds: 6, cpuPercent: 0.4, memKiB: 131072, maxMemKiB: 132096, vcpus: 2, nets: 1, netTxKiB: 0, netRxKiB: 0, vbds: 1, vbdRd: 0, vbdWr: 0, vbdRsect: 0, vbdWsect: 0 },
    );
    assert.equal(frames[1].guests[1].state, 'idle');
    assert.equal(frames[0].host, undefined, 'batch mode prints no summary line');
  });

  test('the same frames whatever the pieces the output arrives in', () => {
    const text = fixture('rig-xentop-full.txt');
    const whole = framesOf(text).map((frame) => frame.guests);
    for (const size of [1, 7, 64, 333]) assert.deepEqual(framesOf(text, size).map((frame) => frame.guests), whole);
  });

  test('detail lines (-x -n -v) are skipped', () => {
    const frames = framesOf(fixture('rig-xentop-full-xnv.txt'));
    assert.equal(frames.length, 2);
    assert.deepEqual(frames[1].guests.map((row) => [row.name, row.cpuPercent]), [
      ['Domain-0', 59.9],
      ['rig-hvm', 63.0],
      ['rig-pv', 0.2],
    ]);
  });

  test('memory after mem-set', () => {
    const frames = framesOf(fixture('rig-xentop-after-memset.txt'));
    assert.equal(frames[0].guests.find((row) => row.name === 'rig-pv')?.memKiB, 98304);
  });

  test('a frame is complete when the next header starts, or at flush', () => {
    const text = fixture('rig-xentop-full.txt');
    const parser = new XentopParser(() => 0);
    const secondHeader = text.indexOf('NAME', 20);
    assert.deepEqual(parser.feed(text.slice(0, secondHeader)), []);
    assert.equal(parser.feed(text.slice(secondHeader)).length, 2);
    assert.equal(parser.flush()?.guests.length, 3);
    assert.equal(parser.flush(), undefined);
  });

  test('flush waits for a line that has not ended', () => {
    const parser = new XentopParser(() => 0);
    const text = fixture('rig-xentop-full.txt');
    parser.feed(text.slice(0, text.indexOf('rig-pv') + 10));
    assert.equal(parser.flush(), undefined);
  });
});

describe('XentopParser on edge cases in xentop format', () => {
  const frames = framesOf(fixture('xentop-batch.txt'));
  test('long names, no limit, dashes for disk counters', () => {
    assert.equal(frames.length, 3);
    const dom0 = frames[0].guests[0];
    assert.equal(dom0.maxMemKiB, undefined);
    assert.equal(frames[0].guests[1].name, 'debian-installer-test');
    assert.equal(frames[0].guests[2].vbdRd, 0);
  });
  test('a dying "(null)" domain is skipped', () => {
    assert.ok(frames.every((frame) => frame.guests.every((row) => row.name !== '(null)')));
    assert.equal(frames[1].guests.length, 3);
  });
  test('a guest that went away is not in the next frame; a new one has no CPU % yet', () => {
    assert.ok(!frames[2].guests.some((row) => row.name === 'web01'));
    const newcomer = frames[2].guests.find((row) => row.name === 'new-guest');
    assert.equal(newcomer?.cpuPercent, undefined);
    assert.equal(newcomer?.state, 'paused');
    assert.equal(frames[2].guests.find((row) => row.name === 'debian-installer-test')?.cpuPercent, 55);
  });
  test('a name with spaces is read whole', () => {
    const row = parseXentopRow('  my guest 2 --b---          7    0.1     524288    6.2     525312       6.3     1    1       10       20    1        0        3        4          5          6    0');
    assert.equal(row?.name, 'my guest 2');
    assert.deepEqual([row?.vbdRd, row?.vbdWr, row?.vbdRsect, row?.vbdWsect], [3, 4, 5, 6]);
  });
  test('lines that are not rows', () => {
    for (const line of ['', 'VCPUs(sec):   0:          5s', 'xentop: garbage', '      NAME  STATE   CPU(sec) CPU(%)']) assert.equal(parseXentopRow(line), undefined);
  });
  test('a summary line, when there is one, gives the host memory', () => {
    const parser = new XentopParser(() => 5);
    parser.feed('Mem: 8388608k total, 6291456k used, 2097152k free    CPUs: 4 @ 2400MHz\n');
    parser.feed(fixture('rig-xentop-full.txt').split('\n').slice(0, 4).join('\n') + '\n');
    assert.deepEqual(parser.flush()?.host, { totalKiB: 8388608, usedKiB: 6291456, freeKiB: 2097152, cpus: 4 });
  });
  test('state letters', () => {
    assert.equal(xentopState('-----r'), 'running');
    assert.equal(xentopState('--b---'), 'blocked');
    assert.equal(xentopState('----p-'), 'paused');
    assert.equal(xentopState('d-----'), 'dying');
    assert.equal(xentopState('-s----'), 'shutdown');
    assert.equal(xentopState('---c--'), 'crashed');
    assert.equal(xentopState('------'), 'idle');
  });
});
