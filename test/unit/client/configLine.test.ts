// Open Config Line: the string of the `disk` / `vif` list that names a device, in configs as
// people write them (one line, several lines, comments, the last assignment winning).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { locateConfigEntry } from '../../../client/src/commands/configLine';

function selected(text: string, span: { start: number; end: number } | undefined): string | undefined {
  return span === undefined ? undefined : text.slice(span.start, span.end);
}

describe('locating a device in its config', () => {
  test('the rig\'s HVM config: the disk by target, the CD by its image, the NIC by MAC', () => {
    const text = readFileSync(path.resolve('test/fixtures/xl/rig-guest-hvm.cfg'), 'utf8');
    const disk = locateConfigEntry(text, { key: 'disk', needles: ['/dev/xenvg/rig-hvm', 'hda'] });
    assert.equal(disk?.matched, 'entry');
    assert.match(selected(text, disk) ?? '', /^'.*\/dev\/xenvg\/rig-hvm.*'$|^".*\/dev\/xenvg\/rig-hvm.*"$/);
    const cd = locateConfigEntry(text, { key: 'disk', needles: ['/opt/isos/xenxl-installer.iso', 'hdc'] });
    assert.match(selected(text, cd) ?? '', /xenxl-installer\.iso/);
    const nic = locateConfigEntry(text, { key: 'vif', needles: ['00:16:3E:58:DA:F9'], index: 0, ignoreCase: true });
    assert.equal(nic?.matched, 'entry');
    assert.match(selected(text, nic) ?? '', /00:16:3e:58:da:f9/i);
  });

  test('multi-line lists, comments, both quotes, and the last assignment', () => {
    const text = [
      '# disk = [ "/dev/vg/commented" ]',
      "disk = [ 'phy:/dev/vg/old,xvda,w' ]",
      'disk = [',
      "  'format=raw, vdev=xvda, access=rw, target=/dev/vg/web',  # the root disk",
      '  "/dev/vg/web2,,xvdb,rw", # a second one',
      "  ',hdc:cdrom,r'",
      ']',
      "vif = [ 'bridge=xenbr0', 'mac=00:16:3e:00:00:02,bridge=xenbr1' ]",
      'memory = 512',
    ].join('\n');
    assert.equal(selected(text, locateConfigEntry(text, { key: 'disk', needles: ['/dev/vg/web'] })), "'format=raw, vdev=xvda, access=rw, target=/dev/vg/web'");
    assert.equal(selected(text, locateConfigEntry(text, { key: 'disk', needles: ['/dev/vg/web2'] })), '"/dev/vg/web2,,xvdb,rw"');
    // The old assignment is not what xl reads.
    assert.equal(locateConfigEntry(text, { key: 'disk', needles: ['/dev/vg/old'] })?.matched, 'key');
    // An empty CD drive by its vdev; the commented-out line is not a statement.
    assert.equal(selected(text, locateConfigEntry(text, { key: 'disk', needles: ['', 'hdc'] })), "',hdc:cdrom,r'");
    assert.equal(locateConfigEntry(text, { key: 'disk', needles: ['/dev/vg/commented'] })?.matched, 'key');
    assert.equal(selected(text, locateConfigEntry(text, { key: 'disk', needles: ['/dev/vg/commented'] })), 'disk');
    assert.equal(locateConfigEntry(text, { key: 'disk', needles: ['/dev/vg/commented'] })?.start, text.indexOf('disk = [\n'));
    // A NIC without a MAC in the file: by its device id.
    assert.equal(selected(text, locateConfigEntry(text, { key: 'vif', needles: ['00:16:3e:aa:bb:cc'], index: 0, ignoreCase: true })), "'bridge=xenbr0'");
    assert.equal(selected(text, locateConfigEntry(text, { key: 'vif', needles: ['00:16:3E:00:00:02'], index: 0, ignoreCase: true })), "'mac=00:16:3e:00:00:02,bridge=xenbr1'");
    assert.equal(locateConfigEntry(text, { key: 'vif', needles: ['x'], index: 5 })?.matched, 'key');
  });

  test('a path is matched as a whole item, not as the start of a longer one', () => {
    const text = "disk = [ '/dev/vg/web2,raw,xvda,w', '/dev/vg/web,raw,xvdb,w' ]\n";
    assert.equal(selected(text, locateConfigEntry(text, { key: 'disk', needles: ['/dev/vg/web'] })), "'/dev/vg/web,raw,xvdb,w'");
  });

  test('no such key: undefined; broken text never throws', () => {
    assert.equal(locateConfigEntry('memory = 512\n', { key: 'vif', needles: ['x'] }), undefined);
    for (const text of ['disk = [ "unterminated', 'disk = ', '= = =', "disk = [ 'a' ] ] ]\nvif=['x'", '\0\0disk=\'a\'']) {
      assert.doesNotThrow(() => locateConfigEntry(text, { key: 'disk', needles: ['a'] }), JSON.stringify(text));
    }
    assert.equal(selected('\0\0\ndisk=\'a\'', locateConfigEntry('\0\0\ndisk=\'a\'', { key: 'disk', needles: ['a'] })), "'a'");
  });
});
