// Parsers of xl's table outputs, fed the formats from xl-commands.md (fixtures generated with
// xl's own printf formats) plus hostile and broken input.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { XlError } from '../../../client/src/xl/errors';
import {
  decodeVdev,
  domainStateFromFlags,
  parseBlockList,
  parseInfo,
  parseList,
  parseNetworkList,
  parseUptime,
  parseVcpuList,
} from '../../../client/src/xl/parsers';

function fixture(name: string): string {
  return readFileSync(path.resolve('test/fixtures/xl', name), 'utf8');
}

/** Asserts that parsing fails with a bad-output XlError (and nothing else). */
function checkBadOutput(parse: (text: string) => unknown, text: string): void {
  assert.throws(
    () => parse(text),
    (error: unknown) => error instanceof XlError && error.kind === 'bad-output' && error.message.length > 0,
  );
}

const GARBAGE = [
  'hello world',
  'Name\n',
  '\u0000\u0001\u0002',
  '<html><body>502 Bad Gateway</body></html>',
  '{"domid": 1}',
  'Name ID Mem VCPUs State Time(s)\nweb01 x 1 1 r----- 1.0',
  'Name ID Mem VCPUs State Time(s)\nweb01 1 1 1 rr 1.0',
  'Name ID Mem VCPUs State Time(s)\n1 1 1 r----- 1.0',
  ' '.repeat(100_000) + 'x',
];

describe('parseList', () => {
  test('reads the documented example', () => {
    assert.deepEqual(parseList(fixture('list.txt')), [
      { name: 'Domain-0', id: 0, memoryMiB: 4096, vcpus: 8, state: 'running', flags: 'r-----', cpuTimeSeconds: 12345.6 },
      { name: 'web01', id: 3, memoryMiB: 1024, vcpus: 2, state: 'blocked', flags: '-b----', cpuTimeSeconds: 87.2 },
      { name: 'db-test', id: 7, memoryMiB: 2048, vcpus: 4, state: 'paused', flags: '--p---', cpuTimeSeconds: 0 },
      {
        name: 'crashed',
        id: 9,
        memoryMiB: 512,
        vcpus: 1,
        state: 'crashed',
        flags: '---sc-',
        shutdownReason: 'crash',
        cpuTimeSeconds: 5.3,
      },
    ]);
  });

  test('names with spaces, unicode, 200 characters, digits and a leading dash', () => {
    const domains = parseList(fixture('list-odd-names.txt'));
    assert.deepEqual(
      domains.map((domain) => [domain.name, domain.id, domain.state]),
      [
        ['Domain-0', 0, 'running'],
        ['my web server', 4, 'blocked'],
        ['gäst-ünïcødé-虚拟机', 5, 'idle'],
        ['vm-' + 'x'.repeat(197), 6, 'shutdown'],
        ['trailing 1 2 3 r----- 4.0', 12, 'dying'],
        ['-leading-dash', 13, 'blocked'],
      ],
    );
    assert.equal(domains[3].name.length, 200);
    assert.equal(domains[3].shutdownReason, 'reboot');
    assert.equal(domains[4].cpuTimeSeconds, 123456789);
  });

  test('empty output and header-only output are empty lists', () => {
    assert.deepEqual(parseList(''), []);
    assert.deepEqual(parseList('\n\n'), []);
    assert.deepEqual(parseList('Name                                        ID   Mem VCPUs\tState\tTime(s)\n'), []);
  });

  test('CRLF line ends are tolerated', () => {
    assert.equal(parseList(fixture('list.txt').replace(/\n/g, '\r\n')).length, 4);
  });

  test('garbage is bad-output', () => {
    for (const text of GARBAGE) checkBadOutput(parseList, text);
  });
});

describe('domainStateFromFlags', () => {
  const cases: Array<[string, string]> = [
    ['r-----', 'running'],
    ['-b----', 'blocked'],
    ['------', 'idle'],
    ['--p---', 'paused'],
    ['-bp---', 'paused'],
    ['---s--', 'shutdown'],
    ['---ss-', 'shutdown'],
    ['---sc-', 'crashed'],
    ['-----d', 'dying'],
    ['---scd', 'dying'],
  ];
  for (const [flags, state] of cases) {
    test(`${flags} → ${state}`, () => assert.equal(domainStateFromFlags(flags), state));
  }
});

describe('parseInfo', () => {
  test('reads keys, numbers and lists; values may contain colons', () => {
    const info = parseInfo(fixture('info.txt'));
    assert.equal(info.host, 'dom0host');
    assert.equal(info.nrCpus, 8);
    assert.equal(info.cpuMhz, 2904.002);
    assert.equal(info.totalMemoryMiB, 16252);
    assert.equal(info.freeMemoryMiB, 10240);
    assert.equal(info.xenVersion, '4.17.3');
    assert.equal(info.xenScheduler, 'credit2');
    assert.deepEqual(info.virtCaps.slice(0, 3), ['pv', 'hvm', 'hvm_directio']);
    assert.ok(info.xenCaps.includes('hvm-3.0-x86_64'));
    assert.equal(info.raw.hw_caps, 'bfebfbff:77fafbff:2c100800:00000121:0000000f:009c6fbf:00000000:00000100');
    assert.equal(info.raw.xen_changeset, '');
    assert.equal(info.raw.cc_compile_date, 'Mon Feb  5 10:00:00 UTC 2024');
  });

  test('the -n topology tables do not disturb the key lines', () => {
    const info = parseInfo(fixture('info-numa.txt'));
    assert.equal(info.xenVersion, '4.17.3');
    assert.equal(info.raw.cpu_topology, '');
    assert.equal(info.raw.cpu, undefined);
  });

  test('xen_version is rebuilt from major, minor and extra when absent', () => {
    const text = 'xen_major              : 4\nxen_minor              : 19\nxen_extra              : -rc\n';
    assert.equal(parseInfo(text).xenVersion, '4.19-rc');
  });

  test('garbage and empty output are bad-output', () => {
    for (const text of ['', ...GARBAGE]) checkBadOutput(parseInfo, text);
  });
});

describe('parseVcpuList', () => {
  test('reads online and offline vCPUs with hard and soft affinity', () => {
    assert.deepEqual(parseVcpuList(fixture('vcpu-list.txt')), [
      {
        domainName: 'Domain-0',
        domainId: 0,
        vcpu: 0,
        cpu: 2,
        state: 'running',
        flags: 'r--',
        cpuTimeSeconds: 1234.5,
        hardAffinity: 'all',
        softAffinity: 'all',
      },
      {
        domainName: 'web01',
        domainId: 3,
        vcpu: 0,
        cpu: 5,
        state: 'blocked',
        flags: '-b-',
        cpuTimeSeconds: 44.1,
        hardAffinity: '2-3',
        softAffinity: 'all',
      },
      {
        domainName: 'web01',
        domainId: 3,
        vcpu: 1,
        state: 'offline',
        flags: '--p',
        cpuTimeSeconds: 0,
        hardAffinity: '2-3',
        softAffinity: 'all',
      },
      {
        domainName: 'my web server',
        domainId: 4,
        vcpu: 0,
        cpu: 1,
        state: 'runnable',
        flags: '---',
        cpuTimeSeconds: 3,
        hardAffinity: '0-3,6',
        softAffinity: 'none',
      },
    ]);
  });

  test('older output without soft affinity', () => {
    const text = 'Name ID VCPU CPU State Time(s) CPU Affinity\nweb 1 0 3 -b- 1.0 all\n';
    const [vcpu] = parseVcpuList(text);
    assert.equal(vcpu.hardAffinity, 'all');
    assert.equal(vcpu.softAffinity, undefined);
  });

  test('empty is empty; garbage is bad-output', () => {
    assert.deepEqual(parseVcpuList(''), []);
    for (const text of GARBAGE) checkBadOutput(parseVcpuList, text);
  });
});

describe('parseUptime', () => {
  test('reads H:MM:SS and day forms', () => {
    assert.deepEqual(parseUptime(fixture('uptime.txt')), [
      { name: 'Domain-0', id: 0, uptimeSeconds: 3 * 86400 + 4 * 3600 + 5 * 60 + 6 },
      { name: 'web01', id: 3, uptimeSeconds: 3723 },
      { name: 'one day', id: 5, uptimeSeconds: 86400 + 59 },
      { name: 'big', id: 6, uptimeSeconds: 123 * 3600 + 45 * 60 + 7 },
    ]);
  });

  test('a name ending in digits is not mistaken for the id', () => {
    const text = 'Name ID Uptime\nvm 12                                3  1:00:00\n';
    assert.deepEqual(parseUptime(text), [{ name: 'vm 12', id: 3, uptimeSeconds: 3600 }]);
  });

  test('empty is empty; garbage is bad-output', () => {
    assert.deepEqual(parseUptime(''), []);
    for (const text of [...GARBAGE, 'Name ID Uptime\nweb 3 yesterday']) checkBadOutput(parseUptime, text);
  });
});

describe('parseNetworkList', () => {
  test('reads interfaces and xenbus states', () => {
    const [first, second] = parseNetworkList(fixture('network-list.txt'));
    assert.deepEqual(first, {
      index: 0,
      backendDomid: 0,
      mac: '00:16:3e:5a:01:02',
      handle: 0,
      state: 4,
      stateName: 'connected',
      eventChannel: 19,
      txRingRef: 768,
      rxRingRef: 769,
      backendPath: '/local/domain/0/backend/vif/3/0',
    });
    assert.equal(second.stateName, 'closed');
    assert.equal(second.txRingRef, -1);
  });

  test('header only or empty is empty; garbage is bad-output', () => {
    assert.deepEqual(parseNetworkList(fixture('network-list.txt').split('\n')[0]), []);
    assert.deepEqual(parseNetworkList(''), []);
    for (const text of GARBAGE) checkBadOutput(parseNetworkList, text);
  });
});

describe('parseBlockList', () => {
  test('reads devices and decodes vdev numbers', () => {
    const devices = parseBlockList(fixture('block-list.txt'));
    assert.deepEqual(devices[0], {
      vdev: 51712,
      vdevName: 'xvda',
      backendDomid: 0,
      handle: 3,
      state: 4,
      stateName: 'connected',
      eventChannel: 18,
      ringRef: 8,
      backendPath: '/local/domain/0/backend/vbd/3/51712',
    });
    assert.deepEqual(
      devices.map((device) => device.vdevName),
      ['xvda', 'xvdb', 'hdc'],
    );
    assert.equal(devices[2].eventChannel, -1);
  });

  test('empty is empty; garbage is bad-output', () => {
    assert.deepEqual(parseBlockList(''), []);
    for (const text of GARBAGE) checkBadOutput(parseBlockList, text);
  });
});

describe('decodeVdev', () => {
  const cases: Array<[number, string | undefined]> = [
    [51712, 'xvda'],
    [51713, 'xvda1'],
    [51728, 'xvdb'],
    [(202 << 8) | (15 << 4), 'xvdp'],
    [(1 << 28) | (26 << 8), 'xvdaa'],
    [(1 << 28) | (27 << 8) | 2, 'xvdab2'],
    [768, 'hda'],
    [832, 'hdb'],
    [5632, 'hdc'],
    [2048, 'sda'],
    [2065, 'sdb1'],
    [12345, undefined],
    [-1, undefined],
  ];
  for (const [vdev, name] of cases) {
    test(`${vdev} → ${name}`, () => assert.equal(decodeVdev(vdev), name));
  }
});
