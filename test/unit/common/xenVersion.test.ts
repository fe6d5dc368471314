import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readXenRelease } from '../../../common/xenVersion';

const release = (text: unknown): string | undefined => {
  const read = readXenRelease(text);
  return read === undefined ? undefined : `${read.major}.${read.minor}`;
};

test('a Xen version reads as the release it belongs to, the same for client and server', () => {
  assert.equal(release('4.17.7'), '4.17');
  assert.equal(release('4.20-rc'), '4.20');
  assert.equal(release('4.20.1-pre'), '4.20');
  assert.equal(release('4.9'), '4.9');
  assert.equal(release('04.020.1'), '4.20');
  assert.equal(release('unknown'), undefined);
  assert.equal(release('4.1x'), undefined);
  assert.equal(release(undefined), undefined);
  assert.equal(release(null), undefined);
});
