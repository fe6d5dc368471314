import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, parse, partValue, type Expect } from './helpers';

const cases: [string, Expect][] = [
  // Valid specs from the walkthrough, the man pages and libxlu's own test list.
  ['phy:/dev/vg_c6xendom0/c68-x8664-hvm,xvda,rw', 'clean'],
  ['file:/opt/isos/CentOS-6.8-x86_64-minimal.iso,xvdb:cdrom,r', 'clean'],
  ['format=raw, vdev=xvda, access=rw, target=/dev/vg/lv', 'clean'],
  ['/dev/vg/guest-volume,,hda', 'clean'],
  ['/dev/vg/guest-volume,raw,hda,rw', 'clean'],
  ['tap:qcow2:/srv/img.qcow2,xvda,w', 'clean'],
  ['tap2:tapdisk:aio:/srv/img.raw,xvda,w', 'clean'],
  ['nbd:host:1234,xvda', 'clean'],
  ['vdev=xvda,target=/a,b,c', 'clean'],
  [',,hdc:cdrom', 'clean'],
  [',hdc:cdrom,r', 'clean'],
  ['vdev=xvda,devtype=cdrom', 'clean'],
  ['vdev=hdc,cdrom', 'clean'],
  ['/img,raw,xvda,w,cdrom', { code: 'disk-cdrom-rw', sev: 'warning', at: 'w' }],
  ['vdev=xvda, backendtype=qdisk, format=qcow2, target=/var/lib/xen/images/a.qcow2', 'clean'],
  ['vdev=xvda,script=block-iscsi,target=iqn.2001-05.com.example:disk', 'clean'],
  ['vdev=xvda,discard,trusted,direct-io-safe,target=/dev/sdb', 'clean'],
  ['vdev=xvda,no-discard,untrusted,specification=virtio,grant_usage=1,target=/dev/sdb', 'clean'],
  ['vdev=xvda,colo,colo-host=10.0.0.2,colo-port=9000,colo-export=d0,active-disk=/a,hidden-disk=/h,target=/dev/sdb', 'clean'],
  ['/dev/vg/lv,raw,xvdaa15', 'clean'],
  ['/dev/vg/lv,raw,d0p1', 'clean'],
  ['/dev/vg/lv,raw,51712', 'clean'],
  ['/dev/vg/lv,raw,sdp15', 'clean'],
  ['/x,,xvda,w,', 'clean'],

  // Errors, with the exact offending range.
  ['phy:/dev/vg/lv,xvda,rwx', { code: 'bad-enum', at: 'rwx' }],
  ['/dev/vg/lv,xvda,w', { code: 'bad-enum', at: 'xvda' }],
  ['/x', { code: 'disk-spec', at: [0, 2] }],
  ['', { code: 'disk-spec' }],
  ['/x,,xvda,w,extra', { code: 'disk-spec', at: 'extra' }],
  ['target=/a:b,c,vdev=xvda', { code: 'disk-spec' }],
  ['/x,RAW,xvda', { code: 'bad-enum', at: 'RAW' }],
  ['/x,raw,xvda,RW', { code: 'bad-enum', at: 'RW' }],
  ['/a=b,raw,xvda', { code: 'disk-spec', at: '=b,raw,xvda' }],
  ['vdev=xvda,grant_usage=2,target=/img', { code: 'disk-spec', at: '=2,target=/img' }],
  ['foo:/x,xvda', { code: 'disk-spec', at: 'foo:' }],
  ['Phy:/dev/sda,xvda,w', { code: 'bad-enum', at: 'xvda' }],
  ['vdev=xvda,format=qcow3,target=/x', { code: 'bad-enum', at: 'qcow3' }],
  ['vdev=xvda,devtype=floppy,target=/x', { code: 'bad-enum', at: 'floppy' }],
  ['vdev=xvda,backendtype=blktap,target=/x', { code: 'bad-enum', at: 'blktap' }],
  ['vdev=xvda,specification=scsi,target=/x', { code: 'bad-enum', at: 'scsi' }],
  ['vdev=xvda,colo-port=abc,target=/x', { code: 'bad-enum', at: 'abc' }],
  ['vdev=xvda,vdev=xvdb,target=/x', { code: 'disk-spec', at: 'xvdb' }],
  ['raw:/x,xvda,w,format=qcow2', { code: 'disk-spec', at: 'qcow2' }],
  ['vdev=xvda,color=red,target=/x', { code: 'spec-unknown-key', at: 'color' }],
  ['vdev=xvda,acess=ro,target=/x', { code: 'spec-unknown-key', at: 'acess' }],
  ['/x,,xvda:floppy', { code: 'bad-enum', at: 'floppy' }],
  ['/x,,xvd0', { code: 'disk-vdev', at: 'xvd0' }],
  ['/x,,hde', { code: 'disk-vdev', at: 'hde' }],
  ['/x,,xvda01', { code: 'disk-vdev', at: 'xvda01' }],
  ['vdev=,target=/x', { code: 'disk-vdev' }],
  ['vdev=xvda', { code: 'disk-spec', at: [0, 9] }],
];

for (const [text, expected] of cases) {
  test(`disk ${JSON.stringify(text)}`, () => check('disk', text, expected));
}

test('disk resolves positional fields', () => {
  const t = 'phy:/dev/vg/lv,xvda,rw';
  assert.equal(partValue('disk', t, 'prefix'), 'phy');
  assert.equal(partValue('disk', t, 'target'), '/dev/vg/lv');
  assert.equal(partValue('disk', t, 'vdev'), 'xvda');
  assert.equal(partValue('disk', t, 'access'), 'rw');
  assert.equal(partValue('disk', 'file:/iso,xvdb:cdrom,r', 'devtype'), 'cdrom');
  assert.equal(partValue('disk', 'tap:qcow2:/srv/a.img,xvda,w', 'format'), 'qcow2');
  assert.equal(partValue('disk', 'vdev=xvda,target=/a,b,c', 'target'), '/a,b,c');
  assert.equal(partValue('disk', 'vdev=xvda,target=/a,b,', 'target'), '/a,b');
  assert.equal(partValue('disk', 'nbd:host:1234,xvda', 'target'), 'host:1234');
  assert.equal(partValue('disk', '/x ,raw,xvda', 'target'), '/x ');
});

test('disk part offsets point into the text', () => {
  const t = 'format=raw, vdev=xvda, access=rw, target=/dev/vg/lv';
  for (const p of parse('disk', t).parts) {
    assert.equal(t.slice(p.valueStart, p.end), p.value, p.key);
    assert.ok(p.explicitKey);
  }
});
