// The drift comparison: a config's dry run (`xl -N create`) against `xl list -l` of the guest.
// A guest started from a file shows no drift against it (libxl's create-time defaults are not
// differences); each real change is reported once, in plain words.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { compareConfigs, readingLines, readingOf, type DriftItem } from '../../../../client/src/drift/compare';
import { parseDomainConfigJson, parseListLong } from '../../../../client/src/xl';
import type { DomainConfig } from '../../../../client/src/xl/types';

const fixture = (path: string): string => readFileSync(path, 'utf8');

/** A config as xl prints it, from a libxl JSON object (so raw and the typed fields agree). */
function config(json: Record<string, unknown>): DomainConfig {
  return parseDomainConfigJson(JSON.stringify(json));
}

/** A deep copy of a parsed config's JSON with a change applied, parsed again. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test edits xl's JSON freely; the parse after it checks the shape
function changed(base: DomainConfig, change: (json: any) => void): DomainConfig {
  const json = JSON.parse(JSON.stringify(base.raw));
  change(json);
  return config(json);
}

const keys = (items: DriftItem[]): string[] => items.map((item) => (item.subject ? `${item.key}:${item.subject}` : item.key));

// The rig's HVM install guest as it ran (`xl list -l`), and the dry run its config gives: the
// same JSON without what only a running guest has (domid, video_memkb, scheduler, colo).
const [hvmRunning] = parseListLong(fixture('test/fixtures/host/rig-xl-list-long-hvm-install.json'));
const hvmFile = changed(hvmRunning, (json) => {
  delete json.c_info.domid;
  delete json.b_info.video_memkb;
  json.b_info.sched_params = {};
  delete json.b_info.arch_x86.msr_relaxed;
  for (const disk of json.disks) delete disk.colo_restore_enable;
});

// Real pairs from the Xen 4.17 rig: `xl -N create` of each config file and `xl list -l` of the
// guest started from it, then the PV guest again after `xl mem-set rig-pv 96m` and
// `xl vcpu-set rig-pv 2`.
const rig = {
  pvConfig: parseDomainConfigJson(fixture('test/fixtures/xl/rig-drift-pv-config.json')),
  pvRunning: parseListLong(fixture('test/fixtures/xl/rig-drift-pv-running.json'))[0],
  pvAfterSet: parseListLong(fixture('test/fixtures/xl/rig-drift-pv-running-after-memset.json'))[0],
  hvmConfig: parseDomainConfigJson(fixture('test/fixtures/xl/rig-drift-hvm-config.json')),
  hvmRunning: parseListLong(fixture('test/fixtures/xl/rig-drift-hvm-running.json'))[0],
};

describe('drift: the rig captures', () => {
  test('a freshly started PV guest (maxmem and maxvcpus above memory and vcpus, a disk, a NIC with its MAC) has no drift', () => {
    assert.deepEqual(compareConfigs(rig.pvConfig, rig.pvRunning), []);
  });

  test('a freshly started HVM guest (disk, CD drive with media, NIC, boot order, video memory) has no drift', () => {
    assert.deepEqual(compareConfigs(rig.hvmConfig, rig.hvmRunning), []);
  });

  test('after mem-set and vcpu-set: exactly memory and vCPUs, both fixable without a restart', () => {
    const items = compareConfigs(rig.pvConfig, rig.pvAfterSet);
    assert.deepEqual(items, [
      {
        key: 'memory',
        running: '96 MiB',
        file: '128 MiB',
        message: 'running with 96 MiB; this file says 128 MiB: Set Memory (xl mem-set) applies it without a restart',
      },
      {
        key: 'vcpus',
        running: '2',
        file: '1',
        message: 'running with 2 vCPUs; this file says 1: Set vCPUs (xl vcpu-set) applies it without a restart',
      },
    ]);
  });

  test('memory edited in the file of the running guest (the dry run sets target_memkb): memory only', () => {
    const edited = changed(rig.pvConfig, (json) => {
      json.b_info.target_memkb = 262144;
    });
    const items = compareConfigs(edited, rig.pvRunning);
    assert.deepEqual(keys(items), ['memory']);
    assert.equal(items[0].message, 'running with 128 MiB; this file says 256 MiB: Set Memory (xl mem-set) applies it without a restart');
  });

  test('the PV file against the HVM guest: every real difference, each once', () => {
    assert.deepEqual(keys(compareConfigs(rig.pvConfig, rig.hvmRunning)), ['type', 'maxmem', 'maxvcpus', 'disk:xvda', 'disk:hda', 'disk:hdc', 'vif:vif 0']);
  });
});

describe('drift: no false positives', () => {
  test('a guest against the config it was started from', () => {
    assert.deepEqual(compareConfigs(hvmFile, hvmRunning), []);
  });

  test('a file that leaves memory, vCPUs and boot to libxl against what libxl ran', () => {
    const file = config({ c_info: { type: 'hvm', name: 'g' }, b_info: { 'type.hvm': {} } });
    const running = config({
      c_info: { type: 'hvm', name: 'g', domid: 4294967295 },
      b_info: { max_vcpus: 1, avail_vcpus: [0], max_memkb: 32768, target_memkb: 32768, video_memkb: 8192, 'type.hvm': { boot: 'cda' } },
    });
    assert.deepEqual(compareConfigs(file, running), []);
  });

  test('the captured VNC guests: dry run of the HVM and PV configs against running guests of the same shape', () => {
    const hvmDry = parseDomainConfigJson(fixture('test/fixtures/xl/create-dryrun-vnc-hvm-passwd.json'));
    const [hvmRun] = parseListLong(fixture('test/fixtures/xl/list-long-vnc-hvm.json'));
    assert.deepEqual(compareConfigs(hvmDry, hvmRun), [], 'video memory and the boot default are not drift');
    const pvDry = parseDomainConfigJson(fixture('test/fixtures/xl/create-dryrun-vnc-pv-passwd.json'));
    const [pvRun] = parseListLong(fixture('test/fixtures/xl/list-long-vnc-pv.json'));
    assert.deepEqual(compareConfigs(pvDry, pvRun), []);
  });

  test('maxmem unset in the file equals memory; vcpus without maxvcpus brings them all online', () => {
    const file = config({ c_info: { type: 'pv', name: 'g' }, b_info: { max_vcpus: 2, avail_vcpus: [0, 1], max_memkb: 524288, target_memkb: 524288 } });
    const running = config({ c_info: { type: 'pv', name: 'g' }, b_info: { max_vcpus: 2, avail_vcpus: [0, 1], max_memkb: 524288, target_memkb: 524288, video_memkb: 0 } });
    assert.deepEqual(compareConfigs(file, running), []);
  });

  test('a MAC the file leaves unset is random at create; the default bridge; MAC case; disk format default', () => {
    const file = config({
      c_info: { type: 'pv', name: 'g' },
      b_info: {},
      disks: [{ pdev_path: '/dev/vg/g', vdev: 'xvda', readwrite: 1 }],
      nics: [{ devid: 0 }, { devid: 1, mac: '00:16:3E:AA:BB:CC', bridge: 'xenbr1' }],
    });
    const running = config({
      c_info: { type: 'pv', name: 'g' },
      b_info: { max_vcpus: 1, avail_vcpus: [0], max_memkb: 32768, target_memkb: 32768 },
      disks: [{ pdev_path: '/dev/vg/g', vdev: 'xvda', format: 'raw', backend: 'phy', readwrite: 1 }],
      nics: [
        { devid: 0, mac: '00:16:3e:12:34:56', bridge: 'xenbr0' },
        { devid: 1, mac: '00:16:3e:aa:bb:cc', bridge: 'xenbr1' },
      ],
    });
    assert.deepEqual(compareConfigs(file, running), []);
  });

  test('an ejected CD drive against a file with an empty drive', () => {
    const [ejected] = parseListLong(fixture('test/fixtures/host/rig-xl-list-long-hvm-install-ejected.json'));
    const file = changed(hvmFile, (json) => {
      json.disks[1].pdev_path = '';
      json.disks[1].format = 'empty';
    });
    assert.deepEqual(compareConfigs(file, ejected), []);
    const withoutFormat = changed(hvmFile, (json) => {
      delete json.disks[1].pdev_path;
      delete json.disks[1].format;
    });
    assert.deepEqual(compareConfigs(withoutFormat, ejected), []);
  });
});

describe('drift: each change, once, in plain words', () => {
  test('memory after xl mem-set: only memory, and mem-set can undo it', () => {
    const running = changed(hvmRunning, (json) => {
      json.b_info.target_memkb = 98304;
    });
    const items = compareConfigs(hvmFile, running);
    assert.deepEqual(keys(items), ['memory']);
    assert.equal(items[0].message, 'running with 96 MiB; this file says 128 MiB: Set Memory (xl mem-set) applies it without a restart');
    assert.deepEqual([items[0].running, items[0].file], ['96 MiB', '128 MiB']);
  });

  test('memory above the running maxmem needs a restart; maxmem differs too', () => {
    const file = changed(hvmFile, (json) => {
      json.b_info.target_memkb = 262144;
      json.b_info.max_memkb = 262144;
    });
    const items = compareConfigs(file, hvmRunning);
    assert.deepEqual(keys(items), ['memory', 'maxmem']);
    assert.equal(items[0].message, 'running with 128 MiB; this file says 256 MiB: restart the guest from this file to apply (it is above the running maxmem of 128 MiB)');
    assert.equal(items[1].message, 'running with maxmem 128 MiB; this file says 256 MiB: restart the guest from this file to apply');
  });

  test('vCPUs: online count from avail_vcpus, vcpu-set within maxvcpus, restart above it', () => {
    const base = config({ c_info: { type: 'pv', name: 'g' }, b_info: { max_vcpus: 4, avail_vcpus: [0, 1], max_memkb: 65536, target_memkb: 65536 } });
    const after = changed(base, (json) => {
      json.b_info.avail_vcpus = [0, 1, 2];
    });
    const items = compareConfigs(base, after);
    assert.deepEqual(keys(items), ['vcpus']);
    assert.equal(items[0].message, 'running with 3 vCPUs; this file says 2: Set vCPUs (xl vcpu-set) applies it without a restart');
    const more = changed(base, (json) => {
      json.b_info.max_vcpus = 8;
      json.b_info.avail_vcpus = [0, 1, 2, 3, 4, 5];
    });
    const above = compareConfigs(more, base);
    assert.deepEqual(keys(above), ['vcpus', 'maxvcpus']);
    assert.match(above[0].message, /above the running maxvcpus of 4\)$/);
    assert.equal(above[1].message, 'running with at most 4 vCPUs; this file says 8: restart the guest from this file to apply');
  });

  test('type and boot order', () => {
    const file = changed(hvmFile, (json) => {
      json.b_info['type.hvm'].boot = 'c';
    });
    const items = compareConfigs(file, hvmRunning);
    assert.deepEqual(keys(items), ['boot']);
    assert.equal(items[0].message, 'running with boot order dc; this file says c: restart the guest from this file to apply (the order counts at the next start)');
    const pvh = changed(hvmFile, (json) => {
      json.c_info.type = 'pvh';
    });
    const typeItems = compareConfigs(pvh, hvmRunning);
    assert.deepEqual(keys(typeItems), ['type'], 'no boot order for a non-HVM file: nothing to compare it with');
    assert.equal(typeItems[0].message, 'running as HVM; this file says PVH: restart the guest from this file to apply');
  });

  test('disks: a new target, an added and a removed disk, read-only, and the CD media', () => {
    const file = changed(hvmFile, (json) => {
      json.disks[0].pdev_path = '/dev/xenvg/other';
      json.disks[1].pdev_path = '/opt/isos/new.iso';
      json.disks.push({ pdev_path: '/srv/data.img', vdev: 'hdb', format: 'raw', readwrite: 1 });
    });
    const items = compareConfigs(file, hvmRunning);
    assert.deepEqual(keys(items), ['disk:hda', 'disk:hdc', 'disk:hdb']);
    assert.equal(items[0].message, 'disk hda runs from /dev/xenvg/xen-xl-install; this file says /dev/xenvg/other: restart the guest from this file to apply');
    assert.equal(items[1].message, 'the CD drive hdc holds /opt/isos/xenxl-installer.iso; this file says /opt/isos/new.iso: Insert ISO (xl cd-insert) applies it now');
    assert.equal(items[2].message, 'this file has disk hdb (/srv/data.img, raw, read-write); the running guest has none: restart the guest from this file to apply');
    assert.deepEqual(items.map((item) => item.element), [0, 1, 2], 'each points at its element of the file list');

    const ejectedInFile = changed(hvmFile, (json) => {
      json.disks[1].pdev_path = '';
      json.disks[1].format = 'empty';
    });
    assert.equal(compareConfigs(ejectedInFile, hvmRunning)[0].message, 'the CD drive hdc holds /opt/isos/xenxl-installer.iso; this file says no disc: Eject ISO (xl cd-eject) applies it now');

    const removed = changed(hvmFile, (json) => {
      json.disks.splice(1, 1);
      json.disks[0].readwrite = 0;
    });
    const removedItems = compareConfigs(removed, hvmRunning);
    assert.deepEqual(keys(removedItems), ['disk:hda', 'disk:hdc']);
    assert.equal(removedItems[0].message, 'disk hda runs as raw, read-write; this file says raw, read-only: restart the guest from this file to apply');
    assert.equal(removedItems[1].message, 'the running guest has disk hdc (CD drive, /opt/isos/xenxl-installer.iso); this file has none: restart the guest from this file to apply');
    assert.equal(removedItems[1].element, undefined, 'not in the file: no element');
  });

  test('NICs: a MAC the file sets, the bridge, added and removed interfaces', () => {
    const file = changed(hvmFile, (json) => {
      json.nics[0].mac = '00:16:3e:00:00:01';
      json.nics[0].bridge = 'xenbr1';
      json.nics.push({ devid: 1, bridge: 'xenbr0' });
    });
    const items = compareConfigs(file, hvmRunning);
    assert.deepEqual(keys(items), ['vif:vif 0', 'vif:vif 0', 'vif:vif 1']);
    assert.equal(items[0].message, 'network interface 0 runs with MAC 00:16:3e:3a:51:07; this file says 00:16:3e:00:00:01: restart the guest from this file to apply');
    assert.equal(items[1].message, 'network interface 0 is on bridge xenbr0; this file says xenbr1: restart the guest from this file to apply');
    assert.equal(items[2].message, 'this file has network interface 1 (bridge xenbr0); the running guest has none: restart the guest from this file to apply');
    const none = changed(hvmFile, (json) => {
      delete json.nics;
    });
    assert.equal(compareConfigs(none, hvmRunning)[0].message, 'the running guest has network interface 0 (MAC 00:16:3e:3a:51:07, bridge xenbr0); this file has none: restart the guest from this file to apply');
  });
});

describe('drift: the readings for Show Differences', () => {
  test('the same keys in the same order on both sides', () => {
    const file = changed(hvmFile, (json) => {
      json.b_info.target_memkb = 262144;
      json.b_info.max_memkb = 262144;
      json.disks.splice(1, 1);
      delete json.nics[0].mac;
    });
    const lines = readingLines(readingOf(file), readingOf(hvmRunning));
    assert.deepEqual(lines.file, [
      'type = hvm',
      'memory = 256 MiB',
      'maxmem = 256 MiB',
      'vcpus = 1',
      'maxvcpus = 1',
      'boot = dc',
      'disk hda = /dev/xenvg/xen-xl-install, raw, read-write',
      'disk hdc = (none)',
      'vif 0 = bridge xenbr0',
    ]);
    assert.deepEqual(lines.running, [
      'type = hvm',
      'memory = 128 MiB',
      'maxmem = 128 MiB',
      'vcpus = 1',
      'maxvcpus = 1',
      'boot = dc',
      'disk hda = /dev/xenvg/xen-xl-install, raw, read-write',
      'disk hdc = CD drive, /opt/isos/xenxl-installer.iso',
      'vif 0 = bridge xenbr0',
    ]);
  });

  test('a guest without drift gives two equal documents; a MAC the file sets is shown on both sides', () => {
    for (const [file, running] of [
      [rig.pvConfig, rig.pvRunning],
      [rig.hvmConfig, rig.hvmRunning],
    ]) {
      const lines = readingLines(readingOf(file), readingOf(running));
      assert.deepEqual(lines.file, lines.running);
    }
    const lines = readingLines(readingOf(rig.pvConfig), readingOf(rig.pvAfterSet));
    assert.ok(lines.file.includes('vif 0 = mac 00:16:3e:5a:01:01, bridge xenbr0'));
    assert.deepEqual(
      lines.file.filter((line, index) => line !== lines.running[index]),
      ['memory = 128 MiB', 'vcpus = 1'],
    );
  });

  test('devices sort by name, numbers by value (vif 2 before vif 10)', () => {
    const many = config({
      c_info: { type: 'pv', name: 'g' },
      b_info: {},
      disks: [{ pdev_path: '/a', vdev: 'xvdaa' }, { pdev_path: '/b', vdev: 'xvdb' }],
      nics: [{ devid: 10 }, { devid: 2 }],
    });
    const lines = readingLines(readingOf(many), readingOf(many)).file.map((line) => line.split(' = ')[0]);
    assert.deepEqual(lines.slice(5), ['disk xvdaa', 'disk xvdb', 'vif 2', 'vif 10']);
  });
});
