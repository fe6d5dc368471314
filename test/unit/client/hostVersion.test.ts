import assert from 'node:assert/strict';
import { test } from 'node:test';
import { oldestHostVersion } from '../../../client/src/hostVersion';

test('the oldest host decides, by number, not by text', () => {
  assert.equal(oldestHostVersion(['4.20.1', '4.17.7']), '4.17');
  assert.equal(oldestHostVersion(['4.9.2', '4.17.7']), '4.9');
  assert.equal(oldestHostVersion([undefined, '4.22.0']), '4.22');
  assert.equal(oldestHostVersion([undefined, 'garbage']), null);
  assert.equal(oldestHostVersion([]), null);
});
