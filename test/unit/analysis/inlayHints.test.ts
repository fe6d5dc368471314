// Inlay hints: sizes, vCPU counts and the boot order, placed right after the value.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inlayHints } from '../../../server/src/analysis/inlayHints';
import { parseConfig } from '../../../server/src/syntax';

function check(text: string, expected: string[], range?: { start: number; end: number }): void {
  assert.deepEqual(inlayHints(parseConfig(text), range).map((hint) => `${hint.offset} ${hint.label}`), expected);
}

test('memory, vcpus with maxvcpus, boot order', () => {
  check('memory = 4096\nmaxmem = 1536\nvcpus = 2\nmaxvcpus = 4\nboot = "dc"\n', ['13 4 GiB', '27 1.5 GiB', '37 2 of 4 vCPUs online', '50 up to 4 vCPUs', '62 CD-ROM → hard disk']);
});

test('single values and things without a hint', () => {
  check('vcpus = 1\nboot = "c"\nmemory = "lots"\nname = "x"\n', ['9 1 vCPU', '20 hard disk only']);
});

test('only hints inside the asked range', () => {
  check('memory = 1024\nvcpus = 2\n', ['23 2 vCPUs'], { start: 14, end: 23 });
});
