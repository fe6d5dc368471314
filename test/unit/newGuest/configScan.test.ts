// What a workspace config claims: its name, MACs, VNC displays and disk targets, from a bounded
// text scan that ignores comments.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeMac, scanGuestClaims } from '../../../client/src/newGuest/configScan';
import { CONFIG_MAX_BYTES } from '../../../common/limits';

describe('scanGuestClaims', () => {
  test('the walkthrough HVM config', () => {
    const text = [
      'name = "web01"',
      'type = "hvm"',
      'disk = [ "format=raw, vdev=hda, access=rw, target=/dev/xenvg/web01",',
      '         "format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/opt/isos/debian.iso" ]',
      'vif = [ "mac=00:16:3E:0A:0B:0C, bridge=xenbr0" ]',
      'vnc = 1',
      'vncdisplay = 3',
    ].join('\n');
    assert.deepEqual(scanGuestClaims(text), {
      name: 'web01',
      macs: ['00:16:3e:0a:0b:0c'],
      vncDisplays: [3],
      diskTargets: ['/dev/xenvg/web01', '/opt/isos/debian.iso'],
    });
  });

  test('legacy disk specs, several vifs, a vfb display and a display on the listen address', () => {
    const text = [
      "name = 'pv1'",
      "disk = [ 'phy:/dev/vg0/pv1,xvda,w', 'file:/srv/img/pv1-swap.img,xvdb,w' ]",
      "vif = [ 'bridge=br0,mac=00-16-3e-11-22-33', 'mac=00:16:3e:44:55:66' ]",
      "vfb = [ 'vnc=1,vncdisplay=7' ]",
      'vnclisten = "127.0.0.1:9"',
    ].join('\n');
    const claims = scanGuestClaims(text);
    assert.equal(claims.name, 'pv1');
    assert.deepEqual(claims.macs, ['00:16:3e:11:22:33', '00:16:3e:44:55:66']);
    assert.deepEqual(claims.vncDisplays, [7, 9]);
    assert.deepEqual(claims.diskTargets, ['/dev/vg0/pv1', '/srv/img/pv1-swap.img']);
  });

  test('comments claim nothing; a # inside a string is not a comment', () => {
    const text = ['# vncdisplay = 4', 'vif = [ "mac=00:16:3e:00:00:01" ] # mac=00:16:3e:00:00:02', 'vnclisten = "10.0.0.1#x"', '#name = "old"'].join('\n');
    const claims = scanGuestClaims(text);
    assert.deepEqual(claims.macs, ['00:16:3e:00:00:01']);
    assert.deepEqual(claims.vncDisplays, []);
    assert.equal(claims.name, undefined);
  });

  test('an escaped quote does not end the string early', () => {
    const claims = scanGuestClaims('extra = "a \\" # b"\nvncdisplay = 5\n');
    assert.deepEqual(claims.vncDisplays, [5]);
  });

  test('not a MAC: too short, too long, or another key', () => {
    const claims = scanGuestClaims('vif = [ "mac=00:16:3e:00:00", "mac=00:16:3e:00:00:01:02", "xmac=00:16:3e:00:00:03" ]');
    assert.deepEqual(claims.macs, []);
  });

  test('only the start of a huge file is read', () => {
    const text = `vncdisplay = 1\n${'#'.repeat(CONFIG_MAX_BYTES)}\nvncdisplay = 2\n`;
    assert.deepEqual(scanGuestClaims(text).vncDisplays, [1]);
  });

  test('binary junk gives empty claims, not an exception', () => {
    const junk = String.fromCharCode(...Array.from({ length: 5000 }, (_, i) => (i * 7919) % 65536));
    const claims = scanGuestClaims(junk);
    assert.ok(Array.isArray(claims.macs) && Array.isArray(claims.diskTargets));
  });

  test('normalizeMac', () => {
    assert.equal(normalizeMac('00-16-3E-AA-bb-CC'), '00:16:3e:aa:bb:cc');
  });
});
