// Where the graphical console connects: the VNC settings of a running configuration, the
// xenstore record against the configuration's guess, and listen addresses as connect addresses.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { chooseEndpoint, connectAddress, formatAddress, vncSettings } from '../../../client/src/console/endpoint';
import { parseListLong, parseVncEndpoint, xl } from '../../../client/src/xl';

describe('vncSettings', () => {
  test('HVM: from b_info."type.hvm".vnc', () => {
    const config = { b_info: { 'type.hvm': { vnc: { enable: 'True', listen: '0.0.0.0', display: 3, findunused: 'False' } } } };
    assert.deepEqual(vncSettings(config), { listen: '0.0.0.0', display: 3, findUnused: false, password: undefined, keymap: undefined });
  });
  test('HVM defaults: loopback, display 0, findunused on', () => {
    assert.deepEqual(vncSettings({ b_info: { 'type.hvm': {} } }), { listen: '127.0.0.1', display: 0, findUnused: true, password: undefined, keymap: undefined });
  });
  test('HVM with VNC off, or a PV guest without a framebuffer: none', () => {
    assert.equal(vncSettings({ b_info: { 'type.hvm': { vnc: { enable: 'False' } } } }), undefined);
    const [, demo] = parseListLong(readFileSync('test/fixtures/xl/list-long.json', 'utf8'));
    assert.equal(vncSettings(demo.raw), undefined);
  });
  test('PV framebuffer: off unless enabled; its password and keymap', () => {
    assert.equal(vncSettings({ vfbs: [{ vnc: { display: 1 } }] }), undefined);
    const config = { vfbs: [{ vnc: { enable: 'True', listen: '192.0.2.1:2', display: 2, passwd: 'secret' }, keymap: 'de' }] };
    assert.deepEqual(vncSettings(config), { listen: '192.0.2.1:2', display: 2, findUnused: true, password: 'secret', keymap: 'de' });
  });
  test('HVM keymap from the build info', () => {
    assert.equal(vncSettings({ b_info: { 'type.hvm': { keymap: 'fr' } } })?.keymap, 'fr');
  });
});

describe('connectAddress', () => {
  test('every-address listeners are reached on loopback', () => {
    assert.equal(connectAddress('0.0.0.0'), '127.0.0.1');
    assert.equal(connectAddress('::'), '::1');
    assert.equal(connectAddress(''), '127.0.0.1');
  });
  test('a display suffix and IPv6 brackets are dropped; plain addresses stay', () => {
    assert.equal(connectAddress('192.0.2.1:2'), '192.0.2.1');
    assert.equal(connectAddress('[fe80::1]:3'), 'fe80::1');
    assert.equal(connectAddress('fe80::1'), 'fe80::1');
    assert.equal(connectAddress('127.0.0.1'), '127.0.0.1');
  });
});

describe('chooseEndpoint', () => {
  const settings = { listen: '0.0.0.0', display: 1, findUnused: true };
  test('xenstore wins: it is the port the device model opened', () => {
    assert.deepEqual(chooseEndpoint({ listen: '0.0.0.0', port: 5903 }, settings), { address: '127.0.0.1', port: 5903, source: 'xenstore' });
  });
  test('without xenstore, the configured display, with a note that it is a guess and why', () => {
    const endpoint = chooseEndpoint(undefined, settings, 'sudo refused');
    assert.equal(endpoint?.port, 5901);
    assert.equal(endpoint?.source, 'config');
    assert.match(endpoint?.note ?? '', /sudo refused/);
    assert.match(endpoint?.note ?? '', /later display/);
    assert.doesNotMatch(chooseEndpoint(undefined, { ...settings, findUnused: false })?.note ?? '', /later display/);
  });
  test('nothing to go on: none', () => {
    assert.equal(chooseEndpoint(undefined, undefined), undefined);
  });
});

describe('xenstore VNC record', () => {
  test('reads the two keys xl vncviewer reads, through sudo like xl', () => {
    const command = xl.vncEndpoint(7);
    assert.equal(command.program, 'xenstore-read');
    assert.deepEqual(command.args, ['--', '/local/domain/7/console/vnc-listen', '/local/domain/7/console/vnc-port']);
    assert.throws(() => xl.vncEndpoint(-1));
  });
  test('parses address and port; anything else is bad output', () => {
    assert.deepEqual(parseVncEndpoint('127.0.0.1\n5900\n'), { listen: '127.0.0.1', port: 5900 });
    assert.throws(() => parseVncEndpoint('127.0.0.1\n'), /VNC listen address and a port/);
    assert.throws(() => parseVncEndpoint('127.0.0.1\n70000\n'));
    assert.throws(() => parseVncEndpoint('\n5900\n'));
  });
});

describe('texts', () => {
  test('addresses as people write them', () => {
    assert.equal(formatAddress('127.0.0.1', 5900), '127.0.0.1:5900');
    assert.equal(formatAddress('::1', 5901), '[::1]:5901');
  });
});
