// What is taken on a host: running guests' names, MACs, displays and disks (from xl list -l JSON
// as a real dom0 printed it), the workspace's configs, and which logical volumes are free.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseListLong } from '../../../client/src/xl';
import { displayIsUncertain, runningGuestClaims, takenThings, volumeInUse, type ClaimSource } from '../../../client/src/newGuest/usage';

const hvm = parseListLong(readFileSync('test/fixtures/xl/list-long-vnc-hvm.json', 'utf8'));
const pv = parseListLong(readFileSync('test/fixtures/xl/list-long-vnc-pv.json', 'utf8'));

function config(what: string, claims: Partial<ClaimSource['claims']>): ClaimSource {
  return { what, claims: { macs: [], vncDisplays: [], diskTargets: [], ...claims } };
}

describe('runningGuestClaims', () => {
  test('an HVM guest: its name, MACs and disk targets, and its display', () => {
    const [claims] = runningGuestClaims(hvm);
    const guest = hvm[0];
    assert.equal(claims.claims.name, guest.name);
    assert.match(claims.what, new RegExp(guest.name));
    assert.deepEqual(claims.claims.macs, guest.nics.map((nic) => nic.mac?.toLowerCase()).filter(Boolean));
    assert.deepEqual(claims.claims.diskTargets, guest.disks.map((disk) => disk.target).filter((target) => target));
    assert.equal(claims.claims.vncDisplays.length, 1);
  });

  test('the port xenstore recorded wins over the config when xl may have moved the display', () => {
    const guest = hvm[0];
    const [claims] = runningGuestClaims([guest], new Map([[guest.domid, 5907]]));
    assert.equal(claims.claims.vncDisplays[0], 7);
  });

  test('a PV framebuffer counts too', () => {
    const claims = runningGuestClaims(pv);
    assert.ok(claims.some((source) => source.claims.vncDisplays.length > 0), JSON.stringify(claims));
  });

  test('a display is uncertain only with vncunused on', () => {
    assert.equal(displayIsUncertain({ ...hvm[0], raw: { b_info: { 'type.hvm': { vnc: { enable: 'True', display: 2, findunused: 'False' } } } } }), false);
    assert.equal(displayIsUncertain({ ...hvm[0], raw: { b_info: { 'type.hvm': { vnc: { enable: 'True', display: 2 } } } } }), true);
    assert.equal(displayIsUncertain({ ...hvm[0], raw: {} }), false, 'no VNC at all');
  });
});

describe('takenThings', () => {
  test('names by source, MACs and displays from both', () => {
    const running = [config('running guest "a"', { name: 'a', macs: ['00:16:3e:00:00:01'], vncDisplays: [0] })];
    const configs = [config('b.cfg', { name: 'b', macs: ['00:16:3e:00:00:02'], vncDisplays: [1, 4] }), config('c.cfg', {})];
    const taken = takenThings(['Domain-0', 'a'], running, configs);
    assert.deepEqual([...taken.runningNames].sort(), ['Domain-0', 'a']);
    assert.deepEqual([...taken.configNames], ['b']);
    assert.deepEqual([...taken.macs].sort(), ['00:16:3e:00:00:01', '00:16:3e:00:00:02']);
    assert.deepEqual([...taken.vncDisplays].sort(), [0, 1, 4]);
  });
});

describe('volumeInUse', () => {
  const volume = { name: 'web-data', vg: 'vg-main', path: '/dev/vg-main/web-data', open: false };
  test('free when nothing names it', () => {
    assert.equal(volumeInUse(volume, [config('x.cfg', { diskTargets: ['/dev/vg-main/web'] })]), undefined);
  });
  test('named by a config as /dev/VG/LV', () => {
    assert.equal(volumeInUse(volume, [config('web.cfg', { diskTargets: ['/dev/vg-main/web-data'] })]), 'used by web.cfg');
  });
  test('named through device-mapper (dashes doubled) or with extra slashes', () => {
    assert.equal(volumeInUse(volume, [config('m.cfg', { diskTargets: ['/dev/mapper/vg--main-web--data'] })]), 'used by m.cfg');
    assert.equal(volumeInUse(volume, [config('s.cfg', { diskTargets: ['/dev//vg-main/./web-data'] })]), 'used by s.cfg');
  });
  test('open in LVM', () => {
    assert.match(String(volumeInUse({ ...volume, open: true }, [])), /open on the host/);
  });
});
