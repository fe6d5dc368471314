// Preflight: which files and bridges a config names (table tests on the scanner), and the one
// `sh` program that checks them, run for real locally and through the fake ssh.

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  diskTarget,
  isBlocking,
  parsePreflightOutput,
  preflight,
  preflightMessage,
  scanHostReferences,
  vifBridge,
  type HostReference,
} from '../../../client/src/xl/preflight';
import { runXl, type RunOptions } from '../../../client/src/xl/runner';

describe('scanHostReferences', () => {
  test('a PVH guest with kernel, ramdisk, disks, an ISO and bridges, each on its line', () => {
    const text = [
      'name = "demo"',
      'kernel = "/guest/vmlinuz"  # the kernel',
      "ramdisk = '/guest/initrd.img'",
      'bootloader = "pygrub"',
      'disk = [ "phy:/dev/vg0/demo,xvda,w",',
      "         'format=raw, vdev=xvdb, access=rw, target=/srv/images/data, with comma.img',",
      "         '/srv/iso/debian.iso,raw,hdc,ro,devtype=cdrom',",
      "         ',raw,hdd,ro,devtype=cdrom',",
      "         'vdev=xvdc, script=block-iscsi, target=iqn.2001-05.com.example:disk' ]",
      "vif = [ 'mac=00:16:3e:00:00:01,bridge=xenbr0', 'bridge=ovsbr0.10,script=vif-openvswitch', 'ip=10.0.0.2' ]",
    ].join('\n');
    const found = scanHostReferences(text).map(({ kind, value, line, key }) => `${line}:${key}:${kind}:${value}`);
    assert.deepEqual(found, [
      '1:kernel:file:/guest/vmlinuz',
      '2:ramdisk:file:/guest/initrd.img',
      '4:disk:file:/dev/vg0/demo',
      '5:disk:file:/srv/images/data, with comma.img',
      '6:disk:file:/srv/iso/debian.iso',
      '9:vif:bridge:xenbr0',
      '9:vif:netdev:ovsbr0',
    ]);
  });

  const cases: { name: string; text: string; expected: string[] }[] = [
    { name: 'the last assignment wins', text: 'kernel = "/a"\nkernel = "/b"\n', expected: ['1:/b'] },
    { name: '+= appends to a list', text: 'disk = [ "/a.img,raw,xvda,w" ]\ndisk += [ "/b.img,raw,xvdb,w" ]\n', expected: ['0:/a.img', '1:/b.img'] },
    { name: 'an absolute bootloader is checked, a bare name is not', text: 'bootloader = "/usr/lib/xen/bin/pygrub"\n', expected: ['0:/usr/lib/xen/bin/pygrub'] },
    { name: 'a relative kernel is checked (xl resolves it against its cwd)', text: 'kernel = "vmlinuz"\n', expected: ['0:vmlinuz'] },
    { name: 'commented out', text: '# kernel = "/a"\n', expected: [] },
    { name: 'a # inside a string is not a comment', text: 'kernel = "/boot/a#b" # real comment\n', expected: ['0:/boot/a#b'] },
    { name: 'statements separated by ;', text: 'name="x"; kernel="/k"; ramdisk="/r"\n', expected: ['0:/k', '0:/r'] },
    { name: 'an unterminated string is skipped', text: 'kernel = "/k\nramdisk = "/r"\n', expected: ['1:/r'] },
    { name: 'escapes are decoded', text: 'kernel = "/a\\"b"\n', expected: ['0:/a"b'] },
    { name: 'numbers and nested lists are ignored', text: 'memory = 512\ncpus = [ [0, 1] ]\nkernel = "/k"\n', expected: ['2:/k'] },
    { name: 'garbage does not hang the scanner', text: ']]] = = [ "x" ,,, \n;;;\nkernel = "/k"', expected: ['2:/k'] },
    { name: 'an empty file', text: '', expected: [] },
  ];
  for (const { name, text, expected } of cases) {
    test(name, () => assert.deepEqual(scanHostReferences(text).map((r) => `${r.line}:${r.value}`), expected));
  }

  test('at most 200 references', () => {
    const text = `disk = [ ${Array.from({ length: 300 }, (_, i) => `"/d${i}.img,raw,xvda,w"`).join(', ')} ]`;
    assert.equal(scanHostReferences(text).length, 200);
  });
});

describe('diskTarget and vifBridge', () => {
  const disks: [string, string | undefined][] = [
    ['phy:/dev/vg/lv,xvda,w', '/dev/vg/lv'],
    ['file:/srv/a.img,xvda,w', '/srv/a.img'],
    ['tap:aio:/srv/a.img,xvda,w', '/srv/a.img'],
    ['/srv/a.qcow2,qcow2,xvda,rw', '/srv/a.qcow2'],
    ['format=qcow2, vdev=xvda, target=/srv/a.qcow2', '/srv/a.qcow2'],
    ['vdev=hdc, devtype=cdrom, target=', undefined],
    ['cdrom, vdev=hdc', undefined],
    ['target=rbd:pool/image, backendtype=qdisk, vdev=xvda', undefined],
    ['/dev/drbd0,raw,xvda,w,script=block-drbd', undefined],
    ['', undefined],
  ];
  for (const [spec, expected] of disks) test(`disk ${JSON.stringify(spec)}`, () => assert.equal(diskTarget(spec), expected));

  const vifs: [string, ReturnType<typeof vifBridge>][] = [
    ['bridge=xenbr0', { kind: 'bridge', value: 'xenbr0' }],
    ['mac=00:16:3e:01:02:03, bridge = br-lan ', { kind: 'bridge', value: 'br-lan' }],
    ['bridge=ovs0:10:20,script=vif-openvswitch', { kind: 'netdev', value: 'ovs0' }],
    ['bridge=../../etc', undefined],
    ['bridge=averyveryverylongname0', undefined],
    ['ip=10.0.0.1', undefined],
  ];
  for (const [spec, expected] of vifs) test(`vif ${JSON.stringify(spec)}`, () => assert.deepEqual(vifBridge(spec), expected));
});

describe('the preflight program', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xl-preflight-test-'));
    writeFileSync(path.join(dir, 'vmlinuz'), 'k');
    mkdirSync(path.join(dir, 'locked'));
    writeFileSync(path.join(dir, 'locked', 'inside.img'), '');
    chmodSync(path.join(dir, 'locked'), 0o600);
    symlinkSync(path.join(dir, 'gone'), path.join(dir, 'dangling'));
    chmodSync(path.resolve('test/fixtures/fake-xl/ssh'), 0o755);
  });
  after(() => {
    chmodSync(path.join(dir, 'locked'), 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  const refs = (): HostReference[] => [
    { kind: 'file', value: path.join(dir, 'vmlinuz'), line: 1, key: 'kernel' },
    { kind: 'file', value: path.join(dir, 'no such-initrd $(id)'), line: 2, key: 'ramdisk' },
    { kind: 'file', value: 'vmlinuz', line: 3, key: 'kernel' },
    { kind: 'file', value: path.join(dir, 'dangling'), line: 4, key: 'disk' },
    { kind: 'file', value: path.join(dir, 'locked', 'inside.img'), line: 5, key: 'disk' },
    { kind: 'bridge', value: 'lo', line: 6, key: 'vif' },
    { kind: 'bridge', value: 'xenbr-none', line: 7, key: 'vif' },
    { kind: 'netdev', value: 'lo', line: 8, key: 'vif' },
  ];
  const isRoot = process.getuid?.() === 0;
  const expected = (): string[] => [
    '2 missing',
    '4 missing',
    ...(isRoot ? [] : ['5 unreadable']), // root may look into any folder
    '6 not-bridge',
    '7 missing',
  ];

  for (const [where, target] of [
    ['locally', { kind: 'local' } as const],
    ['over ssh', { kind: 'ssh', destination: 'root@dom0', controlDir: '/tmp' } as const],
  ] as const) {
    test(`finds what is missing ${where}, relative paths against the cwd`, async () => {
      const command = { ...preflight(refs()), cwd: dir };
      const options: RunOptions = { target, xlPath: '/nonexistent/xl', sudo: 'always', timeoutMs: 10_000, sshPath: path.resolve('test/fixtures/fake-xl/ssh') };
      // Over ssh the cwd is the login folder, as for xl: run the relative check from there.
      const findings = await runXl(target.kind === 'ssh' ? { ...command, cwd: undefined, args: command.args.map((a) => (a === 'vmlinuz' ? path.join(dir, 'vmlinuz') : a)) } : command, options);
      assert.deepEqual(
        findings.map((finding) => `${finding.reference.line} ${finding.status}`),
        expected(),
      );
    });
  }

  test('messages name the host and the path; only missing things block a start', () => {
    const reference: HostReference = { kind: 'file', value: '/guest/no-such-vmlinux', line: 3, key: 'kernel' };
    assert.equal(preflightMessage({ reference, status: 'missing' }, 'xen-test'), 'on xen-test: /guest/no-such-vmlinux does not exist');
    assert.equal(preflightMessage({ reference: { ...reference, kind: 'bridge', value: 'xenbr9' }, status: 'missing' }, 'xen-test'), 'on xen-test: bridge xenbr9 does not exist');
    assert.match(preflightMessage({ reference: { ...reference, value: 'vmlinuz' }, status: 'missing' }, 'xen-test'), /^on xen-test: vmlinuz does not exist \(a relative path: .*login folder over ssh\)$/);
    assert.equal(isBlocking({ reference, status: 'missing' }), true);
    assert.equal(isBlocking({ reference, status: 'not-bridge' }), true);
    assert.equal(isBlocking({ reference, status: 'unreadable' }), false);
    assert.equal(isBlocking({ reference, status: 'unknown' }), false);
  });

  test('output lines that are not findings are ignored', () => {
    const reference: HostReference = { kind: 'file', value: '/a', line: 0, key: 'kernel' };
    assert.deepEqual(parsePreflightOutput('motd text\n1 missing\n2 missing\n1 exploded\n', [reference]), [{ reference, status: 'missing' }]);
  });
});
