import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, partValue, type Expect } from './helpers';

const cases: [string, Expect][] = [
  ['mac=00:16:3E:29:00:00,bridge=xenbr0', 'clean'],
  ['', 'clean'],
  ['bridge=xenbr0', 'clean'],
  ['mac=00-16-3e-01-02-03, bridge=br0, model=e1000, type=ioemu', 'clean'],
  ['script=vif-route,ip=10.0.0.2,gatewaydev=eth0,vifname=web1,backend=netdom', 'clean'],
  ['rate=10Mb/s@20ms', 'clean'],
  ['rate=250KB/s', 'clean'],
  ['rate=1GB/s@500us', 'clean'],
  ['rate=10Mb/s@1s', 'clean'],
  ['devid=1,mtu=9000', 'clean'],
  ['trusted', 'clean'],
  ['untrusted,bridge=xenbr1', 'clean'],
  ['vlan=10p/20/30-40u/100+10x3', 'clean'],
  ['forwarddev=eth1,colo_sock_mirror_id=m0,colo_checkpoint_port=9000', 'clean'],
  ['bridge=xenbr0,,', 'clean'],

  ['rate=10Mb/s@', { code: 'vif-rate', at: '@' }],
  ['rate=', { code: 'vif-rate' }],
  ['rate=@20ms', { code: 'vif-rate' }],
  ['rate=10mb/s', { code: 'vif-rate', at: '10mb/s' }],
  ['rate=10kB/s', { code: 'vif-rate', at: '10kB/s' }],
  ['rate=10 Mb/s', { code: 'vif-rate', at: '10 Mb/s' }],
  ['rate=0Mb/s', { code: 'vif-rate', at: '0Mb/s' }],
  ['rate=99999999999Mb/s', { code: 'vif-rate', at: '99999999999Mb/s' }],
  ['rate=10Mb/s@20ns', { code: 'vif-rate', at: '20ns' }],
  ['rate=10Mb/s@0ms', { code: 'vif-rate', at: '0ms' }],
  ['rate=10Mb/s@5000s', { code: 'vif-rate', at: '5000s' }],
  ['rate=10Mb/s@20', { code: 'vif-rate', sev: 'warning', at: '20' }],
  ['mac=00:16:3e:zz:00:00', { code: 'bad-mac', sev: 'warning', at: '00:16:3e:zz:00:00' }],
  ['mac=00:16:3e:100:00:00', { code: 'bad-mac', sev: 'warning' }],
  ['mac=00:16:3e:01', { code: 'bad-mac', sev: 'warning', at: '00:16:3e:01' }],
  ['mac=01:16:3e:01:02:03', { code: 'bad-mac', sev: 'warning' }],
  ['mac=00:16:3e:01:02:03:04', { code: 'bad-mac', sev: 'warning', at: ':04' }],
  ['type=pv', { code: 'bad-enum', sev: 'warning', at: 'pv' }],
  ['devid=abc', { code: 'spec-number', at: 'abc' }],
  ['mtu=', { code: 'spec-number' }],
  ['mtu=9000x', { code: 'spec-number', sev: 'warning', at: 'x' }],
  ['mtu=20', { code: 'vif-mtu', sev: 'warning' }],
  ['brdige=xenbr0', { code: 'spec-unknown-key', sev: 'warning', at: 'brdige' }],
  ['mac = 00:16:3e:01:02:03', { code: 'spec-unknown-key', sev: 'warning', at: 'mac ' }],
  ['netdev=eth0', { code: 'spec-deprecated', sev: 'warning', at: 'netdev' }],
  ['accel=foo', { code: 'spec-ignored', sev: 'warning' }],
  ['bridge=a,bridge=b', { code: 'spec-duplicate-key', sev: 'warning' }],
  ['vifname=a-very-long-interface-name', { code: 'vif-name', sev: 'warning' }],
  ['vlan=5000', { code: 'vif-vlan', sev: 'warning', at: '5000' }],
];

for (const [text, expected] of cases) {
  test(`vif ${JSON.stringify(text)}`, () => check('vif', text, expected));
}

test('vif unknown key suggests the closest key', async () => {
  const { parse } = await import('./helpers');
  const p = parse('vif', 'brdige=xenbr0').problems[0];
  assert.match(p.message, /did you mean "bridge"/);
  assert.equal(partValue('vif', ' mac=00:16:3e:01:02:03', 'mac'), '00:16:3e:01:02:03');
});
