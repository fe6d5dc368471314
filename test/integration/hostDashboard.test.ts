// Open Host Dashboard in a real VS Code: the panel's webview loads, asks for its data, and gets
// rows whose figures change from sample to sample; closing it stops the sampling. `xl` and
// `xentop` are stand-ins on this machine (xentop prints a frame a second with growing counters).

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import { ourExtension, waitFor } from './helpers';

interface Row {
  name: string;
  cpuPercent?: number;
  text: { cpu: string };
  cpuSpark: string;
}
interface Testing {
  dashboards: { lastPosted(hostId: string): { rows: Row[]; status: string } | undefined; openHosts(): string[] };
  figures: { status(hostId: string): { kind: string }; guestsViewShowing: boolean };
}

const GUEST = 'dash-vm1';
const HEADER = '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID';

describe('Host Dashboard', () => {
  let folder: string;
  let savedPath: string | undefined;
  let testing: Testing;

  before(async () => {
    const api = (await ourExtension()).exports as { testing?: Testing };
    assert.ok(api.testing);
    testing = api.testing;
    folder = mkdtempSync(join(tmpdir(), 'xen-xl-dashboard-'));
    const fakeXl = join(folder, 'xl');
    writeFileSync(fakeXl, `#!/bin/sh\ncase "$1" in\n  list) printf 'Name ID Mem VCPUs State Time(s)\\nDomain-0 0 768 2 r----- 10.0\\n${GUEST} 3 128 1 -b---- 1.5\\n' ;;\n  info) printf 'total_memory : 2048\\nfree_memory : 1024\\n' ;;\nesac\n`);
    // Counters grow every frame, and the guest's CPU % changes (the first frame's is not used).
    writeFileSync(
      join(folder, 'xentop'),
      `#!/bin/sh
i=0
while :; do
  i=$((i+1))
  echo '${HEADER}'
  printf '  Domain-0 -----r %10s %6s     786432   37.5   no limit       n/a     2    0        0        0    0        0        0        0          0          0    0\\n' "$i" "$((i % 50)).0"
  printf '  ${GUEST} --b--- %10s %6s     131072    6.3     132096       6.3     1    1 %8s %8s    1        0 %8s %8s          0          0    0\\n' "$i" "$((i * 7 % 90)).5" "$((i * 10))" "$((i * 20))" "$i" "$i"
  sleep 1
done
`,
    );
    chmodSync(fakeXl, 0o755);
    chmodSync(join(folder, 'xentop'), 0o755);
    // The runner finds xentop on PATH (this extension host's own environment).
    savedPath = process.env.PATH;
    process.env.PATH = `${folder}${delimiter}${savedPath ?? ''}`;
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('xlPath', fakeXl, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', 'never', vscode.ConfigurationTarget.Workspace);
    await xen.update('figuresInterval', 1, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    process.env.PATH = savedPath;
    const xen = vscode.workspace.getConfiguration('xen');
    for (const key of ['xlPath', 'sudo', 'figuresInterval']) await xen.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    rmSync(folder, { recursive: true, force: true });
  });

  it('shows a guest whose figures change, and stops sampling when closed', async () => {
    await vscode.commands.executeCommand('xen.refresh');
    const outcome = await vscode.commands.executeCommand('xen.host.dashboard');
    assert.deepEqual(outcome, { kind: 'opened', hostId: 'local' });
    const first = await waitFor(
      'a dashboard row with a CPU %',
      () => testing.dashboards.lastPosted('local')?.rows.find((row) => row.name === GUEST && row.cpuPercent !== undefined),
      30_000,
    );
    const later = await waitFor(
      'the CPU % to change',
      () => testing.dashboards.lastPosted('local')?.rows.find((row) => row.name === GUEST && row.cpuPercent !== undefined && row.cpuPercent !== first.cpuPercent),
      30_000,
    );
    assert.match(later.text.cpu, /%$/);
    // The history keeps about one point per sparkline pixel of its 10 minutes (one per ~4-5 s), so
    // the second point comes a few seconds after the second frame.
    await waitFor(
      'a CPU sparkline of at least two points',
      () => (testing.dashboards.lastPosted('local')?.rows.find((row) => row.name === GUEST)?.cpuSpark.split(' ').length ?? 0) >= 2,
      30_000,
    );
    assert.match(testing.dashboards.lastPosted('local')?.status ?? '', /^live/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the dashboard to close', () => testing.dashboards.openHosts().length === 0);
    // Unless the Guests view itself shows figures, nothing samples any more.
    if (!testing.figures.guestsViewShowing) await waitFor('sampling to stop', () => testing.figures.status('local').kind === 'off');
  });
});
