// New Guest's cycle on the real rig, below the wizard: dom0's LVM (volume group xenvg on the rig's
// second disk) read as the extension reads it (the JSON reports of vgs and lvs), a logical volume
// made and refused and removed, the installer ISO in dom0's ISO folder, and an HVM guest with the
// config New Guest writes (the volume as hda, the ISO in CD drive hdc, boot "dc", xenbr0, VNC at a
// fixed display). Its screen, read through the console's own transport (the runner's ssh -W, the
// relay, the test RFB client), must be the installer's blue GRUB menu; its CD drive is ejected and
// loaded again; then it is destroyed and its volume removed. What LVM and xl print is saved in
// test-results (xen-host-*.json/txt, xen-list-long-install*.json) for the parsers' fixtures.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runXl, xl } from '../../client/src/xl';
import { decodePng, isBlue, shareOf } from '../support/png';
import { openRelayedConsole } from '../support/relayedConsole';
import { ENCODING_DESKTOP_SIZE, ENCODING_RAW, writePng } from '../support/rfbClient';
import { dom0, dom0Ok, installGuestConfig, options, rig, skipReason, sq, upload, waitFor } from './helpers';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

interface VgRow { vg_name: string; vg_size: string; vg_free: string; vg_extent_size: string }
interface LvRow { lv_name: string; vg_name: string; lv_path: string; lv_size: string; lv_attr: string }

/** The rows of one report of LVM's `--reportformat json` (`vg` or `lv`). */
function reportRows<T>(json: string, kind: 'vg' | 'lv'): T[] {
  const parsed = JSON.parse(json) as { report: Record<string, T[]>[] };
  return parsed.report.flatMap((report) => report[kind] ?? []);
}

/** The command lines the extension's LVM commands run (design: hostTools.volumeGroups/logicalVolumes). */
const VGS = 'vgs --reportformat json --units b --nosuffix -o vg_name,vg_size,vg_free,vg_extent_size';
const LVS = 'lvs --reportformat json --units b --nosuffix -o lv_name,vg_name,lv_path,lv_size,lv_attr';

async function volumeGroup(): Promise<{ size: number; free: number; extent: number; json: string }> {
  const json = await dom0Ok(VGS);
  const row = reportRows<VgRow>(json, 'vg').find((vg) => vg.vg_name === rig.volumeGroup);
  assert.ok(row !== undefined, `vgs lists ${rig.volumeGroup}:\n${json}`);
  return { size: Number(row.vg_size), free: Number(row.vg_free), extent: Number(row.vg_extent_size), json };
}

async function logicalVolumes(): Promise<{ rows: LvRow[]; json: string }> {
  const json = await dom0Ok(LVS);
  return { rows: reportRows<LvRow>(json, 'lv'), json };
}

/** VGA's white and light grey: GRUB's text and the bar of the chosen entry. */
const isLight = (r: number, g: number, b: number): boolean => r > 150 && g > 150 && b > 150;

/** Saves what a real command printed, for the parsers' fixtures (test/fixtures/host). */
function keep(file: string, text: string): void {
  writeFileSync(join(rig.resultsDir, file), text);
}

describe('real Xen: New Guest on dom0\'s volume group and installer ISO', { skip: skipReason, concurrency: 1 }, () => {
  const name = 'xen-xl-install';
  const volume = name;
  const volumePath = `/dev/${rig.volumeGroup}/${volume}`;
  const volumeBytes = 256 * MiB;
  const display = 17;
  const file = `/tmp/xen-xl-test/${name}.cfg`;
  let groupSize = 0;
  let createdAt = 0;
  let domid: number | undefined;

  after(async () => {
    if (skipReason) return;
    await dom0(`xl destroy -- ${name} 2>/dev/null; lvremove --yes -- ${sq(`${rig.volumeGroup}/${volume}`)} >/dev/null 2>&1; true`, { timeoutMs: 60_000 });
  });

  test('vgs reports xenvg with its size and free space; the LVM commands and xenbr0 are there', async () => {
    const group = await volumeGroup();
    keep('xen-host-vgs.json', group.json);
    console.log(`${rig.volumeGroup}: ${group.size} bytes, ${group.free} free, extents of ${group.extent}`);
    // A 2 GiB disk less LVM's metadata area, in 4 MiB extents; nothing in it yet.
    assert.equal(group.extent, 4 * MiB);
    assert.ok(group.size > 1.9 * GiB && group.size <= 2 * GiB, `size ${group.size}`);
    assert.equal(group.size % group.extent, 0);
    assert.equal(group.free, group.size, 'no volume in the group yet');
    groupSize = group.size;
    const tools = await dom0Ok('for t in vgs lvs lvcreate lvremove vgdisplay; do command -v "$t"; done; ls -d /sys/class/net/*/bridge');
    assert.match(tools, /\/sbin\/lvcreate\n/);
    assert.match(tools, /\/sbin\/vgdisplay\n/);
    assert.match(tools, /\/sys\/class\/net\/xenbr0\/bridge/);
  });

  test('lvcreate -n NAME -L <bytes>b -- VG makes the volume and its /dev link; lvs lists it; a taken name or too large a size is refused', async () => {
    const made = await dom0(`lvcreate -n ${sq(volume)} -L ${volumeBytes}b -- ${sq(rig.volumeGroup)}`);
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, new RegExp(`Logical volume "${volume}" created`));
    const link = await dom0Ok(`test -b ${sq(volumePath)} && readlink ${sq(volumePath)}`);
    assert.equal(link.trim(), `/dev/mapper/${rig.volumeGroup}-${volume.replace(/-/g, '--')}`);
    const { rows, json } = await logicalVolumes();
    keep('xen-host-lvs.json', json);
    const row = rows.find((lv) => lv.lv_name === volume);
    assert.ok(row !== undefined, `lvs lists ${volume}:\n${json}`);
    assert.deepEqual({ vg: row.vg_name, path: row.lv_path, size: Number(row.lv_size) }, { vg: rig.volumeGroup, path: volumePath, size: volumeBytes });
    // lv_attr: a plain (-) writable (w) inherited-allocation (i) volume, active (a), not open.
    assert.match(row.lv_attr, /^-wi-a-/);
    const group = await volumeGroup();
    keep('xen-host-vgs-with-volume.json', group.json);
    assert.equal(group.free, groupSize - volumeBytes);

    const taken = await dom0(`lvcreate -n ${sq(volume)} -L ${volumeBytes}b -- ${sq(rig.volumeGroup)}`);
    keep('xen-host-lvcreate-exists.txt', `exit ${taken.status}\n${taken.stderr}`);
    assert.notEqual(taken.status, 0);
    assert.match(taken.stderr, new RegExp(`Logical Volume "${volume}" already exists in volume group "${rig.volumeGroup}"`));
    const tooLarge = await dom0(`lvcreate -n xen-xl-too-large -L ${4 * GiB}b -- ${sq(rig.volumeGroup)}`);
    keep('xen-host-lvcreate-no-space.txt', `exit ${tooLarge.status}\n${tooLarge.stderr}`);
    assert.notEqual(tooLarge.status, 0);
    assert.match(tooLarge.stderr, new RegExp(`Volume group "${rig.volumeGroup}" has insufficient free space`));
    assert.equal((await logicalVolumes()).rows.length, 1, 'the refused commands made nothing');
  });

  test('the installer ISO is in dom0\'s ISO folder (an ISO 9660 image, volume XENXL_INSTALLER); the images folder is empty', async () => {
    const listing = await dom0Ok(`ls -l ${sq(rig.isoDir)} ${sq(rig.imagesDir)}; wc -c < ${sq(rig.installerIso)}; dd if=${sq(rig.installerIso)} bs=1 skip=32769 count=5 2>/dev/null; echo; dd if=${sq(rig.installerIso)} bs=1 skip=32808 count=32 2>/dev/null; echo`);
    console.log(listing.trim());
    assert.match(listing, new RegExp(`^${rig.isoDir}:\\ntotal \\d+\\n.* ${rig.installerIso.split('/').pop()}\\n`, 'm'), 'the ISO folder holds the ISO');
    const size = Number(/^\s*(\d+)\nCD001$/m.exec(listing)?.[1]);
    assert.ok(size > 100 * 1024 && size < 8 * MiB, `the ISO has ${size} bytes`);
    assert.match(listing, /^CD001$/m, 'the ISO 9660 signature');
    assert.match(listing, /^XENXL_INSTALLER\s*$/m, 'the volume label');
    assert.match(listing, new RegExp(`^${rig.imagesDir}:\\ntotal 0\\n`, 'm'), 'the images folder is empty');
  });

  test('xl create of New Guest\'s HVM config: the guest runs, xl list -l and xl block-list show hda on the volume and the CD drive hdc with the ISO', async () => {
    await upload({ [file]: installGuestConfig(name, { volume, display }) });
    createdAt = Date.now();
    await runXl(xl.create(file), options({ timeoutMs: 180_000 })).catch(async (error: unknown) => {
      // The device model says what it lacked (a ROM, a keymap, /dev/net/tun); xl only that it died.
      console.log(`${name}: the device model's log:\n${(await dom0(`cat /var/log/xen/qemu-dm-${name}.log`)).stdout}`);
      throw error;
    });
    console.log(`${name}: xl create returned after ${((Date.now() - createdAt) / 1000).toFixed(1)} s`);
    const [details] = await runXl(xl.listLong(name), options());
    domid = details.domid;
    assert.equal(details.type, 'hvm');
    const disks = Object.fromEntries(details.disks.map((disk) => [disk.vdev, disk]));
    assert.equal(disks.hda?.target, volumePath);
    assert.equal(disks.hda?.isCdrom ?? false, false);
    assert.equal(disks.hdc?.target, rig.installerIso);
    assert.equal(disks.hdc?.isCdrom, true);
    assert.equal(details.nics[0]?.bridge, 'xenbr0');
    keep('xen-list-long-install.json', await dom0Ok(`xl list -l -- ${name}`));
    const blocks = await runXl(xl.blockList(name), options());
    assert.deepEqual(blocks.map((block) => block.vdevName).sort(), ['hda', 'hdc']);
    // The device model holds the volume open while the guest runs.
    const volumes = await logicalVolumes();
    keep('xen-host-lvs-open.json', volumes.json);
    const row = volumes.rows.find((lv) => lv.lv_name === volume);
    assert.match(row?.lv_attr ?? '', /^-wi-ao/);
    const endpoint = await runXl(xl.vncEndpoint(domid), options());
    assert.deepEqual(endpoint, { listen: '127.0.0.1', port: 5900 + display });
  });

  test('its screen, through the console\'s transport, is the installer\'s: GRUB\'s menu, mostly blue', async () => {
    assert.ok(domid !== undefined, 'the guest was created');
    const opened = await openRelayedConsole(options(), { address: '127.0.0.1', port: 5900 + display }, { connectTimeoutMs: 30_000, rfbTimeoutMs: 60_000 });
    const png = join(rig.resultsDir, 'xen-newguest-installer.png');
    try {
      const result = await opened.client.handshake();
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.serverInit.name, `QEMU (${name})`);
      opened.client.setPixelFormat32();
      opened.client.setEncodings([ENCODING_RAW, ENCODING_DESKTOP_SIZE]);
      // SeaBIOS, then GRUB clears the screen blue and draws its menu character by character
      // (slowly, under TCG). Judged as a screenshot is (the saved PNG): the menu stands when the
      // screen is blue with the light bar of the chosen entry and the text on it, and the next
      // look a few seconds later finds the same pixels.
      let previous: Buffer | undefined;
      const shares = await waitFor(
        'the installer\'s menu: a blue screen with its light entry bar, holding still',
        async () => {
          const screen = await opened.client.screen();
          writePng(png, screen);
          const image = decodePng(readFileSync(png));
          const found = { blue: shareOf(image, isBlue), light: shareOf(image, isLight) };
          const still = previous !== undefined && previous.equals(screen.pixels);
          previous = screen.pixels;
          return found.blue >= 0.8 && found.light >= 0.05 && still ? found : undefined;
        },
        240_000,
        3000,
      );
      const image = decodePng(readFileSync(png));
      console.log(`${name}: the menu (${image.width}x${image.height}, ${(shares.blue * 100).toFixed(0)}% blue, ${(shares.light * 100).toFixed(1)}% light) ${((Date.now() - createdAt) / 1000).toFixed(1)} s after xl create began; ${png}`);
      // VGA text mode: 80x25 characters of 9x16 pixels.
      assert.deepEqual([image.width, image.height], [720, 400]);
      // The bar and the text are a small part of it: not a light screen with some blue on it.
      assert.ok(shares.blue >= 0.85 && shares.light < 0.15, JSON.stringify(shares));
    } finally {
      await opened.relay.dispose();
    }
  });

  test('xl cd-eject -- NAME hdc empties the CD drive, xl cd-insert -- NAME hdc ISO loads it again (xl list -l, block-list, the backend in xenstore)', async () => {
    assert.ok(domid !== undefined, 'the guest was created');
    const cdrom = async () => {
      const [details] = await runXl(xl.listLong(name), options());
      const drive = details.disks.find((disk) => disk.vdev === 'hdc');
      assert.ok(drive !== undefined && drive.isCdrom === true, 'hdc is a CD drive');
      const block = (await runXl(xl.blockList(name), options())).find((b) => b.vdevName === 'hdc');
      assert.ok(block !== undefined, 'xl block-list shows hdc');
      const params = (await dom0Ok(`xenstore-read ${sq(`${block.backendPath}/params`)}`)).trim();
      return { target: drive.target ?? '', format: drive.format, params };
    };
    await dom0Ok(`xl cd-eject -- ${name} hdc`);
    const ejected = await cdrom();
    assert.deepEqual(ejected, { target: '', format: 'empty', params: '' });
    keep('xen-list-long-install-ejected.json', await dom0Ok(`xl list -l -- ${name}`));
    await dom0Ok(`xl cd-insert -- ${name} hdc ${sq(rig.installerIso)}`);
    const inserted = await cdrom();
    assert.deepEqual(inserted, { target: rig.installerIso, format: 'raw', params: `aio:${rig.installerIso}` });
  });

  test('an open volume is not removed; after xl destroy, lvremove --yes -- VG/NAME removes it and its /dev link, and the space is free again', async () => {
    const busy = await dom0(`lvremove --yes -- ${sq(`${rig.volumeGroup}/${volume}`)}`);
    keep('xen-host-lvremove-in-use.txt', `exit ${busy.status}\n${busy.stderr}`);
    assert.notEqual(busy.status, 0);
    assert.match(busy.stderr, new RegExp(`Logical volume ${rig.volumeGroup}/${volume} in use`));
    await runXl(xl.destroy(name), options({ timeoutMs: 90_000 }));
    assert.ok(!(await runXl(xl.list(), options())).some((domain) => domain.name === name), `${name} is gone`);
    const removed = await dom0(`lvremove --yes -- ${sq(`${rig.volumeGroup}/${volume}`)}`);
    assert.equal(removed.status, 0, removed.stderr);
    assert.match(removed.stdout, new RegExp(`Logical volume "${volume}" successfully removed`));
    assert.equal((await dom0(`test -e ${sq(volumePath)}`)).status, 1, `${volumePath} is gone`);
    const none = await logicalVolumes();
    keep('xen-host-lvs-empty.json', none.json);
    assert.deepEqual(none.rows, []);
    assert.equal((await volumeGroup()).free, groupSize);
  });

  test('the config after Finish Install (an empty CD drive, boot "c") passes xl create -n', async () => {
    const finished = `/tmp/xen-xl-test/${name}-installed.cfg`;
    await upload({ [finished]: installGuestConfig(name, { volume, display, iso: null, boot: 'c' }) });
    const config = await runXl(xl.create(finished, { dryRun: true }), options());
    const drive = config.disks.find((disk) => disk.vdev === 'hdc');
    assert.equal(drive?.isCdrom, true);
    assert.equal(drive?.target ?? '', '');
    assert.equal((config.raw as { b_info?: { 'type.hvm'?: { boot?: string } } }).b_info?.['type.hvm']?.boot, 'c');
  });
});
