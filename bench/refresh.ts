// Counts the xl processes that sidebar refreshes start, with the real refresh code (XenState,
// RefreshManager's scopes, the runner) against a fake `xl` that lists N guests.

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XenState } from '../client/src/tree/xenState';
import type { XenHost, XenService } from '../client/src/xenService';
import { runnerStats, runXl } from '../client/src/xl';

export interface RefreshFigures {
  /** A steady-state refresh (the poll): only `xl list`. */
  spawnedPerRefresh: number;
  /** The first refresh, which also fetches `xl info` and `xl uptime`. */
  spawnedFirstRefresh: number;
  guestsListed: number;
}

export async function measureRefresh(guests: number): Promise<RefreshFigures> {
  const folder = mkdtempSync(join(tmpdir(), 'xen-xl-refresh-'));
  try {
    const rows = ['Name                                        ID   Mem VCPUs\tState\tTime(s)', 'Domain-0                                     0  4096     2     r-----     100.0'];
    for (let index = 1; index < guests; index++) rows.push(`${`guest-${index}`.padEnd(40)} ${String(index).padStart(5)}  1024     1     -b----      12.${index % 10}`);
    writeFileSync(join(folder, 'list.txt'), rows.join('\n') + '\n');
    writeFileSync(join(folder, 'info.txt'), 'host                   : bench\nxen_version            : 4.17.0\ntotal_memory           : 65536\nfree_memory            : 1024\nnr_cpus                : 8\nxen_scheduler          : credit2\n');
    const fakeXl = join(folder, 'xl');
    writeFileSync(fakeXl, `#!/bin/sh\ncase "$1" in\n  list) cat "${folder}/list.txt" ;;\n  info) cat "${folder}/info.txt" ;;\n  uptime) echo 'Name ID Uptime' ;;\nesac\n`);
    chmodSync(fakeXl, 0o755);
    const host: XenHost = { id: 'local', label: 'bench', isLocal: true, target: { kind: 'local' } };
    const service = {
      hosts: () => [host],
      run: <T>(_host: XenHost, command: Parameters<typeof runXl<T>>[0]) => runXl(command, { target: host.target, xlPath: fakeXl, sudo: 'never', timeoutMs: 10_000 }),
    } as unknown as XenService;
    const state = new XenState(service);
    const before = runnerStats.spawned;
    await state.refresh({ list: true, info: true });
    const afterFirst = runnerStats.spawned;
    await state.refresh({ list: true, info: false });
    const afterSecond = runnerStats.spawned;
    const listed = state.hosts()[0]?.domains?.length ?? 0;
    state.dispose();
    return { spawnedFirstRefresh: afterFirst - before, spawnedPerRefresh: afterSecond - afterFirst, guestsListed: listed };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
