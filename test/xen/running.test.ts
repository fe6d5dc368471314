// A running guest on the real rig, through the client's own code over ssh: its details read by
// the xl builders and parsers from live output (block-list, network-list, vcpu-list, list -l).
// NOTE: once the branches of issue 18 are merged, drafts/running.test.ts replaces this file: it
// adds live figures (the runner's xentop stream), Set Memory/vCPUs, save/restore and migration.
//
// The guest is PVH: it boots in about 15 s under TCG, balloons, and can migrate. A PV guest
// cannot migrate on this rig: live migration needs log-dirty mode, which for PV guests needs
// shadow paging, and Debian's Xen 4.17 is built without it (test/fixtures/xl/README.md).
// What xl printed is saved in test-results as xen-running-* for the parsers' fixtures.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runXl, xl, type XlCommand } from '../../client/src/xl';
import { dom0, dom0Ok, guestConfig, options, rig, skipReason, sq, upload, waitFor } from './helpers';

function keep(file: string, text: string): void {
  writeFileSync(join(rig.resultsDir, file), text);
}

/** Runs a command's own argv in dom0 over plain ssh and keeps its raw stdout as `file`. */
async function keepOutput(command: XlCommand<unknown>, file: string): Promise<void> {
  keep(file, await dom0Ok([command.program ?? 'xl', ...command.args].map(sq).join(' ')));
}


const seconds = (since: number): string => ((Date.now() - since) / 1000).toFixed(1);

describe('real Xen: a running guest (details)', { skip: skipReason, concurrency: 1 }, () => {
  const name = 'xen-xl-running';
  const volume = `/dev/${rig.volumeGroup}/${name}`;
  const mac = '00:16:3e:5a:0b:01';
  const file = `/tmp/xen-xl-test/${name}.cfg`;
  /** The guest's memory and bounds in MiB, and its vCPUs. */
  const memory = 128;
  const maxmem = 256;

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
      `for d in ${name} ${name}--incoming ${name}--migratedaway; do xl destroy -- "$d" 2>/dev/null; done; lvremove --yes -- ${sq(`${rig.volumeGroup}/${name}`)} >/dev/null 2>&1; rm -f -- ${sq(file)}; true`,
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

});
