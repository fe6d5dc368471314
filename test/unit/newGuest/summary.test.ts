// The summary's lines of the new config: settings only, the VNC password hidden.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HIDDEN, keyLines } from '../../../client/src/newGuest/summary';

test('comments and blank lines go, settings stay', () => {
  assert.deepEqual(keyLines('# Guest\nname = "a"\n\n  # Disk\ndisk = [ "x" ]\n', undefined), ['name = "a"', 'disk = [ "x" ]']);
});

test('the password is hidden at the top level and inside a vfb spec, and nowhere else', () => {
  const text = 'vnc = 1\nvncpasswd = "1"\nvfb = [ "vnc=1, vncdisplay=1, vncpasswd=1" ]\n';
  const lines = keyLines(text, '1');
  assert.deepEqual(lines, ['vnc = 1', `vncpasswd = "${HIDDEN}"`, `vfb = [ "vnc=1, vncdisplay=1, vncpasswd=${HIDDEN}" ]`]);
});

test('a password with regular expression characters', () => {
  assert.deepEqual(keyLines('vncpasswd = "a.b*c"', 'a.b*c'), [`vncpasswd = "${HIDDEN}"`]);
});
