// The summary's lines of the new config: settings only, the VNC password hidden.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guestConfigText } from '../../../client/src/newGuest/configText';
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

test('a password with a quote or a backslash is hidden as the config writes it (escaped)', () => {
  for (const password of ['a"b', 'a\\b', '"\\"']) {
    for (const kind of ['hvm', 'pv'] as const) {
      const text = guestConfigText({
        kind,
        name: 'web',
        memoryMiB: 1024,
        vcpus: 1,
        disk: { kind: 'existing-volume', path: '/dev/vg/web' },
        ...(kind === 'hvm' ? { install: { kind: 'network' as const } } : {}),
        network: { bridge: 'xenbr0', mac: '00:16:3e:00:00:01' },
        vnc: { display: 1, password },
      });
      const lines = keyLines(text, password);
      const shown = lines.join('\n');
      assert.ok(shown.includes(HIDDEN), `${kind} ${password}: ${shown}`);
      assert.ok(!/passwd\s*=\s*"?[^(]/.test(shown.replace(/passwd\s*=\s*"?\(hidden\)/g, '')), `${kind} ${password}: ${shown}`);
    }
  }
});
