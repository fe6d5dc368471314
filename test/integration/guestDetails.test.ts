// A guest's devices and the hypervisor's messages in a real VS Code, with a stand-in `xl` that
// prints what the Xen 4.17 rig printed (test/fixtures/xl/rig-*) and records every call: the
// devices are read only when the guest is expanded, once; the actions copy what the rows show;
// `xl dmesg` opens as a read-only log document that follow mode extends.

import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { labelText, ourExtension, waitFor } from './helpers';

interface Node {
  kind: string;
  id?: string;
  label?: string;
  domain?: { name: string; id: number };
  children?: Node[];
  row?: { label: string; mac?: string; target?: string };
}

interface Provider {
  getChildren(node?: Node): Node[] | Promise<Node[]>;
  getTreeItem(node: Node): vscode.TreeItem;
}

interface Api {
  views: { guestsProvider: Provider };
  testing?: { logs: { textOf(uri: string): string | undefined; isFollowing(uri: vscode.Uri): boolean } };
}

const GUEST = 'rig-hvm';

describe('Guest details and logs', () => {
  let folder: string;
  let api: Api;

  const calls = (): string[] => readFileSync(join(folder, 'calls'), 'utf8').split('\n').filter(Boolean);

  before(async () => {
    api = (await ourExtension()).exports as Api;
    folder = mkdtempSync(join(tmpdir(), 'xen-xl-details-'));
    const fixtures = resolve(__dirname, '../../../test/fixtures/xl');
    for (const name of ['rig-list.txt', 'rig-block-list-hvm.txt', 'rig-network-list-hvm.txt', 'rig-vcpu-list-hvm.txt', 'rig-vcpu-list.txt', 'rig-list-long-hvm.json']) {
      copyFileSync(join(fixtures, name), join(folder, name));
    }
    writeFileSync(join(folder, 'calls'), '');
    const fakeXl = join(folder, 'xl');
    writeFileSync(
      fakeXl,
      `#!/bin/sh
d='${folder}'
echo "$*" >> "$d/calls"
case "$*" in
  "list -l -- 2") cat "$d/rig-list-long-hvm.json" ;;
  "block-list -- 2") cat "$d/rig-block-list-hvm.txt" ;;
  "network-list -- 2") cat "$d/rig-network-list-hvm.txt" ;;
  "vcpu-list -- 2") cat "$d/rig-vcpu-list-hvm.txt" ;;
  "vcpu-list -- 0") grep -e '^Name' -e '^Domain-0' "$d/rig-vcpu-list.txt" ;;
  "block-list -- 1"|"network-list -- 1"|"vcpu-list -- 1"|"list -l -- 1") echo "timed out" >&2; exit 1 ;;
  dmesg) n=$(grep -c '^dmesg$' "$d/calls"); i=1; while [ "$i" -le "$n" ]; do printf '(XEN) line %s\\033\\n' "$i"; i=$((i + 1)); done ;;
  list*) cat "$d/rig-list.txt" ;;
esac
`,
    );
    chmodSync(fakeXl, 0o755);
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('xlPath', fakeXl, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', 'never', vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('xlPath', undefined, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('reads a guest\'s devices only when it is expanded, once, and shows them in groups', async () => {
    const provider = api.views.guestsProvider;
    await vscode.commands.executeCommand('xen.refresh');
    const guest = await waitFor(`${GUEST} in the Guests view`, async () => (await provider.getChildren()).find((node) => node.domain?.name === GUEST), 20_000);
    assert.equal(provider.getTreeItem(guest).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.ok(!calls().some((call) => /^(block-list|network-list|vcpu-list)/.test(call)), `nothing read before expansion: ${calls().join(' | ')}`);

    const groups = await provider.getChildren(guest);
    assert.deepEqual(groups.map((group) => group.label), ['Disks (2)', 'Network (1)', 'vCPUs (1)']);
    const rows = groups.flatMap((group) => group.children ?? []);
    assert.deepEqual(
      rows.map((row) => [row.row?.label, provider.getTreeItem(row).contextValue]),
      [
        ['hda → /dev/xenvg/rig-hvm', 'detail:disk'],
        ['hdc → /opt/isos/xenxl-installer.iso', 'detail:disk'],
        ['eth0 00:16:3e:58:da:f9 on xenbr0', 'detail:nic'],
        ['vCPU 0 · CPU 0 · running · affinity all / all', 'detail:vcpu'],
      ],
    );
    await provider.getChildren(guest);
    await vscode.commands.executeCommand('xen.refresh');
    await provider.getChildren((await provider.getChildren()).find((node) => node.domain?.name === GUEST));
    const reads = calls().filter((call) => /^(block-list|network-list|vcpu-list|list -l)/.test(call));
    // The Refresh button forgets them once; redraws and the second expansion cost nothing.
    assert.deepEqual(reads.sort(), ['block-list -- 2', 'block-list -- 2', 'list -l -- 2', 'list -l -- 2', 'network-list -- 2', 'network-list -- 2', 'vcpu-list -- 2', 'vcpu-list -- 2']);

    const mac = await vscode.commands.executeCommand<{ status: string; text: string }>('xen.detail.copyMac', rows[2]);
    assert.deepEqual(mac, { status: 'copied', text: '00:16:3e:58:da:f9' });
    assert.equal(await vscode.env.clipboard.readText(), '00:16:3e:58:da:f9');
    const target = await vscode.commands.executeCommand<{ status: string; text: string }>('xen.detail.copyTarget', rows[1]);
    assert.deepEqual(target, { status: 'copied', text: '/opt/isos/xenxl-installer.iso' });
  });

  it('a guest whose devices cannot be read shows the errors in its groups; Domain-0 shows its vCPUs only', async () => {
    const provider = api.views.guestsProvider;
    const roots = await provider.getChildren();
    const failing = roots.find((node) => node.domain?.name === 'rig-pv');
    assert.ok(failing);
    const groups = await provider.getChildren(failing);
    assert.deepEqual(groups.slice(0, 3).map((group) => [group.label, provider.getTreeItem(group).description]), [
      ['Disks', 'could not be read'],
      ['Network', 'could not be read'],
      ['vCPUs', 'could not be read'],
    ]);
    assert.ok(groups.slice(0, 3).every((group) => group.children?.[0]?.kind === 'message'), 'each group holds its error node');
    // list -l failed too: one error node says that targets and bridges are unknown.
    assert.equal(groups.length, 4);
    assert.equal(provider.getTreeItem(groups[3]).contextValue, 'xen.error');
    assert.match(labelText(provider.getTreeItem(groups[3])), /^Disk targets and bridges: /);
    const dom0 = roots.find((node) => node.domain?.id === 0);
    assert.ok(dom0);
    assert.deepEqual((await provider.getChildren(dom0)).map((group) => group.label), ['vCPUs (2)']);
  });

  it('xl dmesg opens as a read-only log document; Follow appends, Stop Following stops', async () => {
    const opened = await vscode.commands.executeCommand<{ status: string; uri: string; file: string }>('xen.host.dmesg');
    assert.equal(opened.status, 'opened');
    assert.equal(opened.file, 'xl dmesg');
    const uri = vscode.Uri.parse(opened.uri);
    assert.equal(uri.scheme, 'xen-log');
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === opened.uri);
    assert.ok(document);
    assert.equal(document.getText(), '(XEN) line 1\\x1b\n', 'control characters are escaped');
    assert.equal(api.testing?.logs.textOf(opened.uri), document.getText());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), opened.uri);

    const following = await vscode.commands.executeCommand<{ status: string }>('xen.log.follow', uri);
    assert.equal(following.status, 'following');
    await waitFor('new lines of xl dmesg', () => document.getText().includes('(XEN) line 2'), 15_000);
    const stopped = await vscode.commands.executeCommand<{ status: string }>('xen.log.stopFollowing', uri);
    assert.equal(stopped.status, 'not-following');
    assert.equal(api.testing?.logs.isFollowing(uri), false);
  });

  it('a guest without a log file gets a clear message, not an empty document', async () => {
    const outcome = await vscode.commands.executeCommand<{ status: string; path: string }>('xen.guest.openLog', { kind: 'guestRef', hostId: 'local', name: 'xen-xl-no-such-guest' }, 'xl');
    assert.deepEqual([outcome.status, outcome.path], ['missing', '/var/log/xen/xl-xen-xl-no-such-guest.log']);
  });
});
