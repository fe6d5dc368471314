// Delete Guest's pure part: reading disks from config text and from `xl list -l`, which disks may
// be offered (never a CD/ISO, a read-only disk, a shared one or a device that is not an LV), the
// order of the steps, and the words that name exactly what is destroyed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  classifyDisks,
  deleteConfirmation,
  deleteFailureMessage,
  deleteSteps,
  diskFromSpec,
  disksFromConfigText,
  disksFromRecords,
  findVolume,
  type GuestDisk,
  type VolumeFacts,
} from '../../../client/src/commands/deletePlan';
import { parseListLong } from '../../../client/src/xl';

const volumes: VolumeFacts[] = [
  { name: 'web', vg: 'xenvg', path: '/dev/xenvg/web', sizeBytes: 20 * 1024 ** 3 },
  { name: 'web-swap', vg: 'xen-vg', path: '/dev/xen-vg/web-swap' },
  { name: 'db', vg: 'xenvg', path: '/dev/xenvg/db' },
];

describe('disks of a config text', () => {
  test('key=value and positional specs, CD drives in every spelling, read-only access', () => {
    const cases: [string, GuestDisk][] = [
      ['format=raw, vdev=hda, access=rw, target=/dev/xenvg/web', { target: '/dev/xenvg/web', vdev: 'hda', readOnly: false, cdrom: false }],
      ['format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/opt/isos/x.iso', { target: '/opt/isos/x.iso', vdev: 'hdc', readOnly: true, cdrom: true }],
      ['/dev/xenvg/web,raw,xvda,w', { target: '/dev/xenvg/web', vdev: 'xvda', readOnly: false, cdrom: false }],
      ['/srv/img/web.img,,xvdb,r', { target: '/srv/img/web.img', vdev: 'xvdb', readOnly: true, cdrom: false }],
      ['phy:/dev/xenvg/web,xvda,w', { target: '/dev/xenvg/web', vdev: 'xvda', readOnly: false, cdrom: false }],
      ['file:/opt/isos/x.iso,hdc:cdrom,r', { target: '/opt/isos/x.iso', vdev: 'hdc', readOnly: true, cdrom: true }],
      ['/srv/x.iso,raw,hdc,w,cdrom', { target: '/srv/x.iso', vdev: 'hdc', readOnly: true, cdrom: true }],
      [',,hdc:cdrom', { vdev: 'hdc', readOnly: true, cdrom: true }],
      ['vdev=xvda, access=rw, target=/srv/a,b.img', { target: '/srv/a,b.img', vdev: 'xvda', readOnly: false, cdrom: false }],
      ['vdev=xvda, script=block-iscsi, target=iqn.x:y', { vdev: 'xvda', readOnly: false, cdrom: false }],
    ];
    for (const [spec, expected] of cases) assert.deepEqual(diskFromSpec(spec), expected, spec);
  });

  test('the disk list xl reads: comments, both quotes, +=', () => {
    const text = ["disk = [ 'phy:/dev/xenvg/old,xvda,w' ]", 'disk = [', '  "/dev/xenvg/web,raw,xvda,w", # root', "  ',,hdc:cdrom',", ']', 'disk += [ "/srv/img/data.img,raw,xvdb,w" ]', ''].join('\n');
    assert.deepEqual(disksFromConfigText(text).map((disk) => disk.target ?? `(empty ${disk.vdev})`), ['/dev/xenvg/web', '(empty hdc)', '/srv/img/data.img']);
  });
});

describe('disks of a running guest', () => {
  test('from captured xl list -l: readwrite 1 is writable, an omitted readwrite is read-only', () => {
    const [, demo] = parseListLong(readFileSync('test/fixtures/xl/list-long.json', 'utf8'));
    assert.deepEqual(disksFromRecords(demo.disks), [
      { target: '/dev/vg/demo', vdev: 'xvda', readOnly: false, cdrom: false },
      { target: '/srv/iso/debian.iso', vdev: 'xvdb', readOnly: true, cdrom: true },
    ]);
  });
});

describe('which disks are offered', () => {
  const disk = (target: string, extra: Partial<GuestDisk> = {}): GuestDisk => ({ target, readOnly: false, cdrom: false, ...extra });

  test('its own writable volumes and image files; never CDs, ISOs, read-only, shared or foreign devices', () => {
    const verdicts = classifyDisks(
      [
        disk('/dev/xenvg/web'),
        disk('/dev/mapper/xen--vg-web--swap'),
        disk('/srv/img/web.img'),
        disk('/opt/isos/x.iso', { cdrom: true, readOnly: true }),
        disk('/srv/img/installer.ISO'),
        disk('/srv/img/base.img', { readOnly: true }),
        disk('/dev/xenvg/db'),
        disk('/dev/sdb'),
        disk('images/rel.img'),
        disk('/dev/xenvg/web'),
      ],
      volumes,
      new Map([['/dev/xenvg/db', 'the guest "db"']]),
    );
    assert.deepEqual(verdicts, [
      { target: '/dev/xenvg/web', removable: { kind: 'volume', path: '/dev/xenvg/web', vg: 'xenvg', lv: 'web', sizeBytes: 20 * 1024 ** 3 } },
      { target: '/dev/mapper/xen--vg-web--swap', removable: { kind: 'volume', path: '/dev/xen-vg/web-swap', vg: 'xen-vg', lv: 'web-swap' } },
      { target: '/srv/img/web.img', removable: { kind: 'image', path: '/srv/img/web.img' } },
      { target: '/opt/isos/x.iso', kept: 'a CD drive' },
      { target: '/srv/img/installer.ISO', kept: 'an ISO image' },
      { target: '/srv/img/base.img', kept: 'read-only' },
      { target: '/dev/xenvg/db', kept: 'also used by the guest "db"' },
      { target: '/dev/sdb', kept: 'a device that is not a logical volume' },
      { target: 'images/rel.img', kept: 'a relative path' },
    ]);
  });

  test('a volume shared under its other name is still shared', () => {
    const [verdict] = classifyDisks([disk('/dev/mapper/xenvg-web')], volumes, new Map([['/dev/xenvg/web', 'the config /etc/xen/web2.cfg']]));
    assert.equal(verdict.kept, 'also used by the config /etc/xen/web2.cfg');
  });

  test('without the host\'s volume list no /dev path is offered, image files still are', () => {
    const verdicts = classifyDisks([disk('/dev/xenvg/web'), disk('/srv/img/web.img')], undefined, new Map());
    assert.deepEqual(verdicts.map((verdict) => verdict.kept ?? verdict.removable?.kind), ['the logical volumes of the host could not be listed', 'image']);
  });

  test('the config and the running guest name the same disk: offered once, and a read-only record wins', () => {
    const fromText = disksFromConfigText('disk = [ "/srv/img/web.img,raw,xvda,w" ]');
    const fromRecord = disksFromRecords([{ target: '/srv/img/web.img', vdev: 'xvda' }]);
    assert.deepEqual(classifyDisks([...fromRecord, ...fromText], volumes, new Map()), [{ target: '/srv/img/web.img', kept: 'read-only' }]);
    assert.equal(classifyDisks([...fromText, ...fromText], volumes, new Map()).length, 1);
  });

  test('volume names', () => {
    assert.equal(findVolume('/dev/xenvg/db', volumes)?.name, 'db');
    assert.equal(findVolume('/dev/mapper/xen--vg-web--swap', volumes)?.name, 'web-swap');
    assert.equal(findVolume('/dev/mapper/xen-vg-web-swap', volumes), undefined);
  });
});

describe('the steps and the question', () => {
  const chosen = {
    running: { name: 'web', domid: 7 },
    disks: [
      { kind: 'image' as const, path: '/srv/img/web.img' },
      { kind: 'volume' as const, path: '/dev/xenvg/web', vg: 'xenvg', lv: 'web' },
    ],
    autostart: { path: '/etc/xen/auto/web.cfg', fileName: 'web.cfg' },
    configPath: '/etc/xen/web.cfg',
  };

  test('destroy first, the config last', () => {
    assert.deepEqual(
      deleteSteps(chosen).map((step) => step.kind),
      ['destroy', 'remove-image', 'remove-volume', 'remove-autostart', 'remove-config'],
    );
    assert.deepEqual(deleteSteps({ disks: [] }), []);
    assert.deepEqual(deleteSteps({ disks: [], configPath: '/w/a.cfg' }), [{ kind: 'remove-config', path: '/w/a.cfg' }]);
  });

  test('the question names the guest, the host and every path, and what stays', () => {
    const steps = deleteSteps(chosen);
    const verdicts = [
      { target: '/dev/xenvg/web', removable: chosen.disks[1] },
      { target: '/srv/img/web.img', removable: chosen.disks[0] },
      { target: '/srv/img/data.img', removable: { kind: 'image' as const, path: '/srv/img/data.img' } },
      { target: '/opt/isos/x.iso', kept: 'a CD drive' },
    ];
    assert.deepEqual(deleteConfirmation('web', 'dom0', steps, verdicts), {
      message: 'Delete guest "web" on dom0?',
      detail: [
        '• Destroy the guest "web" (id 7) on dom0: it stops at once, like pulling the power cord.',
        '• Delete the image file /srv/img/web.img on dom0.',
        '• Remove the logical volume /dev/xenvg/web on dom0, and everything on it.',
        '• Remove the autostart entry /etc/xen/auto/web.cfg on dom0.',
        '• Delete the config file /etc/xen/web.cfg.',
        '',
        'Kept: /srv/img/data.img, /opt/isos/x.iso (a CD drive).',
        '',
        'This cannot be undone.',
      ].join('\n'),
    });
  });

  test('a guest name with quotes and newlines cannot disguise itself', () => {
    const question = deleteConfirmation('a"\nb', 'h', deleteSteps({ running: { name: 'a"\nb', domid: 3 }, disks: [] }), []);
    assert.equal(question?.message, 'Delete guest "a\\"\\nb" on h?');
    assert.doesNotMatch(question?.detail ?? '', /Kept|undone/);
  });

  test('nothing chosen and nothing running: no question', () => {
    assert.equal(deleteConfirmation('web', 'h', [], []), undefined);
  });

  test('a failure says which step, why, what was done and what was not', () => {
    const steps = deleteSteps(chosen);
    assert.equal(
      deleteFailureMessage(steps, 2, 'Logical volume xenvg/web in use.', 'dom0'),
      'Could not remove the logical volume /dev/xenvg/web on dom0: Logical volume xenvg/web in use. Done before it: destroyed "web", deleted /srv/img/web.img. ' +
        'Not done: remove the autostart entry /etc/xen/auto/web.cfg on dom0; delete the config file /etc/xen/web.cfg.',
    );
    assert.equal(deleteFailureMessage(steps.slice(0, 1), 0, 'no such domain', 'dom0'), 'Could not destroy the guest "web" (id 7) on dom0: no such domain.');
  });
});
