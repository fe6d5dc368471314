// The answers of the New Guest steps and the choices they add up to: answers of steps that no
// longer apply are left out, and a missing answer is named.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { choicesOf, forgetHostAnswers, hasScreenStep, wantsPassword, type WizardState } from '../../../client/src/newGuest/wizardState';

const HOST = { id: 'local', label: 'dom0', isLocal: true, target: { kind: 'local' as const } };

function walkthrough(): WizardState {
  return {
    host: HOST,
    kind: 'hvm',
    name: 'web01',
    memoryMiB: 2048,
    vcpus: 2,
    diskKind: 'new-volume',
    vg: 'xenvg',
    sizeText: '20G',
    sizeBytes: 20 * 1024 ** 3,
    install: { kind: 'iso', path: '/opt/isos/debian.iso' },
    network: { bridge: 'xenbr0', mac: '00:16:3e:01:02:03' },
    screen: 'vnc',
    vncDisplay: 1,
  };
}

describe('choicesOf', () => {
  test('the walkthrough: HVM from an ISO on a new volume, xenbr0, VNC without a password', () => {
    assert.deepEqual(choicesOf(walkthrough()), {
      kind: 'hvm',
      name: 'web01',
      memoryMiB: 2048,
      vcpus: 2,
      disk: { kind: 'new-volume', vg: 'xenvg', sizeBytes: 20 * 1024 ** 3 },
      install: { kind: 'iso', path: '/opt/isos/debian.iso' },
      network: { bridge: 'xenbr0', mac: '00:16:3e:01:02:03' },
      vnc: { display: 1 },
    });
  });

  test('a password only on the password paths', () => {
    const state = { ...walkthrough(), password: 'abc' };
    assert.deepEqual((choicesOf(state) as { vnc: unknown }).vnc, { display: 1 }, 'a password left from an earlier path is not written');
    state.screen = 'vnc-password';
    assert.deepEqual((choicesOf(state) as { vnc: unknown }).vnc, { display: 1, password: 'abc' });
    state.screen = 'vnc-other';
    state.passwordWanted = false;
    assert.deepEqual((choicesOf(state) as { vnc: unknown }).vnc, { display: 1 });
    state.passwordWanted = true;
    assert.deepEqual((choicesOf(state) as { vnc: unknown }).vnc, { display: 1, password: 'abc' });
  });

  test('PVH: no installer, no screen, whatever was answered before the kind changed', () => {
    const state: WizardState = { ...walkthrough(), kind: 'pvh', screen: 'vnc-password', password: 'x' };
    const choices = choicesOf(state);
    assert.ok(!('missing' in choices));
    assert.equal(choices.install, undefined);
    assert.equal(choices.vnc, undefined);
    assert.equal(hasScreenStep(state), false);
    assert.equal(wantsPassword(state), false);
  });

  test('PV without a graphical console, no network, an existing volume', () => {
    const state: WizardState = { ...walkthrough(), kind: 'pv', screen: 'none', network: 'none', diskKind: 'existing-volume', volumePath: '/dev/xenvg/old' };
    assert.deepEqual(choicesOf(state), { kind: 'pv', name: 'web01', memoryMiB: 2048, vcpus: 2, disk: { kind: 'existing-volume', path: '/dev/xenvg/old' } });
  });

  test('a new image in a folder', () => {
    const state: WizardState = { ...walkthrough(), diskKind: 'new-image', imageFolder: '/srv/img', imageFormat: 'qcow2' };
    assert.deepEqual((choicesOf(state) as { disk: unknown }).disk, { kind: 'new-image', folder: '/srv/img', format: 'qcow2', sizeBytes: 20 * 1024 ** 3 });
  });

  test('the first missing answer is named', () => {
    assert.deepEqual(choicesOf({}), { missing: 'kind' });
    assert.deepEqual(choicesOf({ ...walkthrough(), install: undefined }), { missing: 'install' });
    assert.deepEqual(choicesOf({ ...walkthrough(), vg: undefined }), { missing: 'volume group' });
    assert.deepEqual(choicesOf({ ...walkthrough(), screen: 'vnc-password' }), { missing: 'password' });
    assert.deepEqual(choicesOf({ ...walkthrough(), network: undefined }), { missing: 'network' });
  });
});

test('another host: its answers go, the others stay', () => {
  const state = { ...walkthrough(), mac: '00:16:3e:01:02:03', volumePath: '/dev/a/b' };
  forgetHostAnswers(state);
  assert.equal(state.vg, undefined);
  assert.equal(state.install, undefined);
  assert.equal(state.network, undefined);
  assert.equal(state.mac, undefined);
  assert.equal(state.vncDisplay, undefined);
  assert.equal(state.volumePath, undefined);
  assert.equal(state.name, 'web01');
  assert.equal(state.sizeBytes, 20 * 1024 ** 3);
});
