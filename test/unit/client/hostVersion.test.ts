import assert from 'node:assert/strict';
import { test } from 'node:test';
import { majorMinor, oldestHostVersion } from '../../../client/src/hostVersion';

test('majorMinor reads the release a Xen version belongs to', () => {
  assert.equal(majorMinor('4.17.7'), '4.17');
  assert.equal(majorMinor('4.20-rc'), '4.20');
  assert.equal(majorMinor('4.9'), '4.9');
  assert.equal(majorMinor('04.020.1'), '4.20');
  assert.equal(majorMinor('unknown'), undefined);
  assert.equal(majorMinor(undefined), undefined);
});

test('the oldest host decides, by number, not by text', () => {
  assert.equal(oldestHostVersion(['4.20.1', '4.17.7']), '4.17');
  assert.equal(oldestHostVersion(['4.9.2', '4.17.7']), '4.9');
  assert.equal(oldestHostVersion([undefined, '4.22.0']), '4.22');
  assert.equal(oldestHostVersion([undefined, 'garbage']), null);
  assert.equal(oldestHostVersion([]), null);
});
