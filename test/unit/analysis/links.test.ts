// Document link candidates: kernel/ramdisk/bootloader paths, disk targets and serial files.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkCandidates } from '../../../server/src/analysis/links';
import { parseConfig } from '../../../server/src/syntax';

function check(text: string, expected: string[]): void {
  assert.deepEqual(linkCandidates(parseConfig(text)).map((link) => `${text.slice(link.start, link.end)}@${link.start} ${link.path}`), expected);
}

test('paths of path keys, disk targets and serial files', () => {
  check(
    [
      'kernel = "/boot/vmlinuz"',
      "ramdisk = '/boot/initrd.img'",
      'bootloader = "pygrub"',
      "disk = [ 'file:/opt/isos/a.iso,xvdb:cdrom,r', 'vdev=xvda, target=/srv/a.img' ]",
      'serial = "file:/var/log/guest.log"',
      '',
    ].join('\n'),
    [
      '/boot/vmlinuz@10 /boot/vmlinuz',
      '/boot/initrd.img@36 /boot/initrd.img',
      '/opt/isos/a.iso@91 /opt/isos/a.iso',
      '/srv/a.img@141 /srv/a.img',
      '/var/log/guest.log@170 /var/log/guest.log',
    ],
  );
});

test('escapes: the link covers the raw text', () => {
  check('kernel = "/boot/a\\\\b"\n', ['/boot/a\\\\b@10 /boot/a\\b']);
});
