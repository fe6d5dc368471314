// The config New Guest writes, checked by the server's own reader and rules: for every
// combination of choices (kinds, disks, install sources, network, screen, password, awkward but
// valid names, paths and passwords) the text parses with zero diagnostics, is already formatted,
// and xl would read back exactly the values chosen. Choices that cannot be written are refused
// with a message, never written.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { extractFacts } from '../../../server/src/analysis/checks/workspace';
import { computeDiagnostics } from '../../../server/src/analysis/diagnostics';
import { format } from '../../../server/src/analysis/format';
import { SPEC_LANGUAGES } from '../../../server/src/specs';
import { parseConfig, type XlValue } from '../../../server/src/syntax';
import { diskPath, freshXenMac, guestNameProblem, nextVncDisplay } from '../../../client/src/newGuest/allocate';
import type { DiskChoice, GuestKind, InstallSource, NewGuestChoices } from '../../../client/src/newGuest/choices';
import { choicesProblem, guestConfigText, quoted } from '../../../client/src/newGuest/configText';

const GIB = 1024 ** 3;

const NAMES = ['web01', 'a', 'Web-01.test_2+x', '9lives', 'x'.repeat(64)];

/** Disk folders and paths that are valid but awkward: spaces, quotes, backslashes, `=`, `:`, `#`, non-ASCII, long. */
const FOLDERS = ['/var/lib/xen/images', '/srv/my images', '/srv/it\'s "here"', '/srv/back\\slash', '/srv/a=b:c#d;e[f]', '/srv/ünïcode', `/srv/${'deep/'.repeat(30)}end`];
const VOLUMES = ['/dev/xenvg/old-disk', '/dev/mapper/vg-with space', '/dev/vg/quote"d'];
const ISOS = ['/opt/isos/debian-12.iso', '/opt/isos/My Installer (v2).iso', '/opt/isos/"quoted"\\.iso', `/opt/isos/${'long-folder-name/'.repeat(8)}x.iso`];
const PASSWORDS = ['s3cret', 'a,b', 'a"b\\c\'d', ' spaced ', '12345678', '#;[]=x', 'x'];

function disks(): DiskChoice[] {
  const result: DiskChoice[] = [];
  for (const vg of ['xenvg', 'vg_data.2+x']) result.push({ kind: 'new-volume', vg, sizeBytes: 20 * GIB });
  for (const path of VOLUMES) result.push({ kind: 'existing-volume', path });
  for (const folder of FOLDERS) {
    result.push({ kind: 'new-image', folder, format: 'raw', sizeBytes: 8 * GIB });
    result.push({ kind: 'new-image', folder: `${folder}/`, format: 'qcow2', sizeBytes: 1536 * 1024 ** 2 });
  }
  return result;
}

function installs(kind: GuestKind): (InstallSource | undefined)[] {
  if (kind !== 'hvm') return [undefined];
  return [...ISOS.map((path): InstallSource => ({ kind: 'iso', path })), { kind: 'network' }];
}

function screens(kind: GuestKind): NewGuestChoices['vnc'][] {
  if (kind === 'pvh') return [undefined];
  const passwords = PASSWORDS.filter((password) => kind !== 'pv' || !password.includes(','));
  return [undefined, { display: 1 }, { display: 59635 }, ...passwords.map((password) => ({ display: 7, password }))];
}

/** Every combination, with the name and memory varied along so each name meets each kind. */
function* everyChoice(): Generator<NewGuestChoices> {
  let index = 0;
  for (const kind of ['hvm', 'pvh', 'pv'] as const) {
    for (const disk of disks()) {
      for (const install of installs(kind)) {
        for (const network of [undefined, { bridge: 'xenbr0', mac: '00:16:3e:7f:ff:0a' }, { bridge: 'br-lan.10', mac: '00:16:3E:00:00:01' }]) {
          if (install?.kind === 'network' && network === undefined) continue;
          for (const vnc of screens(kind)) {
            const name = NAMES[index % NAMES.length];
            index++;
            yield { kind, name, memoryMiB: [32, 2048, 65536][index % 3], vcpus: 1 + (index % 4), disk, install, network, vnc };
          }
        }
      }
    }
  }
}

/** The value xl stores for `key` (the last setting wins), as a string or list. */
function stored(text: string, key: string): XlValue | undefined {
  const settings = parseConfig(text).settings.filter((setting) => setting.key === key);
  return settings.at(-1)?.value;
}

function specPart(language: string, spec: string, key: string): string | undefined {
  const parse = SPEC_LANGUAGES.get(language)!.parse(spec, false);
  assert.deepEqual(parse.problems, [], `${language} spec ${spec}`);
  return parse.parts.filter((part) => part.key === key).at(-1)?.value;
}

describe('guestConfigText: every combination of choices', () => {
  const all = [...everyChoice()];

  test('the combinations cover each kind, disk kind, install kind, network and screen', () => {
    // Kept honest: a generator that silently produced nothing would pass every other test here.
    assert.ok(all.length > 1500, `${all.length} combinations`);
    for (const kind of ['hvm', 'pvh', 'pv']) assert.ok(all.some((c) => c.kind === kind));
    for (const diskKind of ['new-volume', 'existing-volume', 'new-image']) assert.ok(all.some((c) => c.disk.kind === diskKind));
    assert.ok(all.some((c) => c.install?.kind === 'network') && all.some((c) => c.install?.kind === 'iso'));
    assert.ok(all.some((c) => c.vnc?.password !== undefined && c.kind === 'pv') && all.some((c) => c.vnc?.password !== undefined && c.kind === 'hvm'));
    assert.ok(all.some((c) => c.network === undefined) && all.some((c) => c.vnc === undefined && c.kind === 'hvm'));
  });

  test('each is valid, has zero diagnostics and is already formatted', () => {
    for (const choices of all) {
      assert.equal(choicesProblem(choices), undefined, JSON.stringify(choices));
      const text = guestConfigText(choices);
      const document = parseConfig(text);
      const problems = computeDiagnostics(document);
      assert.deepEqual(
        problems.map((p) => `${p.code} ${p.severity} ${JSON.stringify(text.slice(p.start, p.end))}: ${p.message}`),
        [],
        `${JSON.stringify(choices)}\n${text}`,
      );
      assert.deepEqual(format(document), [], `not formatted:\n${text}`);
      assert.ok(text.endsWith('\n') && !text.includes('\r') && !/[ \t]$/m.test(text), 'ends in a newline, no trailing blanks');
    }
  });

  test('xl reads back exactly the values chosen', () => {
    for (const choices of all) {
      const text = guestConfigText(choices);
      const context = `${JSON.stringify(choices)}\n${text}`;
      assert.equal(stored(text, 'name'), choices.name, context);
      assert.equal(stored(text, 'type'), choices.kind, context);
      assert.equal(stored(text, 'memory'), String(choices.memoryMiB), context);
      assert.equal(stored(text, 'vcpus'), String(choices.vcpus), context);

      const disks = stored(text, 'disk') as string[];
      const systemVdev = choices.kind === 'hvm' ? 'hda' : 'xvda';
      assert.equal(specPart('disk', disks[0], 'target'), diskPath(choices.disk, choices.name), context);
      assert.equal(specPart('disk', disks[0], 'vdev'), systemVdev, context);
      assert.equal(specPart('disk', disks[0], 'format'), choices.disk.kind === 'new-image' ? choices.disk.format : 'raw', context);
      if (choices.install?.kind === 'iso') {
        assert.equal(disks.length, 2, context);
        assert.equal(specPart('disk', disks[1], 'target'), choices.install.path, context);
        assert.equal(specPart('disk', disks[1], 'vdev'), 'hdc', context);
        assert.equal(specPart('disk', disks[1], 'devtype'), 'cdrom', context);
        assert.equal(stored(text, 'boot'), 'dc', context);
      } else {
        assert.equal(disks.length, 1, context);
        assert.equal(stored(text, 'boot'), choices.install?.kind === 'network' ? 'nc' : undefined, context);
      }
      assert.equal(stored(text, 'bootloader'), choices.kind === 'hvm' ? undefined : 'pygrub', context);

      const vifs = stored(text, 'vif') as string[] | undefined;
      if (choices.network === undefined) assert.equal(vifs, undefined, context);
      else {
        assert.equal(vifs!.length, 1, context);
        assert.equal(specPart('vif', vifs![0], 'mac'), choices.network.mac.toLowerCase(), context);
        assert.equal(specPart('vif', vifs![0], 'bridge'), choices.network.bridge, context);
      }

      if (choices.kind === 'hvm') {
        assert.equal(stored(text, 'serial'), 'pty', context);
        assert.equal(stored(text, 'vnc'), choices.vnc === undefined ? '0' : '1', context);
        if (choices.vnc !== undefined) {
          assert.equal(stored(text, 'vnclisten'), '127.0.0.1', context);
          assert.equal(stored(text, 'vncdisplay'), String(choices.vnc.display), context);
          assert.equal(stored(text, 'vncunused'), '0', context);
        }
        assert.equal(stored(text, 'vncpasswd'), choices.vnc?.password, context);
        assert.equal(stored(text, 'vfb'), undefined, context);
      } else {
        for (const key of ['vnc', 'vnclisten', 'vncdisplay', 'vncpasswd', 'serial']) assert.equal(stored(text, key), undefined, `${key}: ${context}`);
        const vfbs = stored(text, 'vfb') as string[] | undefined;
        if (choices.vnc === undefined) assert.equal(vfbs, undefined, context);
        else {
          assert.equal(vfbs!.length, 1, context);
          assert.equal(specPart('vfb', vfbs![0], 'vnc'), '1', context);
          assert.equal(specPart('vfb', vfbs![0], 'vnclisten'), '127.0.0.1', context);
          assert.equal(specPart('vfb', vfbs![0], 'vncdisplay'), String(choices.vnc.display), context);
          assert.equal(specPart('vfb', vfbs![0], 'vncpasswd'), choices.vnc.password, context);
        }
      }
    }
  });

  test('comments name the sections and hold no path or password', () => {
    for (const choices of all) {
      const text = guestConfigText(choices);
      const comments = text.split('\n').filter((line) => line.startsWith('#'));
      for (const line of comments) assert.ok(line.length <= 100, `a comment wider than the formatter's 100 columns: ${line}`);
      assert.equal(comments[0], `# ${choices.name}`);
      assert.match(comments[1], /written by New Guest\.$/);
      for (const section of ['# Guest', '# Memory', '# Disks and boot', '# Network', '# Screen']) {
        assert.ok(comments.some((line) => line.startsWith(section)), `${section} in\n${text}`);
      }
      const secrets = [diskPath(choices.disk, choices.name), choices.install?.kind === 'iso' ? choices.install.path : undefined, choices.vnc?.password];
      for (const secret of secrets) {
        if (secret === undefined || secret.length < 2) continue;
        assert.ok(!comments.some((line) => line.includes(secret)), `${secret} in a comment:\n${text}`);
      }
    }
  });
});

describe('guestConfigText: the shape of the walkthrough guest', () => {
  test('HVM from an ISO on a new volume, on xenbr0, with VNC', () => {
    const text = guestConfigText({
      kind: 'hvm',
      name: 'c8-install',
      memoryMiB: 4096,
      vcpus: 2,
      disk: { kind: 'new-volume', vg: 'xenvg', sizeBytes: 20 * GIB },
      install: { kind: 'iso', path: '/opt/isos/xenxl-installer.iso' },
      network: { bridge: 'xenbr0', mac: '00:16:3e:12:34:56' },
      vnc: { display: 1 },
    });
    const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    assert.deepEqual(lines, [
      'name = "c8-install"',
      'type = "hvm"',
      'memory = 4096',
      'vcpus = 2',
      'disk = [',
      '    "format=raw, vdev=hda, access=rw, target=/dev/xenvg/c8-install",',
      '    "format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/opt/isos/xenxl-installer.iso",',
      ']',
      'boot = "dc"',
      'vif = [ "mac=00:16:3e:12:34:56, bridge=xenbr0" ]',
      'vnc = 1',
      'vnclisten = "127.0.0.1"',
      'vncdisplay = 1',
      'vncunused = 0',
      'serial = "pty"',
    ]);
  });

  test('PV with pygrub on an existing volume and a VNC framebuffer with a password', () => {
    const text = guestConfigText({
      kind: 'pv',
      name: 'pv1',
      memoryMiB: 1024,
      vcpus: 1,
      disk: { kind: 'existing-volume', path: '/dev/xenvg/pv1-root' },
      network: { bridge: 'xenbr0', mac: '00:16:3e:00:00:01' },
      vnc: { display: 3, password: 'pa"ss' },
    });
    assert.match(text, /^disk = \[ "format=raw, vdev=xvda, access=rw, target=\/dev\/xenvg\/pv1-root" \]$/m);
    assert.match(text, /^bootloader = "pygrub"$/m);
    assert.match(text, /^vfb = \[ "vnc=1, vnclisten=127\.0\.0\.1, vncdisplay=3, vncunused=0, vncpasswd=pa\\"ss" \]$/m);
  });

  test('quoted() escapes exactly the characters libxlu decodes back', () => {
    assert.equal(quoted('plain'), '"plain"');
    assert.equal(quoted('a"b'), '"a\\"b"');
    assert.equal(quoted('a\\b'), '"a\\\\b"');
    assert.equal(quoted('\\"'), '"\\\\\\""');
    assert.equal(stored(`x = ${quoted('a\\"b\\0\'')}\n`, 'x'), 'a\\"b\\0\'');
  });
});

describe('guestConfigText in a workspace of other configs', () => {
  // The examples folder stands in for the workspace: what it uses is what the wizard's survey finds.
  const workspace = new Map(
    readdirSync('examples')
      .filter((file) => file.endsWith('.cfg'))
      .map((file) => {
        const path = join('examples', file);
        return [path, { label: path, facts: extractFacts(parseConfig(readFileSync(path, 'utf8'))) }] as const;
      }),
  );
  const facts = [...workspace.values()].map((entry) => entry.facts);
  const names = new Set(facts.flatMap((f) => (f.name === undefined ? [] : [f.name.value])));
  const macs = new Set(facts.flatMap((f) => f.macs.map((mac) => mac.value)));
  const displays = new Set(facts.flatMap((f) => f.vncDisplays.map((display) => display.value)));

  function guest(name: string, mac: string, display: number): string {
    return guestConfigText({
      kind: 'hvm',
      name,
      memoryMiB: 2048,
      vcpus: 2,
      disk: { kind: 'new-volume', vg: 'vg_c6xendom0', sizeBytes: 20 * GIB },
      install: { kind: 'iso', path: '/opt/isos/CentOS-7-x86_64-Minimal-1611.iso' },
      network: { bridge: 'xenbr0', mac },
      vnc: { display },
    });
  }

  test('a name, MAC and display allocated against the workspace clash with nothing', () => {
    assert.ok(names.size >= 3 && macs.size >= 3 && displays.size >= 2, 'the examples use names, MACs and displays');
    assert.match(guestNameProblem('c7-x8664.hvm', { running: new Set(), configs: names })!, /already uses/);
    const text = guest('c8-x8664.hvm', freshXenMac(() => 0.1, macs), nextVncDisplay(displays));
    assert.deepEqual(computeDiagnostics(parseConfig(text), { workspace, self: 'new.cfg' }).map((p) => p.message), []);
  });

  test('the same config with what an example uses does clash (the check above can fail)', () => {
    const [usedMac] = macs;
    const [usedDisplay] = displays;
    const text = guest('c7-x8664.hvm', usedMac, usedDisplay);
    const codes = computeDiagnostics(parseConfig(text), { workspace, self: 'new.cfg' }).map((p) => p.code);
    assert.deepEqual([...new Set(codes)].sort(), ['xl.duplicate-mac', 'xl.duplicate-name', 'xl.duplicate-vncdisplay']);
  });
});

describe('choicesProblem: choices that cannot be written are refused with a message', () => {
  const base: NewGuestChoices = {
    kind: 'hvm',
    name: 'web01',
    memoryMiB: 2048,
    vcpus: 2,
    disk: { kind: 'new-volume', vg: 'xenvg', sizeBytes: 20 * GIB },
    install: { kind: 'iso', path: '/opt/isos/x.iso' },
    network: { bridge: 'xenbr0', mac: '00:16:3e:00:00:01' },
    vnc: { display: 1 },
  };
  const cases: [string, Partial<NewGuestChoices>, RegExp][] = [
    ['a comma in the ISO path', { install: { kind: 'iso', path: '/opt/isos/a,b.iso' } }, /comma/],
    ['a comma in an existing volume', { disk: { kind: 'existing-volume', path: '/dev/vg/a,b' } }, /comma/],
    ['a comma in the image folder', { disk: { kind: 'new-image', folder: '/srv/a,b', format: 'raw', sizeBytes: GIB } }, /comma/],
    ['a line break in a path', { disk: { kind: 'existing-volume', path: '/dev/vg/a\nb' } }, /line break/],
    ['a relative image folder', { disk: { kind: 'new-image', folder: 'images', format: 'raw', sizeBytes: GIB } }, /absolute/],
    ['a zero size', { disk: { kind: 'new-volume', vg: 'xenvg', sizeBytes: 0 } }, /positive/],
    ['a bad volume group', { disk: { kind: 'new-volume', vg: '-x', sizeBytes: GIB } }, /volume group/],
    ['HVM without an install source', { install: undefined }, /ISO image or over the network/],
    ['a network install without a network', { install: { kind: 'network' }, network: undefined }, /network interface/],
    ['PV with an installer', { kind: 'pv', install: { kind: 'iso', path: '/opt/isos/x.iso' } }, /pygrub/],
    ['PVH with VNC', { kind: 'pvh', install: undefined }, /no emulated screen/],
    ['a bad name', { name: '12' }, /digits/],
    ['a comma in a bridge', { network: { bridge: 'br,0', mac: '00:16:3e:00:00:01' } }, /","/],
    ['a bad MAC', { network: { bridge: 'xenbr0', mac: '00:16:3e:00:01' } }, /not a MAC/],
    ['a multicast MAC', { network: { bridge: 'xenbr0', mac: '01:16:3e:00:00:01' } }, /multicast/],
    ['a long password', { vnc: { display: 1, password: '123456789' } }, /first 8/],
    ['a non-ASCII password', { vnc: { display: 1, password: 'pässwd' } }, /ASCII/],
    ['a comma in a PV password', { kind: 'pv', install: undefined, vnc: { display: 1, password: 'a,b' } }, /comma/],
    ['a display past the last port', { vnc: { display: 59636 } }, /0 to 59635/],
    ['too little memory', { memoryMiB: 16 }, /at least 32/],
    ['no vCPU', { vcpus: 0 }, /at least 1/],
  ];
  for (const [title, change, message] of cases) {
    test(title, () => {
      const choices = { ...base, ...change };
      const problem = choicesProblem(choices);
      assert.ok(problem !== undefined, 'refused');
      assert.match(problem, message);
      assert.throws(() => guestConfigText(choices), (error: Error) => error.message.includes(problem));
    });
  }
  test('the base case itself is fine', () => assert.equal(choicesProblem(base), undefined));
  test('a comma is fine in an HVM password (a plain string there)', () => assert.equal(choicesProblem({ ...base, vnc: { display: 1, password: 'a,b' } }), undefined));
});
