// What a log document shows: the tail of a big file with a line saying it was cut, follow mode's
// appends (a character split between two reads, a rotated file, the bound on what is kept), and
// `xl dmesg`.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { FOLLOW_KEEP_CHARS, dmesgText, firstView, followView, renderLog } from '../../../client/src/logs/logText';
import { LOG_TAIL_BYTES, type LogChunk } from '../../../client/src/xl/logs';

const place = { path: '/var/log/xen/xl-web.log', hostLabel: 'dom0' };
const at = new Date(2026, 0, 2, 3, 4, 5);

function chunk(text: string | Uint8Array, start: number, sizeBytes: number, restarted = false, inode = '7'): Extract<LogChunk, { missing: false }> {
  return { missing: false, bytes: typeof text === 'string' ? new Uint8Array(Buffer.from(text)) : text, start, sizeBytes, restarted, inode };
}

describe('the first reading', () => {
  test('a whole file: its text, no header, the next read starts at its end', () => {
    const view = firstView(chunk('a\nb\n', 0, 4, true), place);
    assert.equal(renderLog(view), 'a\nb\n');
    assert.deepEqual([view.nextOffset, view.inode, view.sizeBytes], [4, '7', 4]);
  });

  test('a cut file: the first line says how big it is and how much is shown; the partial line goes', () => {
    const size = 3 * 1024 * 1024;
    const view = firstView(chunk('rtial line\nwhole line\n', size - 22, size, true), place);
    assert.equal(renderLog(view), '[/var/log/xen/xl-web.log on dom0 is 3 MiB; only its last 11 B are shown.]\nwhole line\n');
    assert.equal(view.nextOffset, size);
  });

  test('binary bytes are escaped; an incomplete last character is read again next time', () => {
    const bytes = new Uint8Array([0x41, 0x00, 0x0a, 0xe2, 0x82]);
    const view = firstView(chunk(bytes, 0, 5, true), place);
    assert.equal(view.body, 'A\\x00\n');
    assert.equal(view.nextOffset, 3);
  });
});

describe('following', () => {
  test('appends what was written since, including a character split between reads', () => {
    const view = firstView(chunk(new Uint8Array([0x61, 0x0a, 0xe2, 0x82]), 0, 4, true), place);
    const next = followView(view, chunk(new Uint8Array([0xe2, 0x82, 0xac, 0x0a]), view.nextOffset, 6), place, at);
    assert.equal(renderLog(next), 'a\n€\n');
    assert.equal(next.nextOffset, 6);
  });

  test('a missing file changes nothing; a restarted read shows the new file with a line saying so', () => {
    const view = firstView(chunk('old\n', 0, 4, true), place);
    assert.equal(followView(view, { missing: true }, place, at), view);
    const rotated = followView(view, chunk('new\n', 0, 4, true, '8'), place, at);
    assert.equal(renderLog(rotated), '[03:04:05] /var/log/xen/xl-web.log was rotated or truncated; it is shown again from its end.\nnew\n');
    assert.equal(rotated.inode, '8');
  });

  test('a followed document keeps whole lines, at most FOLLOW_KEEP_CHARS', () => {
    const line = `${'x'.repeat(99)}\n`;
    let view = firstView(chunk(line.repeat(10), 0, 1000, true), place);
    let offset = 1000;
    for (let round = 0; round < 30; round++) {
      const piece = line.repeat(1000);
      view = followView(view, chunk(piece, offset, offset + piece.length), place, at);
      offset += piece.length;
      assert.ok(view.body.length <= FOLLOW_KEEP_CHARS);
    }
    assert.ok(view.body.startsWith('x'), 'starts with a whole line');
    assert.ok(view.body.length >= LOG_TAIL_BYTES - 100);
    assert.deepEqual(view.header, ['[Older lines were dropped while following; the whole log is /var/log/xen/xl-web.log on dom0.]']);
    assert.equal(view.nextOffset, offset);
  });
});

describe('xl dmesg', () => {
  test('escaped, and bounded to its last megabyte of whole lines', () => {
    assert.deepEqual(dmesgText('(XEN) a\x1b\n', 'dom0'), { text: '(XEN) a\\x1b\n', cut: false });
    const big = `${'(XEN) y\n'.repeat(200_000)}`;
    const { text, cut } = dmesgText(big, 'dom0');
    assert.equal(cut, true);
    const [first, ...rest] = text.split('\n');
    assert.match(first, /^\[The hypervisor messages of dom0 are 1\.53 MiB; only the last 1023\.99 KiB are shown\.\]$/);
    assert.equal(rest[0], '(XEN) y');
    assert.ok(text.length <= LOG_TAIL_BYTES + first.length + 1);
  });
});

describe('the rig\'s captures (Xen 4.17)', () => {
  test('its xl dmesg shows as it is, uncut', () => {
    const stdout = readFileSync('test/fixtures/xl/rig-dmesg.txt', 'utf8');
    const shown = dmesgText(stdout, 'rig');
    assert.deepEqual(shown, { text: stdout, cut: false });
    assert.match(shown.text, /^\(XEN\) Xen version 4\.17/);
  });

  test('a guest\'s xl and qemu-dm logs as first readings', () => {
    for (const name of ['rig-log-xl-hvm.txt', 'rig-log-qemu-dm-hvm.txt']) {
      const bytes = new Uint8Array(readFileSync(`test/fixtures/xl/${name}`));
      const view = firstView(chunk(bytes, 0, bytes.length, true), place);
      assert.equal(renderLog(view), Buffer.from(bytes).toString('utf8'), name);
      assert.equal(view.nextOffset, bytes.length);
    }
  });
});
