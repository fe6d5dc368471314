// Two hosts in xen.hosts: the rig under two ssh aliases of the user's ~/.ssh/config, xen-a as
// root and xen-b as the sudoer `xenadmin`. With xen.sudo "always" every xl call goes through
// sudo, and dom0's sudo log names the user: that is how we see which alias an action used.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { LIVE, bridge, command, destroyInDom0, dom0, drove, guestConfig, guestsProvider, guestsView, isHostNode, labelOf, rig, shot, waitFor, writeConfig, xlListed } from './helpers';

const NAME = 'wb-two';

/** The sudo log lines that appeared since `from` (a line count). */
async function sudoLogSince(from: number): Promise<string[]> {
  const result = await dom0('cat /var/log/sudo.log 2>/dev/null; true');
  return result.stdout.split('\n').filter((line) => line.trim() !== '').slice(from);
}

async function sudoLogLength(): Promise<number> {
  return (await sudoLogSince(0)).length;
}

describe('two hosts in xen.hosts', () => {
  before(async () => {
    await destroyInDom0(NAME);
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('hosts', [rig.aliases.a, rig.aliases.b], vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', 'always', vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    const xen = vscode.workspace.getConfiguration('xen');
    await xen.update('hosts', undefined, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', undefined, vscode.ConfigurationTarget.Workspace);
    await destroyInDom0(NAME);
  });

  it('both hosts are roots of the Guests view, each with its Domain-0', async () => {
    await command('xen.refresh');
    const provider = await guestsProvider();
    const { roots } = await waitFor('two host roots', async () => {
      const view = await guestsView();
      return view.roots.length === 2 && view.roots.every(({ node }) => isHostNode(node)) ? view : undefined;
    }, 30_000, { refresh: true });
    assert.deepEqual(roots.map(({ item }) => labelOf(item)), [rig.aliases.a, rig.aliases.b]);
    for (const { node } of roots) {
      const children = provider.getChildren(node) as { kind: string; domain?: { id: number } }[];
      assert.ok(children.some((child) => child.kind === 'guest' && child.domain?.id === 0), `${labelOf(provider.getTreeItem(node))} lists Domain-0`);
    }
    await vscode.commands.executeCommand('workbench.view.extension.xen');
    await shot('two hosts in the Guests view');
  });

  it('Start with two hosts asks which one, and xl runs there', async () => {
    const uri = await writeConfig(`${NAME}.cfg`, guestConfig(NAME, NAME));
    const from = await sudoLogLength();
    const done = command('xen.config.start', uri);
    const offered = await bridge<string[]>('quickPick', { label: rig.aliases.b });
    assert.ok(offered.some((label) => label.startsWith(rig.aliases.a)) && offered.some((label) => label.startsWith(rig.aliases.b)), `both hosts offered: ${offered.join(' | ')}`);
    await done;
    const created = (await sudoLogSince(from)).filter((line) => /COMMAND=\S*xl\b.*\bcreate\b/.test(line));
    assert.ok(created.length > 0, 'xl create ran through sudo');
    assert.ok(created.every((line) => line.includes('xenadmin')), `as xen-b's user: ${created.join('\n')}`);
    const running = await xlListed(NAME);
    assert.ok(running, 'the guest exists in dom0');
  });

  it('Pause on a guest under xen-b runs as xen-b; Unpause under xen-a runs as xen-a', async () => {
    if (!(await xlListed(NAME))) {
      // Set-up without the extension, so that this test does not depend on the previous one.
      await dom0(`cat > /tmp/${NAME}.cfg <<'XEOF'\n${guestConfig(NAME, NAME)}XEOF\nxl create /tmp/${NAME}.cfg`, { timeoutMs: 120_000 });
    }
    const under = async (alias: string) => {
      const { guests } = await guestsView();
      return guests.find((g) => g.host.label === alias && g.domain.name === NAME && LIVE.has(g.domain.state));
    };
    const onB = await waitFor(`${NAME} under ${rig.aliases.b}`, () => under(rig.aliases.b), 30_000, { refresh: true });
    let from = await sudoLogLength();
    await command('xen.guest.pause', onB);
    let all = await sudoLogSince(from);
    let ran = all.filter((line) => new RegExp(`COMMAND=\\S*xl pause (-- )?${NAME}$`).test(line));
    assert.equal(ran.length, 1, `one xl pause through sudo; dom0's sudo log since the click:\n${all.join('\n')}`);
    assert.match(ran[0], /xenadmin/, 'run by xen-b\'s user');
    assert.match((await xlListed(NAME))?.flags ?? '', /p/);

    const onA = await waitFor(`${NAME} under ${rig.aliases.a}, paused`, async () => {
      const { guests } = await guestsView();
      return guests.find((g) => g.host.label === rig.aliases.a && g.domain.name === NAME && g.domain.state === 'paused');
    }, 30_000, { refresh: true });
    from = await sudoLogLength();
    await command('xen.guest.unpause', onA);
    all = await sudoLogSince(from);
    ran = all.filter((line) => new RegExp(`COMMAND=\\S*xl unpause (-- )?${NAME}$`).test(line));
    assert.equal(ran.length, 1, `one xl unpause through sudo; dom0's sudo log since the click:\n${all.join('\n')}`);
    assert.match(ran[0], /\broot\b/);
    assert.doesNotMatch(ran[0], /xenadmin/, 'run by xen-a\'s user (root)');
    drove('xen.guest.unpause');
  });
});
