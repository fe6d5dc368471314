// The rule that makes a .cfg no path rule claims count as a guest config, shared by the client
// (language switch, Configs view) and the server (workspace index).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TELLING_KEYS, looksLikeGuestConfig } from '../../../common/guestSniff';
import { SNIFF_HEAD_BYTES } from '../../../common/limits';
import { keySpec } from '../../../server/src/catalogue';

describe('looksLikeGuestConfig', () => {
  const cases: [string, boolean, string][] = [
    ['name = "vm"\nmemory = 1024\ndisk = [ "phy:/dev/vg/lv,xvda,w" ]\n', true, 'name plus two keys'],
    ["name='vm'\ntype='pvh'\nkernel='/boot/vmlinuz'\n", true, 'single quotes, no blanks'],
    ['  name = "vm"\n\tvcpus = 2\n  builder = "hvm"\n', true, 'indented'],
    ['name = "vm"\nmemory = 1024\ndisk += [ "x" ]\n', true, '+= counts as setting a key'],
    ['name = "vm"\r\nmemory = 1024\r\nvcpus = 2\r\n', true, 'CRLF lines'],
    ['name = "vm"\nmemory = 1024\n', false, 'only one well-known key'],
    ['name = "vm"\nmemory = 1024\nmemory = 2048\n', false, 'the same key twice is one key'],
    ['memory = 1024\nvcpus = 2\ndisk = []\n', false, 'no name'],
    ['name = vm\nmemory = 1024\nvcpus = 2\n', false, 'name is not a quoted string'],
    ['[section]\nname = "x"\nmemory = 1\n', false, 'an ini file with one known key'],
    ['# name = "vm"\n# memory = 1\n# vcpus = 2\n', false, 'commented out'],
    ['NAME = "vm"\nMEMORY = 1\nVCPUS = 2\n', false, 'keys are lower case, as xl reads them'],
    ['', false, 'empty'],
  ];
  for (const [text, expected, why] of cases) test(why, () => assert.equal(looksLikeGuestConfig(text), expected));

  test('only the head of a huge file is read', () => {
    const late = '\nname = "vm"\nmemory = 1\nvcpus = 2\n';
    assert.equal(looksLikeGuestConfig('#'.repeat(SNIFF_HEAD_BYTES) + late), false);
    assert.equal(looksLikeGuestConfig('#'.repeat(SNIFF_HEAD_BYTES - late.length - 1) + late), true);
  });

  test('every telling key is a key xl reads', () => {
    for (const key of TELLING_KEYS) assert.ok(keySpec(key) !== undefined, key);
  });
});
