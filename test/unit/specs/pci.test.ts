import { test } from 'node:test';
import { check, type Expect } from './helpers';

const pci: [string, Expect][] = [
  ['0000:03:00.0', 'clean'],
  ['03:00.0', 'clean'],
  ['1:0.0', 'clean'],
  ['03:00.*', 'clean'],
  ['0000:03:00.0@5', 'clean'],
  ['0000:03:00.0@1f,permissive=1,msitranslate=1,seize=1,power_mgmt=1,rdm_policy=strict', 'clean'],
  ['03:00.0,rdm_policy=RELAXED', 'clean'],
  ['bdf=0000:03:00.0,vslot=3', 'clean'],
  ['name=gpu0', 'clean'],
  ['name=gpu0,permissive=1', 'clean'],

  ['01:00', { code: 'pci-bdf', at: '01:00' }],
  ['0000:03:00.8', { code: 'pci-bdf', at: '0000:03:00.8' }],
  ['0000:03:20.0', { code: 'pci-bdf', at: '0000:03:20.0' }],
  ['10000:03:00.0', { code: 'pci-bdf' }],
  ['0000:100:00.0', { code: 'pci-bdf' }],
  ['garbage', { code: 'pci-bdf', at: 'garbage' }],
  ['0000:03:00.0@20', { code: 'pci-vslot', at: '@20' }],
  ['0000:03:00.0, permissive=1', { code: 'spec-unknown-key', at: ' permissive' }],
  ['0000:03:00.0,permisive=1', { code: 'spec-unknown-key', at: 'permisive' }],
  ['0000:03:00.0,vdevfn=0x28', { code: 'spec-unknown-key', at: 'vdevfn' }],
  ['0000:03:00.0,rdm_policy=loose', { code: 'bad-enum', at: 'loose' }],
  ['0000:03:00.0,vslot=40', { code: 'pci-vslot', at: '40' }],
  ['0000:03:00.0,name=gpu', { code: 'pci-spec' }],
  ['permissive=1', { code: 'pci-spec' }],
  ['', { code: 'pci-spec' }],
  ['0000:03:00.0x', { code: 'pci-spec', at: 'x' }],
  ['bdf=03:00', { code: 'pci-bdf', at: '03:00' }],
  ['0000:03:00.0,permissive=yes', { code: 'spec-number', sev: 'warning', at: 'yes' }],
  ['0000:03:00.0,seize', { code: 'pci-spec', at: 'seize' }],
];
for (const [text, expected] of pci) test(`pci ${JSON.stringify(text)}`, () => check('pci', text, expected));

const rdm: [string, Expect][] = [
  ['strategy=host', 'clean'],
  ['strategy=host,policy=relaxed', { code: 'rdm-ignored', sev: 'warning', at: 'policy=relaxed' }],
  ['policy=strict', { code: 'rdm-ignored', sev: 'warning' }],
  ['strategy=none', { code: 'bad-enum', sev: 'warning', at: 'none' }],
  ['strategy=host,', { code: 'rdm-ignored', sev: 'warning' }],
  ['strategy=host,policy=foo', { code: 'bad-enum', sev: 'warning', at: 'foo' }],
  ['stratgy=host', { code: 'spec-unknown-key', sev: 'warning', at: 'stratgy' }],
  ['', { code: 'rdm-ignored', sev: 'warning' }],
];
for (const [text, expected] of rdm) test(`rdm ${JSON.stringify(text)}`, () => check('rdm', text, expected));
