// A running guest on the real rig, through the client's own code over ssh: its details read by
// the xl builders and parsers from live output (block-list, network-list, vcpu-list, list -l),
// its live figures from one long-running `xentop -b` through the runner's stream and the
// incremental parser, memory and vCPUs changed within their bounds and refused beyond them
// (with the failure reasons the commands show), Save to File and Restore from File (the save
// folder listing with its free space, the claimed file, corrupt and missing files), and a
// migration to localhost (dom0's ssh is dropbear's client with a root key: lib/rig.mjs).
//
// The guest is PVH: it boots in about 15 s under TCG, balloons, and can migrate. A PV guest
// cannot migrate on this rig: live migration needs log-dirty mode, which for PV guests needs
// shadow paging, and Debian's Xen 4.17 is built without it (test/fixtures/xl/README.md).
// What xl printed is saved in test-results as xen-running-* for the parsers' fixtures.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { memSetFailureReason, migrateFailureReason, restoreFailureReason, runXl, saveFiles, startStream, vcpuSetFailureReason, xentopStream, XentopParser, xl, type XentopFrame, type XlCommand } from '../../client/src/xl';
import { dom0, dom0Ok, guestConfig, options, rig, runLogged, skipReason, sq, upload, waitFor } from './helpers';

const MiB = 1024 ** 2;

function keep(file: string, text: string): void {
  writeFileSync(join(rig.resultsDir, file), text);
}

/** Runs a command's own argv in dom0 over plain ssh and keeps its raw stdout as `file`. */
async function keepOutput(command: XlCommand<unknown>, file: string): Promise<void> {
  keep(file, await dom0Ok([command.program ?? 'xl', ...command.args].map(sq).join(' ')));
}

/** A failing command through the runner: its XlError and the stderr the runner logged. */
async function failure(command: XlCommand<unknown>, timeoutMs = 90_000): Promise<{ kind: string; message: string; stderr: string; exitCode?: number }> {
  const { error, entry } = await runLogged(command, { timeoutMs });
  assert.ok(error !== undefined, `${command.description} failed`);
  return { kind: error.kind, message: error.message, stderr: entry.stderr, exitCode: entry.exitCode };
}

const seconds = (since: number): string => ((Date.now() - since) / 1000).toFixed(1);

describe('real Xen: a running guest (details, live figures, memory and vCPUs, save and restore, migration)', { skip: skipReason, concurrency: 1 }, () => {
  const name = 'xen-xl-running';
  const volume = `/dev/${rig.volumeGroup}/${name}`;
  const mac = '00:16:3e:5a:0b:01';
  const file = `/tmp/xen-xl-test/${name}.cfg`;
  const saveFolder = '/var/lib/xen/save';
  const saveFile = `${saveFolder}/${name}-test.save`;
  const corruptFile = `${saveFolder}/${name}-corrupt.save`;
  /** The guest's memory and bounds in MiB, and its vCPUs. */
  const memory = 128;
  const maxmem = 256;
  /** Set Memory's value: a little below `memory` (the rig guest's kernel and its initramfs root
   * need about 80 MiB; ballooned lower, it runs out of memory and panics). */
  const lowered = 112;

  /** The guest's current domid, from our own `xl list`. */
  async function domid(): Promise<number | undefined> {
    return (await runXl(xl.list(), options())).find((domain) => domain.name === name)?.id;
  }

  /** Waits until the guest's console (xenconsoled keeps its history) shows its /init's line. */
  async function guestUp(timeoutMs = 120_000): Promise<void> {
    await waitFor(
      `${name}'s console line XEN-XL-GUEST-UP`,
      async () => ((await dom0(`timeout 3 xl console ${name} </dev/null 2>/dev/null`, { timeoutMs: 20_000 })).stdout.includes(`XEN-XL-GUEST-UP tag=${name}`) ? true : undefined),
      timeoutMs,
      2000,
    );
  }

  after(async () => {
    if (skipReason) return;
    await dom0(
      `for d in ${name} ${name}--incoming ${name}--migratedaway; do xl destroy -- "$d" 2>/dev/null; done; lvremove --yes -- ${sq(`${rig.volumeGroup}/${name}`)} >/dev/null 2>&1; rm -f -- ${sq(saveFile)} ${sq(corruptFile)} ${sq(file)}; true`,
      { timeoutMs: 60_000 },
    );
  });

  test('a PVH guest with a disk (a logical volume) and a network card runs, with room to grow (maxmem, maxvcpus)', async () => {
    await dom0Ok(`lvcreate --yes -q -n ${sq(name)} -L 16m -- ${sq(rig.volumeGroup)}`);
    const config = guestConfig(name, 'pvh', name, memory).replace(
      /\n$/,
      `\nmaxmem = ${maxmem}\nmaxvcpus = 2\ndisk = [ "format=raw, vdev=xvda, access=rw, target=${volume}" ]\nvif = [ "mac=${mac}, bridge=xenbr0" ]\n`,
    );
    await upload({ [file]: config });
    const started = Date.now();
    await runXl(xl.create(file), options({ timeoutMs: 120_000 }));
    await guestUp();
    console.log(`${name}: up ${seconds(started)} s after xl create began`);
  });

  test('details from live output: block-list (xvda), network-list (the MAC), vcpu-list (one online, one offline), list -l (the volume, the bridge, the bounds)', async () => {
    const id = await domid();
    assert.ok(id !== undefined, `${name} runs`);
    const blocks = await runXl(xl.blockList(name), options());
    await keepOutput(xl.blockList(name), 'xen-running-block-list.txt');
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0].vdevName, 'xvda');
    assert.equal(blocks[0].vdev, 51712);
    // The rig guest's initramfs has no kernel modules, so its block and network frontends (modules
    // in Debian's kernel) never connect: the backends wait in Initialising (xl prints state 1).
    assert.equal(blocks[0].stateName, 'initialising');
    assert.equal(blocks[0].backendPath, `/local/domain/0/backend/vbd/${id}/51712`);

    const nics = await runXl(xl.networkList(name), options());
    await keepOutput(xl.networkList(name), 'xen-running-network-list.txt');
    assert.equal(nics.length, 1);
    assert.equal(nics[0].mac, mac);
    assert.equal(nics[0].stateName, 'initialising');
    assert.equal(nics[0].backendPath, `/local/domain/0/backend/vif/${id}/0`);

    const vcpus = await runXl(xl.vcpuList(name), options());
    await keepOutput(xl.vcpuList(name), 'xen-running-vcpu-list.txt');
    assert.deepEqual(
      vcpus.map((v) => [v.domainName, v.domainId, v.vcpu, v.state === 'offline' ? 'offline' : 'online', v.hardAffinity]),
      [
        [name, id, 0, 'online', 'all'],
        [name, id, 1, 'offline', 'all'],
      ],
    );

    const [details] = await runXl(xl.listLong(name), options());
    await keepOutput(xl.listLong(name), 'xen-running-list-long.json');
    assert.equal(details.type, 'pvh');
    assert.equal(details.maxMemKiB, maxmem * 1024);
    assert.equal(details.targetMemKiB, memory * 1024);
    assert.equal(details.maxVcpus, 2);
    assert.deepEqual(details.disks.map((d) => [d.vdev, d.target]), [['xvda', volume]]);
    assert.deepEqual(details.nics.map((n) => [n.mac, n.bridge]), [[mac, 'xenbr0']]);
  });

  test('live figures: one xentop -b stream through the runner gives frames as they come; CPU % only from the second frame; stop() ends it in dom0 too', async () => {
    const parser = new XentopParser();
    const frames: XentopFrame[] = [];
    let raw = '';
    const started = Date.now();
    const stream = startStream(xentopStream(1), options(), {
      onData: (chunk) => {
        raw += chunk;
        frames.push(...parser.feed(chunk));
      },
    });
    try {
      // A frame is complete when the next one's header arrives: four headers give three frames.
      await waitFor('three complete xentop frames', async () => (frames.length >= 3 ? true : undefined), 60_000, 250);
    } finally {
      stream.stop();
    }
    const end = await stream.ended;
    keep('xen-running-xentop.txt', raw);
    console.log(`xentop: ${frames.length} frames in ${seconds(started)} s; rows of ${name}: ${JSON.stringify(frames.map((f) => f.guests.find((g) => g.name === name)))}`);
    assert.equal(end.stoppedByUs, true);
    assert.equal(end.error, undefined);
    const rows = frames.map((frame) => frame.guests.find((guest) => guest.name === name));
    assert.ok(rows.every((row) => row !== undefined), `${name} is in every frame`);
    const [first, second, third] = rows;
    assert.equal(first.cpuPercent, undefined, 'the first frame has no CPU %');
    assert.equal(typeof second.cpuPercent, 'number');
    assert.equal(typeof third.cpuPercent, 'number');
    assert.ok(second.cpuSeconds >= first.cpuSeconds && third.cpuSeconds >= second.cpuSeconds, 'CPU time only grows');
    assert.ok(Math.abs(first.memKiB - memory * 1024) <= 2048, `xentop's memory ${first.memKiB} KiB is about ${memory} MiB`);
    assert.deepEqual([first.nets, first.vbds], [1, 1]);
    assert.ok(frames.every((frame) => frame.guests.some((guest) => guest.name === 'Domain-0')));
    // Frames come about a second apart (xentop -d 1), not all at the end.
    assert.ok(frames[2].at - frames[0].at >= 1500, `frames ${frames[2].at - frames[0].at} ms apart`);
    // The runner ended the remote process group, not only the local ssh client.
    await waitFor('no xentop left in dom0', async () => ((await dom0('ps -o pid,args | grep "[x]entop -b"')).stdout.trim() === '' ? true : undefined), 15_000, 500);
  });

  test('Set Memory within its bounds (xl mem-set, the balloon follows), and beyond maxmem refused with the reason', async () => {
    const started = Date.now();
    await runXl(xl.memSet(name, lowered), options());
    const reached = await waitFor(`the guest at ${lowered} MiB`, async () => {
      const domain = (await runXl(xl.list(), options())).find((d) => d.name === name);
      return domain !== undefined && domain.memoryMiB <= lowered + 1 ? domain.memoryMiB : undefined;
    }, 30_000, 500);
    console.log(`mem-set ${lowered} MiB: the guest has ${reached} MiB after ${seconds(started)} s`);
    const [details] = await runXl(xl.listLong(name), options());
    assert.equal(details.targetMemKiB, lowered * 1024);
    assert.equal(details.maxMemKiB, maxmem * 1024, 'maxmem is unchanged');

    const refused = await failure(xl.memSet(name, maxmem * 2));
    keep('xen-running-mem-set-beyond-maxmem.txt', `exit ${refused.exitCode}\n${refused.stderr}`);
    console.log(`mem-set beyond maxmem: ${refused.kind}: ${refused.message}`);
    assert.equal(refused.kind, 'failed');
    assert.match(memSetFailureReason(refused.stderr) ?? '', /above the guest's maxmem/);
    await runXl(xl.memSet(name, memory), options());
    await waitFor(`the guest back at ${memory} MiB`, async () => ((await runXl(xl.list(), options())).find((d) => d.name === name)?.memoryMiB === memory ? true : undefined), 30_000, 500);
  });

  test('Set vCPUs within its bounds (xl vcpu-set 2 of maxvcpus 2), and beyond the host\'s CPUs refused with the reason', async () => {
    const id = await domid();
    assert.ok(id !== undefined);
    await runXl(xl.vcpuSet(name, 2), options());
    assert.equal((await dom0Ok(`xenstore-read /local/domain/${id}/cpu/1/availability`)).trim(), 'online');
    const [details] = await runXl(xl.listLong(name), options());
    const online = (details.raw as { b_info?: { avail_vcpus?: number[] } }).b_info?.avail_vcpus;
    assert.deepEqual(online, [0, 1]);

    const refused = await failure(xl.vcpuSet(name, 3));
    keep('xen-running-vcpu-set-beyond.txt', `exit ${refused.exitCode}\n${refused.stderr}`);
    assert.match(vcpuSetFailureReason(refused.stderr) ?? '', /the host has 2 CPUs/);
    await runXl(xl.vcpuSet(name, 1), options());
    assert.equal((await dom0Ok(`xenstore-read /local/domain/${id}/cpu/1/availability`)).trim(), 'offline');
  });

  test('Save to File then Restore from File: the folder\'s free space, a claimed 0600 file, the guest gone and back under a new domid; corrupt and missing files refused with the reason', async () => {
    const before = await runXl(saveFiles.saveFolder(saveFolder), options());
    assert.equal(before.exists, true);
    assert.ok(before.space !== undefined && before.space.availableKiB > memory * 1024 * 1.1, `room in ${saveFolder}: ${JSON.stringify(before.space)}`);
    const oldId = await domid();
    await runXl(saveFiles.claimSaveFile(saveFile), options());
    assert.equal((await dom0Ok(`stat -c '%a %s' ${sq(saveFile)}`)).trim(), '600 0');
    const again = await failure(saveFiles.claimSaveFile(saveFile));
    assert.equal(again.kind, 'failed', 'an existing file is never claimed twice');

    let t = Date.now();
    const saved = await runLogged(xl.save(name, saveFile), { timeoutMs: 180_000 });
    assert.equal(saved.error, undefined, saved.error?.message);
    const saveSeconds = seconds(t);
    keep('xen-running-save.txt', saved.entry.stderr);
    assert.equal(await domid(), undefined, 'xl save stopped the guest');
    const listing = await runXl(saveFiles.saveFolder(saveFolder), options());
    const entry = listing.files.find((f) => f.path === saveFile);
    assert.ok(entry?.sizeBytes !== undefined && entry.sizeBytes > (memory - 8) * MiB, `the file has the guest's memory: ${JSON.stringify(entry)}`);
    assert.equal((await dom0Ok(`stat -c %a ${sq(saveFile)}`)).trim(), '600', 'xl kept the claimed file\'s mode');

    t = Date.now();
    const restored = await runLogged(xl.restore(saveFile), { timeoutMs: 240_000 });
    assert.equal(restored.error, undefined, restored.error?.message);
    const restoreSeconds = seconds(t);
    keep('xen-running-restore.txt', restored.entry.stderr);
    const newId = await domid();
    assert.ok(newId !== undefined && newId !== oldId, `restored as a new domain (${oldId} -> ${newId})`);
    console.log(`xl save: ${saveSeconds} s, ${entry.sizeBytes} bytes; xl restore: ${restoreSeconds} s`);
    const [details] = await runXl(xl.listLong(name), options());
    assert.deepEqual(details.disks.map((d) => [d.vdev, d.target]), [['xvda', volume]], 'the same disk after the restore');

    await dom0Ok(`head -c 4096 /dev/urandom > ${sq(corruptFile)}`);
    const corrupt = await failure(xl.restore(corruptFile));
    assert.match(restoreFailureReason(corrupt.stderr) ?? '', /not an xl save file/);
    const missing = await failure(xl.restore(`${saveFolder}/${name}-missing.save`));
    assert.match(restoreFailureReason(missing.stderr) ?? '', /not there any more/);
    const taken = await failure(xl.restore(saveFile));
    assert.match(restoreFailureReason(taken.stderr) ?? '', /already exists on this host/);
    assert.equal(await domid(), newId, 'the refused restores left the running guest alone');

    await runXl(saveFiles.removeSaveFile(saveFile), options());
    await runXl(saveFiles.removeSaveFile(corruptFile), options());
    assert.equal((await runXl(saveFiles.saveFolder(saveFolder), options())).files.some((f) => f.path === saveFile || f.path === corruptFile), false);
  });

  test('Migrate to Host: to an unknown host refused with the ssh reason (the guest runs on); to localhost it arrives under a new domid, and answers a clean shutdown', async () => {
    const oldId = await domid();
    assert.ok(oldId !== undefined);
    const unreachable = await failure(xl.migrate(name, 'no-such-host.invalid'));
    console.log(`migrate to an unknown host: ${unreachable.message}`);
    assert.match(migrateFailureReason(unreachable.stderr, 'no-such-host.invalid') ?? '', /could not reach no-such-host\.invalid over ssh.*runs on at the source/s);
    assert.equal(await domid(), oldId);

    const started = Date.now();
    const migrated = await runLogged(xl.migrate(name, 'localhost'), { timeoutMs: 300_000 });
    keep('xen-running-migrate-localhost.txt', migrated.entry.stderr);
    assert.equal(migrated.error, undefined, `${migrated.error?.message}\n${migrated.entry.stderr}`);
    const newId = await domid();
    console.log(`xl migrate ${name} localhost: ${seconds(started)} s, domid ${oldId} -> ${newId}`);
    assert.match(migrated.entry.stderr, /Migration successful/);
    assert.ok(newId !== undefined && newId !== oldId);
    assert.ok(!(await runXl(xl.list(), options())).some((d) => d.name.startsWith(`${name}--`)), 'no --incoming or --migratedaway domain left');
    // A guest whose kernel survived the move acts on a shutdown request and powers off.
    await runXl(xl.shutdown(name, { wait: true }), options({ timeoutMs: 90_000 }));
    // After a migration the guest is watched by the receiving xl, which destroys it (on_poweroff)
    // a moment after `shutdown -w` returns.
    const end = await waitFor('the guest powered off', async () => {
      const domain = (await runXl(xl.list(), options())).find((d) => d.name === name);
      return domain === undefined ? 'gone' : domain.shutdownReason === 'poweroff' ? 'powered off' : undefined;
    }, 30_000, 500);
    console.log(`after xl shutdown -w: ${end}`);
  });
});
