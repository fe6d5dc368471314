// A guest's devices in the Guests view: block-list, network-list, vcpu-list and list -l as the
// real Xen 4.17 rig printed them (test/fixtures/xl/rig-*), mapped to the rows below the guest;
// the vdev names of the config matched to block-list's numbers; failures kept per group; and
// when the devices are read (only on expansion, once per domain id and state).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { guestDetailView, vdevNumber, type GuestDetailReadings } from '../../../client/src/tree/details';
import { GuestDetailsCache, hasDetails, serviceDetailReader } from '../../../client/src/tree/detailsCache';
import { XlError } from '../../../client/src/xl/errors';
import { decodeVdev, parseBlockList, parseList, parseNetworkList, parseVcpuList } from '../../../client/src/xl/parsers';
import { parseListLong } from '../../../client/src/xl/records';
import type { Domain, XlCommand } from '../../../client/src/xl/types';
import type { XenHost } from '../../../client/src/xenService';

function fixture(name: string): string {
  return readFileSync(path.resolve('test/fixtures/xl', name), 'utf8');
}

function rigReadings(kind: 'hvm' | 'pv'): GuestDetailReadings {
  return {
    disks: { value: parseBlockList(fixture(`rig-block-list-${kind}.txt`)) },
    nics: { value: parseNetworkList(fixture(`rig-network-list-${kind}.txt`)) },
    vcpus: { value: parseVcpuList(fixture(`rig-vcpu-list-${kind}.txt`)) },
    config: { value: parseListLong(fixture(`rig-list-long-${kind}.json`)) },
  };
}

const host: XenHost = { id: 'ssh:root@rig', label: 'rig', isLocal: false, target: { kind: 'ssh', destination: 'root@rig', controlDir: '' } };

describe('guest details from the rig\'s output', () => {
  test('an HVM guest: its disk and CD drive with their targets, its NIC on its bridge, its vCPU', () => {
    const view = guestDetailView(rigReadings('hvm'), 2);
    assert.equal(view.configError, undefined);
    assert.deepEqual(view.sections.map((section) => section.label), ['Disks (2)', 'Network (1)', 'vCPUs (1)']);
    const [disks, nics, vcpus] = view.sections;
    assert.deepEqual(
      disks.rows.map((row) => [row.label, row.description, row.target, row.vdev, row.cdrom]),
      [
        ['hda → /dev/xenvg/rig-hvm', 'disk · initialising', '/dev/xenvg/rig-hvm', 'hda', false],
        ['hdc → /opt/isos/xenxl-installer.iso', 'CD drive · initialising', '/opt/isos/xenxl-installer.iso', 'hdc', true],
      ],
    );
    assert.match(disks.rows[1].tooltip, /^CD drive hdc \(virtual device 5632\)\nTarget: \/opt\/isos\/xenxl-installer\.iso\nFormat: raw\nBackend: domain 0 \(qdisk\)/);
    assert.deepEqual(
      nics.rows.map((row) => [row.label, row.mac, row.bridge, row.devid]),
      [['eth0 00:16:3e:58:da:f9 on xenbr0', '00:16:3e:58:da:f9', 'xenbr0', 0]],
    );
    assert.deepEqual(vcpus.rows.map((row) => row.label), ['vCPU 0 · CPU 0 · running · affinity all / all']);
  });

  test('a PV guest: xvda, one NIC, an online and an offline vCPU', () => {
    const [disks, nics, vcpus] = guestDetailView(rigReadings('pv'), 1).sections;
    assert.deepEqual(disks.rows.map((row) => row.label), ['xvda → /dev/xenvg/rig-pv']);
    assert.deepEqual(nics.rows.map((row) => row.label), ['eth0 00:16:3e:5a:01:01 on xenbr0']);
    assert.deepEqual(vcpus.rows.map((row) => [row.label, row.icon.id]), [
      ['vCPU 0 · CPU 1 · blocked · affinity all / all', 'circuit-board'],
      ['vCPU 1 · offline · affinity all / all', 'circle-slash'],
    ]);
  });

  test('only the rows of this domain count (vcpu-list of all domains, list -l of another)', () => {
    const readings: GuestDetailReadings = { ...rigReadings('pv'), vcpus: { value: parseVcpuList(fixture('rig-vcpu-list.txt')) }, config: { value: parseListLong(fixture('rig-list-long-hvm.json')) } };
    const [disks, nics, vcpus] = guestDetailView(readings, 1).sections;
    assert.equal(vcpus.label, 'vCPUs (2)');
    // The HVM guest's list -l says nothing about domain 1: no targets, no bridge, but the rows stay.
    assert.deepEqual(disks.rows.map((row) => [row.label, row.target]), [['xvda', undefined]]);
    assert.match(disks.rows[0].tooltip, /Target: unknown/);
    assert.deepEqual(nics.rows.map((row) => row.label), ['eth0 00:16:3e:5a:01:01']);
  });

  test('an ejected CD drive says it is empty and has no target', () => {
    const config = parseListLong(readFileSync(path.resolve('test/fixtures/host/rig-xl-list-long-hvm-install-ejected.json'), 'utf8'));
    const view = guestDetailView({ ...rigReadings('hvm'), config: { value: config } }, config[0].domid);
    const cd = view.sections[0].rows.find((row) => row.vdev === 'hdc');
    assert.deepEqual([cd?.label, cd?.description, cd?.target, cd?.cdrom], ['hdc → (empty)', 'CD drive, empty · initialising', undefined, true]);
    assert.match(cd?.tooltip ?? '', /No disc inserted/);
  });

  test('a failed reading becomes that group\'s error; the others still show; list -l\'s failure is said once', () => {
    const failed = new XlError('timeout', 'xl did not answer within 30 s.');
    const view = guestDetailView({ ...rigReadings('hvm'), nics: { error: failed }, config: { error: failed } }, 2);
    assert.deepEqual(view.sections.map((section) => [section.label, section.error?.kind, section.rows.length]), [
      ['Disks (2)', undefined, 2],
      ['Network', 'timeout', 0],
      ['vCPUs (1)', undefined, 1],
    ]);
    assert.equal(view.configError, failed);
    assert.deepEqual(view.sections[0].rows.map((row) => row.label), ['hda', 'hdc']);
  });

  test('Domain-0: vCPUs only', () => {
    const view = guestDetailView({ vcpus: { value: parseVcpuList(fixture('rig-vcpu-list.txt')) } }, 0);
    assert.deepEqual(view.sections.map((section) => section.label), ['vCPUs (2)']);
  });

  test('the older captures: extended and sd names, soft affinity', () => {
    const view = guestDetailView(
      { disks: { value: parseBlockList(fixture('block-list.txt')) }, nics: { value: parseNetworkList(fixture('network-list.txt')) }, vcpus: { value: parseVcpuList(fixture('vcpu-list.txt')) } },
      3,
    );
    assert.deepEqual(view.sections[0].rows.map((row) => row.label), ['xvda', 'xvdb', 'hdc']);
    assert.deepEqual(view.sections[2].rows.map((row) => row.label), ['vCPU 0 · CPU 5 · blocked · affinity 2-3 / all', 'vCPU 1 · offline · affinity 2-3 / all']);
  });
});

describe('virtual device names', () => {
  test('every name decodeVdev makes numbers back to the same device', () => {
    const numbers = [
      ...Array.from({ length: 16 * 16 }, (_, index) => (202 << 8) | index),
      ...Array.from({ length: 256 }, (_, index) => (8 << 8) | index),
      // hda/hdb on major 3, hdc/hdd on major 22 (decodeVdev also names major 3's higher minors).
      ...Array.from({ length: 128 }, (_, index) => (3 << 8) | index),
      ...Array.from({ length: 128 }, (_, index) => (22 << 8) | index),
      ...[16, 17, 25, 26, 700, 5000].map((disk) => ((1 << 28) | (disk << 8) | 3) >>> 0),
    ];
    for (const number of numbers) {
      const name = decodeVdev(number);
      if (name === undefined) continue;
      assert.equal(vdevNumber(name), number, name);
    }
  });

  test('config spellings: dN and dNpM, and names outside the scheme', () => {
    assert.equal(vdevNumber('d0'), 51712);
    assert.equal(vdevNumber('d0p1'), 51713);
    assert.equal(vdevNumber('d20'), ((1 << 28) | (20 << 8)) >>> 0);
    assert.equal(vdevNumber('xvda'), 51712);
    assert.equal(vdevNumber('hdc'), 5632);
    assert.equal(vdevNumber('hda'), 768);
    for (const name of ['', 'xvd', 'vda', 'hde', 'sdq', 'xvda1x', 'd']) assert.equal(vdevNumber(name), undefined, name);
  });
});

describe('when devices are read', () => {
  const domains = parseList(fixture('rig-list.txt'));
  const [dom0, pv, hvm] = domains;

  test('running, paused and Domain-0 have devices; stopped and dying guests do not', () => {
    assert.deepEqual([dom0, pv, hvm].map(hasDetails), [true, true, true]);
    const as = (flags: string): Domain => ({ ...pv, flags, state: parseList(`Name ID Mem VCPUs State Time(s)\nx 1 1 1 ${flags} 0.0\n`)[0].state });
    assert.deepEqual(['--p---', '---s--', '---sc-', '-----d', '------'].map((flags) => hasDetails(as(flags))), [true, false, false, false, true]);
  });

  test('nothing is read until asked; then once per domain id and state; Refresh and a new id read again', async () => {
    const reads: string[] = [];
    const cache = new GuestDetailsCache(async (_host, domain) => {
      reads.push(`${domain.name}#${domain.id}:${domain.state}`);
      return { vcpus: { value: [] } };
    });
    assert.equal(reads.length, 0);
    const first = cache.get(host, pv);
    assert.equal(cache.get(host, pv), first, 'one read for concurrent askers');
    await first;
    // running ⇄ blocked is the same state for the views: no new read.
    await cache.get(host, { ...pv, state: 'running', flags: 'r-----' });
    assert.deepEqual(reads, ['rig-pv#1:blocked']);
    await cache.get(host, { ...pv, state: 'paused', flags: '--p---' });
    assert.equal(reads.length, 2, 'paused: read again');
    // A refresh that no longer lists domain 1 forgets it; the same name with a new id is new.
    cache.retain(host.id, [dom0, hvm]);
    assert.equal(cache.size, 0);
    await cache.get(host, { ...pv, id: 7 });
    await cache.get(host, hvm);
    assert.equal(cache.size, 2);
    cache.retain(host.id, [dom0, { ...pv, id: 7 }, hvm]);
    assert.equal(cache.size, 2, 'unchanged guests stay');
    cache.retain('local', []);
    assert.equal(cache.size, 2, 'another host\'s refresh changes nothing here');
    cache.clear();
    await cache.get(host, hvm);
    assert.deepEqual(reads, ['rig-pv#1:blocked', 'rig-pv#1:paused', 'rig-pv#7:blocked', 'rig-hvm#2:running', 'rig-hvm#2:running']);
  });

  test('the reader asks by domain id, four calls in parallel (Domain-0: vcpu-list only), each failure kept', async () => {
    const calls: string[][] = [];
    const service = {
      run: async <T>(_host: XenHost, command: XlCommand<T>): Promise<T> => {
        calls.push(command.args);
        if (command.args[0] === 'network-list') throw new XlError('failed', 'xl could not list the network interfaces');
        if (command.args[0] === 'list') throw new Error('not an XlError');
        return command.parse(fixture(command.args[0] === 'block-list' ? 'rig-block-list-hvm.txt' : 'rig-vcpu-list-hvm.txt'));
      },
    };
    const read = serviceDetailReader(service);
    const readings = await read(host, hvm);
    assert.deepEqual(calls, [['block-list', '--', '2'], ['network-list', '--', '2'], ['vcpu-list', '--', '2'], ['list', '-l', '--', '2']]);
    assert.ok(readings.disks && 'value' in readings.disks && readings.disks.value.length === 2);
    assert.ok(readings.nics && 'error' in readings.nics && readings.nics.error.kind === 'failed');
    assert.ok(readings.config && 'error' in readings.config && readings.config.error instanceof XlError && /not an XlError/.test(readings.config.error.message));
    calls.length = 0;
    const dom0Readings = await read(host, dom0);
    assert.deepEqual(calls, [['vcpu-list', '--', '0']]);
    assert.deepEqual(Object.keys(dom0Readings), ['vcpus']);
  });
});
