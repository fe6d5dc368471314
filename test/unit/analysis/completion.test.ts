// Completion: keys at statement starts, values after `=`, spec keys and values inside strings,
// host paths, bridges, volumes, free vdevs, MACs and VNC displays. Positions are exact.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { complete, completionNeeds, keySnippet, type CompletionEntry } from '../../../server/src/analysis/completion';
import type { HostFacts } from '../../../server/src/analysis/hostFacts';
import { KEY_BY_NAME, KEYS } from '../../../server/src/catalogue';
import { parseConfig } from '../../../server/src/syntax';
import { marked } from './cursor';

interface Expect {
  /** Labels that must be offered, in this relative order when `ordered`. */
  readonly includes?: readonly string[];
  readonly excludes?: readonly string[];
  /** Exactly these labels. */
  readonly labels?: readonly string[];
  /** The text each item replaces, as written in the input. */
  readonly replaces?: string;
  /** The replaced range as [start, end) offsets of the input without markers. */
  readonly range?: readonly [number, number];
}

/** Completes at `$0` and checks the labels and the replaced range; returns the items. */
function check(source: string, expect: Expect, host: HostFacts = {}): CompletionEntry[] {
  const { text, offset } = marked(source);
  const items = complete(parseConfig(text), offset, host);
  const labels = items.map((item) => item.label);
  if (expect.labels !== undefined) assert.deepEqual(labels, expect.labels);
  for (const label of expect.includes ?? []) assert.ok(labels.includes(label), `${label} offered in ${JSON.stringify(labels.slice(0, 30))}`);
  for (const label of expect.excludes ?? []) assert.ok(!labels.includes(label), `${label} not offered`);
  for (const item of items.filter((candidate) => expect.includes === undefined || expect.includes.includes(candidate.label))) {
    if (expect.replaces !== undefined) assert.equal(text.slice(item.start, item.end), expect.replaces, `range of ${item.label}`);
    if (expect.range !== undefined) assert.deepEqual([item.start, item.end], expect.range, `range of ${item.label}`);
  }
  return items;
}

function item(items: CompletionEntry[], label: string): CompletionEntry {
  const found = items.find((candidate) => candidate.label === label);
  assert.ok(found, `${label} offered`);
  return found;
}

describe('completion: keys', () => {
  test('every catalogue key at an empty line, minus the keys already set', () => {
    const items = check('type = "hvm"\nname = "a"\n$0', { range: [24, 24] });
    assert.equal(items.length, KEYS.length - 2);
    assert.ok(!items.some((entry) => entry.label === 'type' || entry.label === 'name'));
  });

  test('a partly typed key is replaced whole', () => {
    check('type = "hvm"\nmem$0', { includes: ['memory', 'maxmem'], replaces: 'mem', range: [13, 16] });
    check('me$0mory = 1', { includes: ['memory'], range: [0, 6] });
  });

  test('keys for the declared guest type sort before the others', () => {
    const hvm = check('type = "hvm"\n$0', {});
    const pv = check('type = "pv"\n$0', {});
    assert.ok(item(hvm, 'boot').sortText! < item(hvm, 'bootloader').sortText!);
    assert.ok(item(pv, 'bootloader').sortText! < item(pv, 'boot').sortText!);
    // Without `type`, `builder` decides.
    const builder = check('builder = "hvm"\n$0', {});
    assert.ok(item(builder, 'boot').sortText! < item(builder, 'bootloader').sortText!);
  });

  test('items carry the doc, kind and default, and a snippet of the right shape', () => {
    const items = check('$0', {});
    const memory = item(items, 'memory');
    assert.equal(memory.snippet, 'memory = ${1:4096}');
    assert.equal(memory.insertText, 'memory = ');
    assert.match(memory.detail!, /^integer, in MiB · default: /);
    assert.ok(memory.documentation!.includes(KEY_BY_NAME.get('memory')!.doc));
    assert.equal(item(items, 'disk').snippet, "disk = [ '$1' ]");
    assert.equal(item(items, 'type').snippet, 'type = "${1|pv,pvh,hvm|}"');
    assert.equal(item(items, 'on_crash').snippet, 'on_crash = "${1|destroy,restart,rename-restart,preserve,coredump-destroy,coredump-restart,soft-reset|}"');
    assert.equal(item(items, 'vnuma').snippet, "vnuma = [ [ '$1' ] ]");
    assert.equal(item(items, 'name').snippet, 'name = "$1"');
    assert.equal(item(items, 'usbversion').snippet, 'usbversion = ${1|1,2,3|}');
    assert.equal(item(items, 'builder').deprecated, true);
    assert.equal(item(items, 'mca_caps').snippet, 'mca_caps = [ "${1|lmce|}" ]');
    assert.match(item(items, 'viridian').snippet!, /^viridian = \[ "\$\{1\|base,freq,.*\|\}" \]$/);
  });

  test('boolean snippets offer the value that is not the default first', () => {
    assert.equal(keySnippet(KEY_BY_NAME.get('xen_platform_pci')!), 'xen_platform_pci = ${1|0,1|}');
    assert.equal(keySnippet(KEY_BY_NAME.get('driver_domain')!), 'driver_domain = ${1|1,0|}');
  });

  test('when `=` follows already, only the name is inserted', () => {
    const items = check('mem$0 = 1024', { includes: ['memory'], range: [0, 3] });
    assert.equal(item(items, 'memory').insertText, 'memory');
    assert.equal(item(items, 'memory').snippet, undefined);
  });

  test('after a semicolon a new statement starts', () => {
    check('memory = 1; $0', { includes: ['vcpus'], range: [12, 12] });
  });

  test('no keys after a key, inside a comment, or inside a multi-line list', () => {
    check('memory $0', { labels: [] });
    check('# mem$0', { labels: [] });
    check("disk = [\n  'a',\n  $0\n]", { labels: [] });
  });
});

describe('completion: values', () => {
  test('enumerations after `=`, quoted, with a space after a bare `=`', () => {
    const items = check('type =$0', { labels: ['pv', 'pvh', 'hvm'], range: [6, 6] });
    assert.equal(item(items, 'hvm').insertText, ' "hvm"');
    const spaced = check('type = $0', { labels: ['pv', 'pvh', 'hvm'], range: [7, 7] });
    assert.equal(item(spaced, 'pvh').insertText, '"pvh"');
  });

  test('enumerations inside the string replace its content', () => {
    const items = check('vga = "st$0"', { includes: ['stdvga', 'cirrus', 'none', 'qxl'], replaces: 'st', range: [7, 9] });
    assert.equal(item(items, 'stdvga').insertText, 'stdvga');
    check('firmware = "$0"', { includes: ['bios', 'uefi', 'ovmf'] });
    check('bios = "$0"', { labels: ['rombios', 'seabios', 'ovmf'] });
    check('device_model_version = "$0"', { labels: ['qemu-xen'] });
  });

  test('an unclosed string gets its closing quote', () => {
    const items = check('type = "h$0', { includes: ['hvm'], range: [8, 9] });
    assert.equal(item(items, 'hvm').insertText, 'hvm"');
  });

  test('event actions come with what they do', () => {
    const items = check('on_crash = "$0"', { includes: ['destroy', 'restart', 'preserve', 'coredump-restart'], range: [12, 12] });
    assert.match(item(items, 'restart').documentation!, /fresh one/);
  });

  test('tsc_mode values with docs', () => {
    const items = check('tsc_mode = "$0"', { labels: ['default', 'always_emulate', 'native', 'native_paravirt'] });
    assert.ok(item(items, 'native').documentation);
  });

  test('booleans are 0 and 1', () => {
    check('acpi = $0', { labels: ['1', '0'], range: [7, 7] });
    check('acpi = 1$0', { labels: ['1', '0'], range: [7, 8] });
  });

  test('boot letters not used yet', () => {
    check('boot = "d$0"', { labels: ['c', 'n'], range: [9, 9] });
    check('boot = "$0"', { labels: ['c', 'd', 'n'] });
  });

  test('viridian list elements', () => {
    check('viridian = [ $0 ]', { includes: ['defaults', 'base', 'all'] });
  });

  test('the next free vncdisplay', () => {
    const items = check('vncdisplay = $0', { includes: ['2'] }, { usedVncDisplays: new Set([0, 1, 3]) });
    assert.equal(item(items, '2').insertText, '2');
  });
});

describe('completion: spec strings', () => {
  test('disk keys at the start and after a comma, without the keys already written', () => {
    check("disk = [ '$0' ]", { includes: ['target', 'format', 'vdev', 'access', 'devtype', 'backendtype', 'cdrom', 'phy:', 'file:'], excludes: ['prefix'], range: [10, 10] });
    const items = check("disk = [ 'format=raw, $0' ]", { includes: ['vdev', 'access', 'target'], excludes: ['format', 'phy:'], range: [22, 22] });
    assert.equal(item(items, 'vdev').insertText, 'vdev=');
    assert.equal(item(items, 'vdev').retrigger, true);
    assert.equal(item(items, 'cdrom').insertText, 'cdrom');
    assert.match(item(items, 'vdev').documentation!, /Device name the guest/);
  });

  test('a partly typed spec key is replaced', () => {
    check("disk = [ 'vdev=xvda,acc$0' ]", { includes: ['access'], replaces: 'acc', range: [20, 23] });
  });

  test('disk values: format, access, devtype, backendtype', () => {
    check("disk = [ 'format=$0' ]", { labels: ['raw', 'qcow', 'qcow2', 'vhd', 'qed', 'empty'], range: [17, 17] });
    check("disk = [ 'vdev=xvda, access=r$0o' ]", { labels: ['r', 'ro', 'w', 'rw'], replaces: 'ro' });
    check("disk = [ 'devtype=$0' ]", { labels: ['cdrom', 'disk'] });
    check("disk = [ 'backendtype=$0' ]", { labels: ['phy', 'tap', 'qdisk', 'standalone'] });
    check("disk = [ 'phy:/dev/vg/lv,xvdb:$0' ]", { labels: ['cdrom', 'disk'] });
  });

  test('vdev suggests the next xvd name no other disk uses', () => {
    check("disk = [ 'phy:/dev/a,xvda,w', 'phy:/dev/b,xvdc,w', 'vdev=$0' ]", { labels: ['xvdb'] });
    check("disk = [ 'vdev=$0' ]\ndisk += [ 'phy:/dev/x,xvda,w' ]", { labels: ['xvdb'] });
  });

  test('vif values: model, type, bridges of the host, a fresh MAC', () => {
    check("vif = [ 'model=$0' ]", { includes: ['e1000', 'rtl8139', 'virtio-net-pci'] });
    check("vif = [ 'type=$0' ]", { labels: ['ioemu', 'vif'] });
    check("vif = [ 'bridge=xen$0' ]", { labels: ['xenbr0', 'xenbr1'], replaces: 'xen' }, { bridges: ['xenbr0', 'xenbr1'] });
    // 0.5 → 0x80 for every octet; the first candidate is taken by another config, so the next draw is used.
    const draws = [0.5, 0.5, 0.5, 0.25, 0.25, 0.25];
    let at = 0;
    const items = check("vif = [ 'mac=$0' ]", { labels: ['00:16:3e:40:40:40'] }, { random: () => draws[at++], usedMacs: new Set(['00:16:3e:80:80:80']) });
    assert.equal(items[0].insertText, '00:16:3e:40:40:40');
  });

  test('vif keys', () => {
    check("vif = [ 'mac=00:16:3e:00:00:01,$0' ]", { includes: ['bridge', 'model', 'type', 'vifname', 'rate'], excludes: ['mac'] });
  });

  test('keys of the other device languages', () => {
    check("pci = [ '01:00.0,$0' ]", { includes: ['permissive', 'seize', 'rdm_policy'] });
    check("vfb = [ '$0' ]", { includes: ['vnc', 'vncdisplay', 'keymap'] });
    check("channel = [ '$0' ]", { includes: ['name', 'connection', 'path'] });
    check("usbctrl = [ '$0' ]", { includes: ['type', 'version', 'ports'] });
    check("usbdev = [ '$0' ]", { includes: ['hostbus', 'hostaddr'] });
    check("vtpm = [ '$0' ]", { includes: ['backend', 'uuid'] });
    check("p9 = [ '$0' ]", { includes: ['tag', 'path', 'security_model'] });
    check("channel = [ 'connection=$0' ]", { labels: ['pty', 'socket'] });
  });
});

describe('completion: host paths and devices', () => {
  const opt: HostFacts = { directory: { path: '/opt/isos/', entries: [{ name: 'debian-12.iso', kind: 'file' }, { name: 'old', kind: 'directory' }, { name: '.hidden', kind: 'file' }] } };

  test('asks for the folder being typed, then lists it', () => {
    const { text, offset } = marked("disk = [ 'file:/opt/isos/de$0' ]");
    assert.deepEqual(completionNeeds(parseConfig(text), offset), { directory: '/opt/isos/' });
    const items = check("disk = [ 'file:/opt/isos/de$0' ]", { labels: ['debian-12.iso', 'old/'], replaces: 'de' }, opt);
    assert.equal(item(items, 'debian-12.iso').detail, 'ISO image');
    assert.equal(item(items, 'old/').retrigger, true);
  });

  test('kernel, ramdisk and bootloader paths', () => {
    const boot: HostFacts = { directory: { path: '/boot/', entries: [{ name: 'vmlinuz', kind: 'file' }] } };
    check('kernel = "/boot/$0"', { labels: ['vmlinuz'], range: [16, 16] }, boot);
    check('ramdisk = "/boot/vm$0"', { labels: ['vmlinuz'], replaces: 'vm' }, boot);
    check('bootloader = "/boot/$0"', { labels: ['vmlinuz'] }, boot);
    check('device_model_override = "/boot/$0"', { labels: ['vmlinuz'] }, boot);
  });

  test('an empty path lists the root with a leading slash', () => {
    const root: HostFacts = { directory: { path: '/', entries: [{ name: 'opt', kind: 'directory' }] } };
    const items = check('kernel = "$0"', { labels: ['opt/'] }, root);
    assert.equal(items[0].insertText, '/opt/');
  });

  test('disk targets: folders and LVM volumes', () => {
    const host: HostFacts = { blockDevices: ['/dev/mapper/vg0-web', '/dev/vg0/web'] };
    const { text, offset } = marked("disk = [ 'phy:/dev/$0' ]");
    assert.deepEqual(completionNeeds(parseConfig(text), offset), { directory: '/dev/', blockDevices: true });
    check("disk = [ 'phy:/dev/$0' ]", { labels: ['/dev/mapper/vg0-web', '/dev/vg0/web'], replaces: '/dev/' }, host);
    check("disk = [ 'vdev=xvda, target=/dev/v$0' ]", { labels: ['/dev/mapper/vg0-web', '/dev/vg0/web'], replaces: '/dev/v' }, host);
  });

  test('serial file: paths', () => {
    const { text, offset } = marked('serial = "file:/var/log/$0"');
    assert.deepEqual(completionNeeds(parseConfig(text), offset), { directory: '/var/log/' });
  });

  test('bridges are asked for only after bridge=', () => {
    const { text, offset } = marked("vif = [ 'bridge=$0' ]");
    assert.deepEqual(completionNeeds(parseConfig(text), offset), { bridges: true });
  });
});
