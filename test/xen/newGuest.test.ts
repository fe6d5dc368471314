// New Guest's cycle on the real rig, below the wizard, through the client's runner and its host
// commands (hostTools) and New Guest's own planner and config writer (client/src/newGuest):
// dom0's volume group (xenvg on the rig's second disk) and its volumes from
// vgs/lvs in JSON, a volume made, refused and removed, image files made and refused, the ISO
// folders listed, bridges and tools, and autostart entries linked, copied and removed. Then an
// HVM guest with the config New Guest writes (guestConfigText: the volume as hda, the ISO in CD drive hdc, boot
// "dc", xenbr0, VNC at a fixed display): its screen, read through the console's own transport
// (the runner's ssh -W, the relay, the test RFB client), must be the installer's blue screen;
// its CD drive is ejected and loaded again (xl cd-eject / cd-insert); then it is destroyed and its
// volume removed. What LVM and xl print is saved in test-results (xen-host-*, xen-list-long-
// install*.json) for the parsers' fixtures (test/fixtures/host).

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { NewGuestChoices } from '../../client/src/newGuest/choices';
import { guestConfigText } from '../../client/src/newGuest/configText';
import { plannedDiskCommand, undoDiskCommand } from '../../client/src/newGuest/plan';
import { hostTools, runXl, xl, type DomainConfig, type LogicalVolume, type VolumeGroup, type XlCommand } from '../../client/src/xl';
import { decodePng, isBlue, shareOf } from '../support/png';
import { openRelayedConsole } from '../support/relayedConsole';
import { ENCODING_DESKTOP_SIZE, ENCODING_RAW, writePng } from '../support/rfbClient';
import { dom0, dom0Ok, installGuestConfig, options, rig, runLogged, skipReason, sq, upload, waitFor } from './helpers';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** VGA's white and light grey: the installer's text and its bar. */
const isLight = (r: number, g: number, b: number): boolean => r > 150 && g > 150 && b > 150;

/** Saves what a real command printed, for the parsers' fixtures (test/fixtures/host). */
function keep(file: string, text: string): void {
  writeFileSync(join(rig.resultsDir, file), text);
}

/** Runs a command's own argv in dom0 over plain ssh and keeps its raw stdout as `file`. */
async function keepOutput(command: XlCommand<unknown>, file: string): Promise<void> {
  keep(file, await dom0Ok([command.program ?? 'xl', ...command.args].map(sq).join(' ')));
}

async function volumeGroup(keepAs?: string): Promise<VolumeGroup> {
  const group = (await runXl(hostTools.volumeGroups(), options())).find((vg) => vg.name === rig.volumeGroup);
  assert.ok(group !== undefined, `vgs lists ${rig.volumeGroup}`);
  if (keepAs) await keepOutput(hostTools.volumeGroups(), keepAs);
  return group;
}

async function logicalVolumes(keepAs?: string): Promise<LogicalVolume[]> {
  const volumes = await runXl(hostTools.logicalVolumes(), options());
  if (keepAs) await keepOutput(hostTools.logicalVolumes(), keepAs);
  return volumes;
}

/** A failing command through the runner: its XlError and the stderr the runner logged. */
async function failure(command: XlCommand<unknown>): Promise<{ kind: string; message: string; stderr: string; exitCode?: number }> {
  const { error, entry } = await runLogged(command);
  assert.ok(error !== undefined, `${command.description} failed`);
  return { kind: error.kind, message: error.message, stderr: entry.stderr, exitCode: entry.exitCode };
}

describe('real Xen: New Guest on dom0\'s volume group and installer ISO', { skip: skipReason, concurrency: 1 }, () => {
  const name = 'xen-xl-install';
  const volume = name;
  const volumePath = `/dev/${rig.volumeGroup}/${volume}`;
  const volumeBytes = 256 * MiB;
  const display = 17;
  const file = `/tmp/xen-xl-test/${name}.cfg`;
  const image = `${rig.imagesDir}/xen-xl-test.img`;
  /** What the wizard would hold after its steps: HVM from the rig's ISO onto a new volume in xenvg, xenbr0, VNC at a fixed display. */
  const choices: NewGuestChoices = {
    kind: 'hvm',
    name,
    memoryMiB: 128,
    vcpus: 1,
    disk: { kind: 'new-volume', vg: rig.volumeGroup, sizeBytes: volumeBytes },
    install: { kind: 'iso', path: rig.installerIso },
    network: { bridge: 'xenbr0', mac: '00:16:3e:3a:51:07' },
    vnc: { display },
  };
  const autostartDir = '/etc/xen/auto';
  let groupSize = 0;
  let createdAt = 0;
  let domid: number | undefined;

  // Leaves dom0 as a fresh Debian dom0 for the suites after it (the workbench's too): no guest,
  // no volume, no image, and no /etc/xen/auto (autostartLink made it; emptied, it goes).
  after(async () => {
    if (skipReason) return;
    await dom0(
      `xl destroy -- ${name} 2>/dev/null; lvremove --yes -- ${sq(`${rig.volumeGroup}/${volume}`)} >/dev/null 2>&1; rm -f -- ${sq(image)} ${sq(`${autostartDir}/${name}.cfg`)} ${sq(`${autostartDir}/xen-xl-copied.cfg`)}; rmdir -- ${sq(autostartDir)} 2>/dev/null; true`,
      { timeoutMs: 60_000 },
    );
  });

  test('hostTools.volumeGroups: xenvg with its size and free space; hostToolFacts: xenbr0 and LVM, no qemu-img', async () => {
    const group = await volumeGroup('xen-host-vgs.json');
    console.log(`${rig.volumeGroup}: ${JSON.stringify(group)}`);
    // A 2 GiB disk less LVM's metadata area, in 4 MiB extents; nothing in it yet.
    assert.equal(group.extentBytes, 4 * MiB);
    assert.ok(group.sizeBytes > 1.9 * GiB && group.sizeBytes <= 2 * GiB, `size ${group.sizeBytes}`);
    assert.equal(group.sizeBytes % group.extentBytes, 0);
    assert.equal(group.freeBytes, group.sizeBytes, 'no volume in the group yet');
    groupSize = group.sizeBytes;
    assert.deepEqual(await logicalVolumes(), []);
    const facts = await runXl(hostTools.hostToolFacts(), options());
    // Debian's dom0 here has LVM but not qemu-utils: New Guest offers raw images only.
    assert.deepEqual(facts, { bridges: ['xenbr0'], tools: { lvm: true, qemuImg: false } });
  });

  test('New Guest\'s planned disk command (createVolume) makes the volume and its /dev link; logicalVolumes lists it; a taken name or too large a size is refused by lvcreate, and nothing else changes', async () => {
    const planned = plannedDiskCommand(choices, hostTools);
    assert.ok(planned !== undefined && planned.program === 'lvcreate', 'a new volume is made with lvcreate');
    await runXl(planned, options());
    const link = await dom0Ok(`test -b ${sq(volumePath)} && readlink ${sq(volumePath)}`);
    assert.equal(link.trim(), `/dev/mapper/${rig.volumeGroup}-${volume.replace(/-/g, '--')}`);
    assert.deepEqual(await runXl(hostTools.pathsExist([volumePath, `${volumePath}-not-there`]), options()), [volumePath]);
    assert.deepEqual(await logicalVolumes('xen-host-lvs.json'), [{ name: volume, vg: rig.volumeGroup, path: volumePath, sizeBytes: volumeBytes, active: true, open: false }]);
    assert.equal((await volumeGroup('xen-host-vgs-with-volume.json')).freeBytes, groupSize - volumeBytes);

    const taken = await failure(hostTools.createVolume(rig.volumeGroup, volume, volumeBytes));
    keep('xen-host-lvcreate-exists.txt', `exit ${taken.exitCode}\n${taken.stderr}`);
    console.log(`a taken name: ${taken.kind}: ${taken.message}`);
    assert.equal(taken.kind, 'failed');
    assert.match(taken.message, new RegExp(`Logical Volume "${volume}" already exists in volume group "${rig.volumeGroup}"`));
    const tooLarge = await failure(hostTools.createVolume(rig.volumeGroup, 'xen-xl-too-large', 4 * GiB));
    keep('xen-host-lvcreate-no-space.txt', `exit ${tooLarge.exitCode}\n${tooLarge.stderr}`);
    console.log(`too large: ${tooLarge.kind}: ${tooLarge.message}`);
    assert.equal(tooLarge.kind, 'failed');
    assert.match(tooLarge.message, new RegExp(`Volume group "${rig.volumeGroup}" has insufficient free space`));
    assert.equal((await logicalVolumes()).length, 1, 'the refused commands made nothing');
  });

  test('isoFiles over the default ISO folders finds the installer ISO (an ISO 9660 image, volume XENXL_INSTALLER); the images folder is empty, /srv/iso missing', async () => {
    const listing = await runXl(hostTools.isoFiles([rig.isoDir, rig.imagesDir, '/srv/iso']), options());
    console.log(JSON.stringify(listing));
    assert.deepEqual(listing.folders, [
      { path: rig.isoDir, exists: true },
      { path: rig.imagesDir, exists: true },
      { path: '/srv/iso', exists: false },
    ]);
    assert.equal(listing.isos.length, 1);
    assert.equal(listing.isos[0].path, rig.installerIso);
    assert.ok(listing.isos[0].sizeBytes > 100 * 1024 && listing.isos[0].sizeBytes < 8 * MiB, `the ISO has ${listing.isos[0].sizeBytes} bytes`);
    assert.equal(listing.truncated ?? false, false);
    const label = await dom0Ok(`dd if=${sq(rig.installerIso)} bs=1 skip=32769 count=5 2>/dev/null; echo; dd if=${sq(rig.installerIso)} bs=1 skip=32808 count=32 2>/dev/null; echo`);
    assert.match(label, /^CD001\nXENXL_INSTALLER\s*$/, 'the ISO 9660 signature and the volume label');
  });

  test('createImage makes a sparse raw image in the images folder and refuses an existing one; qcow2 needs qemu-img; removeImage deletes only a regular file', async () => {
    await runXl(hostTools.createImage(image, 64 * MiB, 'raw'), options());
    // Size, 512-byte blocks in use (none: sparse), mode.
    assert.deepEqual((await dom0Ok(`stat -c '%s %b %a' ${sq(image)}`)).trim(), `${64 * MiB} 0 600`);
    const exists = await failure(hostTools.createImage(image, 64 * MiB, 'raw'));
    console.log(`an existing image: ${exists.kind}: ${exists.message}`);
    assert.equal(exists.kind, 'failed');
    assert.match(exists.message, /exists already; it was left as it is/);
    const qcow2 = await failure(hostTools.createImage(`${rig.imagesDir}/xen-xl-test.qcow2`, 64 * MiB, 'qcow2'));
    console.log(`qcow2 without qemu-img: ${qcow2.kind}: ${qcow2.message}`);
    assert.equal(qcow2.kind, 'not-found');
    assert.match(qcow2.message, /qemu-img/);
    const folder = await failure(hostTools.removeImage(rig.imagesDir));
    assert.equal(folder.kind, 'failed');
    assert.match(folder.message, /is not a regular file; it was left as it is/);
    await runXl(hostTools.removeImage(image), options());
    assert.deepEqual(await runXl(hostTools.pathsExist([image, rig.imagesDir]), options()), [rig.imagesDir]);
  });

  test('xl create of the config New Guest writes (guestConfigText): the guest runs, xl list -l and xl block-list show hda on the volume and the CD drive hdc with the ISO', async () => {
    await upload({ [file]: guestConfigText(choices) });
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
    const volumes = await logicalVolumes('xen-host-lvs-open.json');
    assert.deepEqual(volumes.find((lv) => lv.name === volume), { name: volume, vg: rig.volumeGroup, path: volumePath, sizeBytes: volumeBytes, active: true, open: true });
    const endpoint = await runXl(xl.vncEndpoint(domid), options());
    assert.deepEqual(endpoint, { listen: '127.0.0.1', port: 5900 + display });
  });

  test('its screen, through the console\'s transport, is the installer\'s: mostly blue, with a light bar', async () => {
    assert.ok(domid !== undefined, 'the guest was created');
    const opened = await openRelayedConsole(options(), { address: '127.0.0.1', port: 5900 + display }, { connectTimeoutMs: 30_000, rfbTimeoutMs: 60_000 });
    const png = join(rig.resultsDir, 'xen-newguest-installer.png');
    try {
      const result = await opened.client.handshake();
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.serverInit.name, `QEMU (${name})`);
      opened.client.setPixelFormat32();
      opened.client.setEncodings([ENCODING_RAW, ENCODING_DESKTOP_SIZE]);
      // SeaBIOS, then the installer clears the screen blue and writes its text and bar. Judged
      // as a screenshot is (the saved PNG): the screen stands when it is blue with the light bar
      // and the text on it, and the next look a few seconds later finds the same pixels.
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

  test('xl.cdEject empties the CD drive hdc, xl.cdInsert loads the ISO again (xl list -l, block-list, the backend in xenstore)', async () => {
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
    await runXl(xl.cdEject(name, 'hdc'), options());
    const ejected = await cdrom();
    assert.deepEqual(ejected, { target: '', format: 'empty', params: '' });
    keep('xen-list-long-install-ejected.json', await dom0Ok(`xl list -l -- ${name}`));
    await runXl(xl.cdInsert(name, 'hdc', rig.installerIso), options());
    const inserted = await cdrom();
    assert.deepEqual(inserted, { target: rig.installerIso, format: 'raw', params: `aio:${rig.installerIso}` });
  });

  test('New Guest\'s undo command (removeVolume) is refused for a volume in use; after xl destroy it removes the volume and its /dev link, and the space is free again', async () => {
    const undo = undoDiskCommand(choices, hostTools);
    assert.ok(undo !== undefined, 'the wizard can undo the volume it made');
    const busy = await failure(undo);
    keep('xen-host-lvremove-in-use.txt', `exit ${busy.exitCode}\n${busy.stderr}`);
    console.log(`a volume in use: ${busy.kind}: ${busy.message}`);
    assert.equal(busy.kind, 'failed');
    assert.match(busy.message, new RegExp(`Logical volume ${rig.volumeGroup}/${volume} in use`));
    await runXl(xl.destroy(name), options({ timeoutMs: 90_000 }));
    assert.ok(!(await runXl(xl.list(), options())).some((domain) => domain.name === name), `${name} is gone`);
    await runXl(undo, options());
    assert.deepEqual(await runXl(hostTools.pathsExist([volumePath]), options()), [], `${volumePath} is gone`);
    assert.deepEqual(await logicalVolumes('xen-host-lvs-empty.json'), []);
    assert.equal((await volumeGroup()).freeBytes, groupSize);
  });

  test('autostart: no /etc/xen/auto at first; autostartLink links the config, autostartCopy installs a text, autostartRemove removes each', async () => {
    assert.deepEqual(await runXl(hostTools.autostartEntries(), options()), []);
    await runXl(hostTools.autostartLink(file), options());
    const copied = installGuestConfig('xen-xl-copied', { display: display + 1 });
    await runXl(hostTools.autostartCopy(copied, 'xen-xl-copied.cfg (workspace)', 'xen-xl-copied.cfg'), options());
    assert.deepEqual(await runXl(hostTools.autostartEntries(), options()), [{ file: 'xen-xl-copied.cfg' }, { file: `${name}.cfg`, target: file }]);
    assert.equal(await dom0Ok(`cat ${sq(`${autostartDir}/xen-xl-copied.cfg`)}`), copied);
    assert.equal((await dom0Ok(`stat -c %a ${sq(autostartDir)} ${sq(`${autostartDir}/xen-xl-copied.cfg`)}`)).trim(), '755\n600');
    const again = await failure(hostTools.autostartLink(file));
    assert.equal(again.kind, 'failed');
    assert.match(again.message, /exists already; it was left as it is/);
    await runXl(hostTools.autostartRemove(`${name}.cfg`), options());
    await runXl(hostTools.autostartRemove('xen-xl-copied.cfg'), options());
    assert.deepEqual(await runXl(hostTools.autostartEntries(), options()), []);
    // The link went, never what it pointed to.
    assert.equal((await dom0(`test -f ${sq(file)}`)).status, 0, `${file} is still there`);
  });

  test('the test helper rigInstallGuestConfig describes the same guest as New Guest\'s config (xl create -n of both); after Finish Install (an empty CD drive, boot "c") it passes too', async () => {
    const helperFile = `/tmp/xen-xl-test/${name}-helper.cfg`;
    const finished = `/tmp/xen-xl-test/${name}-installed.cfg`;
    await upload({
      [file]: guestConfigText(choices),
      [helperFile]: installGuestConfig(name, { volume, display, mac: choices.network!.mac }),
      [finished]: installGuestConfig(name, { volume, display, iso: null, boot: 'c' }),
    });
    /** What makes the install guest: its disks, network, boot order and screen, as xl reads them. */
    const essentials = (config: DomainConfig) => {
      const hvm = (config.raw as { b_info?: { 'type.hvm'?: { boot?: string; vnc?: unknown; serial?: string } } }).b_info?.['type.hvm'];
      return { name: config.name, type: config.type, memory: config.maxMemKiB, disks: config.disks, nics: config.nics, boot: hvm?.boot, vnc: hvm?.vnc, serial: hvm?.serial };
    };
    const written = essentials(await runXl(xl.create(file, { dryRun: true }), options()));
    const helper = essentials(await runXl(xl.create(helperFile, { dryRun: true }), options()));
    assert.deepEqual(helper, written);
    assert.deepEqual(written.vnc, { enable: 'True', listen: '127.0.0.1', display: 17, findunused: 'False' });
    const config = await runXl(xl.create(finished, { dryRun: true }), options());
    const drive = config.disks.find((disk) => disk.vdev === 'hdc');
    assert.equal(drive?.isCdrom, true);
    assert.equal(drive?.target ?? '', '');
    assert.equal(essentials(config).boot, 'c');
  });
});
