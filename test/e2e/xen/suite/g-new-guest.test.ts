// The walkthrough on the real rig, through the workbench, without a shell: New Guest (HVM, a new
// logical volume in the rig's volume group, the installer ISO, xenbr0, VNC) writes the config and
// makes the volume; the guest runs and its screen shows the ISO's menu; Insert ISO and Eject
// change the CD drive; Finish Install ejects the ISO, edits the config to boot from the disk and
// restarts the guest, whose screen then shows the firmware booting from the disk; Autostart on and
// off; Delete Guest keeps the volume and the config unless they are ticked.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { decodePng, isBlue, shareOf } from '../../../support/png';
import { EXTENSION_ID, LIVE, bridge, codeOf, command, destroyInDom0, dom0, drove, guestNode, shot, waitFor, xlListed } from './helpers';

const NAME = 'wb-install';
const VG = process.env.XEN_XL_E2E_VG || 'xenvg';
const ISO = process.env.XEN_XL_E2E_ISO || '/opt/isos/xenxl-installer.iso';
const ISO_FILE = ISO.replace(/^.*\//, '');

interface Dialogs {
  enabled: boolean;
  answers: (string | undefined)[];
  asked: string[];
}

interface ConsolePanelLike {
  queryState(timeoutMs?: number): Promise<{ rfb: string; width: number; height: number; distinctColours: number; status: string }>;
  dispose(): void;
}
interface ConsolesLike {
  all(): ConsolePanelLike[];
}

async function testing(): Promise<{ consoles: ConsolesLike; dialogs: Dialogs }> {
  const extension = vscode.extensions.getExtension<{ testing?: { consoles: ConsolesLike; dialogs: Dialogs } }>(EXTENSION_ID);
  assert.ok(extension);
  const api = await extension.activate();
  assert.ok(api.testing?.consoles && api.testing.dialogs, 'the extension runs in test mode');
  return api.testing;
}
const consoles = async (): Promise<ConsolesLike> => (await testing()).consoles;

/**
 * Modal questions and notifications with buttons, answered in order. An extension-tests window
 * refuses modal dialogs (the UI suite, test/e2e/xen/ui.mjs, shows real ones); the quick inputs of
 * New Guest are the real ones, driven through the page.
 */
async function answering(answers: string[]): Promise<Dialogs> {
  const dialogs = (await testing()).dialogs;
  dialogs.enabled = true;
  dialogs.answers = [...answers];
  dialogs.asked = [];
  return dialogs;
}

interface Step {
  title: string;
  labels: string[];
  message: string;
}
/** One step of New Guest, as a person does it: wait for the step by its title, then pick or type. */
function step(title: string, answer: { pick: string } | { text: string; expectMessage?: string }): Promise<Step> {
  return bridge<Step>('quickInputStep', { title, ...answer, timeoutMs: 60_000 }, 90_000);
}

function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the workspace is open');
  return folder.uri;
}
const configUri = (): vscode.Uri => vscode.Uri.joinPath(workspaceFolder(), 'xen', `${NAME}.cfg`);

async function volumeExists(): Promise<boolean> {
  const listed = await dom0(`lvs --noheadings -o lv_name ${VG} 2>&1`);
  return listed.stdout.split(/\s+/).includes(NAME);
}

/** Saves the guest's screen with the console's Save Screenshot; the file's URI. */
async function savedScreen(label: string): Promise<vscode.Uri> {
  const target = vscode.Uri.joinPath(workspaceFolder(), `${NAME}-${label}.png`);
  await command('xen.console.screenshot', target);
  return target;
}

/** The guest's screen as the console's Save Screenshot wrote it: its share of blue pixels. */
async function screenBlueShare(label: string): Promise<{ blue: number; distinct: number }> {
  const target = await savedScreen(label);
  const image = decodePng(await vscode.workspace.fs.readFile(target));
  const colours = new Set<number>();
  for (let i = 0; i < image.rgba.length; i += 4 * 97) colours.add((image.rgba[i] << 16) | (image.rgba[i + 1] << 8) | image.rgba[i + 2]);
  await vscode.workspace.fs.delete(target);
  return { blue: shareOf(image, isBlue), distinct: colours.size };
}

/** The contextValue of the config's row in the Configs view (its state and autostart). */
async function configContext(): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<{ views: { configsProvider: { getChildren(node?: unknown): unknown[]; getTreeItem(node: unknown): vscode.TreeItem } } }>(EXTENSION_ID);
  assert.ok(extension);
  const provider = (await extension.activate()).views.configsProvider;
  for (const node of provider.getChildren()) {
    const item = provider.getTreeItem(node);
    if (item.resourceUri?.path.endsWith(`/${NAME}.cfg`) || String(typeof item.label === 'string' ? item.label : item.label?.label).startsWith(`${NAME}.cfg`)) return item.contextValue;
  }
  return undefined;
}

/**
 * On failure, the guest's device-model and xl logs in dom0 join the error: a QEMU that died during
 * `xl cd-eject` (seen twice in CI: "error on QMP socket: Connection reset by peer", and xl then
 * restarted the domain) leaves its reason only there.
 */
async function withGuestLogs<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    // When xl restarted the domain, the log of the device model that died is the rotated `.1`.
    const logs = await dom0(`for f in /var/log/xen/qemu-dm-${NAME}.log.1 /var/log/xen/qemu-dm-${NAME}.log /var/log/xen/xl-${NAME}.log.1 /var/log/xen/xl-${NAME}.log; do echo "== $f"; tail -n 15 "$f" 2>&1; done; echo "== xl list"; xl list 2>&1`);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs.stdout}`, { cause: error });
  }
}

async function cdTarget(): Promise<string | undefined> {
  const result = await dom0(`xl list -l -- ${NAME}`);
  const parsed = JSON.parse(result.stdout) as { config: { disks?: { vdev: string; pdev_path?: string; is_cdrom?: number }[] } }[];
  const cd = parsed[0]?.config.disks?.find((disk) => disk.is_cdrom);
  assert.ok(cd, `the guest has a CD drive: ${result.stdout.slice(0, 400)}`);
  return cd.pdev_path ?? '';
}

describe('the install cycle of a new HVM guest, through the workbench', () => {
  before(async () => {
    await destroyInDom0(NAME);
    await dom0(`lvremove --yes ${VG}/${NAME} >/dev/null 2>&1; rm -f /etc/xen/auto/${NAME}.cfg; true`);
    await vscode.workspace.fs.delete(configUri()).then(undefined, () => undefined);
    await vscode.workspace.getConfiguration('xen').update('configDirectory', vscode.Uri.joinPath(workspaceFolder(), 'xen').fsPath, vscode.ConfigurationTarget.Workspace);
    // The installer ISO's screen ignores ACPI: the restart gives up waiting after this long.
    await vscode.workspace.getConfiguration('xen').update('shutdownTimeout', 15, vscode.ConfigurationTarget.Workspace);
  });

  afterEach(async () => {
    const dialogs = (await testing()).dialogs;
    dialogs.enabled = false;
    dialogs.answers = [];
  });

  after(async () => {
    for (const open of (await consoles()).all()) open.dispose();
    await destroyInDom0(NAME);
    await dom0(`lvremove --yes ${VG}/${NAME} >/dev/null 2>&1; rm -f /etc/xen/auto/${NAME}.cfg; true`);
    await vscode.workspace.getConfiguration('xen').update('configDirectory', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('xen').update('shutdownTimeout', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('New Guest: HVM from the ISO on a new volume, xenbr0 and VNC; the config has no problems, the volume exists, the guest runs its installer screen', async function () {
    // Its waits add up to more than mocha's 240 s: the guest's firmware and the installer's screen under emulation.
    this.timeout(600_000);
    await vscode.commands.executeCommand('workbench.view.extension.xen');
    const dialogs = await answering(['Create Disk and Start']);
    const running = command('xen.newGuest');
    await step('Kind', { pick: 'HVM' });
    // Checked as it is typed: an all-digit name is refused (Enter does not move on), then the
    // real one is taken (the next step appears).
    const refused = await bridge<Step>('quickInputStep', { title: 'Name', text: '4711', expectMessage: 'only of digits', timeoutMs: 60_000 }, 90_000);
    assert.match(refused.message, /xl reads a name made only of digits/);
    await step('Name', { text: NAME });
    await step('Memory', { text: '128' });
    await step('vCPUs', { text: '1' });
    const disk = await step('Disk', { pick: 'New logical volume' });
    assert.ok(disk.labels.length >= 3, `disk choices: ${disk.labels.join(' | ')}`);
    const groups = await bridge<Step>('quickInputStep', { title: 'Volume group', timeoutMs: 60_000 }, 90_000);
    assert.ok(groups.labels.some((label) => label.startsWith(`${VG}:`) && /free/.test(label)), `the volume group with its free space: ${groups.labels.join(' | ')}`);
    await shot('new guest: the volume groups with room');
    await step('Volume group', { pick: `${VG}:` });
    await step('Size', { text: '64M' });
    const isos = await step('Install from', { pick: ISO_FILE });
    assert.ok(isos.labels.some((label) => label.startsWith(ISO_FILE)), `the ISO folder's ISO: ${isos.labels.join(' | ')}`);
    await step('Network', { pick: 'xenbr0' });
    await step('Screen', { pick: 'VNC on display' });
    const summary = await bridge<Step>('quickInputStep', { title: 'Summary', timeoutMs: 60_000 }, 90_000);
    await shot('new guest: the summary before anything is written');
    assert.ok(summary.labels.some((label) => label.includes('Write, Create Disk and Start')), summary.labels.join(' | '));
    await step('Summary', { pick: 'Write, Create Disk and Start' });
    const outcome = (await running) as { status: string };
    assert.equal(outcome.status, 'started', JSON.stringify(outcome));
    const question = dialogs.asked[0] ?? '';
    assert.match(question, new RegExp(`lvcreate .*${NAME}.*${VG}`), `the exact lvcreate is shown first: ${question}`);
    assert.match(question, /xl create/, `and the xl create: ${question}`);

    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(configUri()));
    assert.match(text, /^type = "hvm"$/m);
    assert.match(text, /^boot = "dc"$/m);
    assert.ok(text.includes(ISO) && text.includes(`/dev/${VG}/${NAME}`) && text.includes('bridge=xenbr0'), text);
    const document = await vscode.workspace.openTextDocument(configUri());
    await waitFor('the server to check the new config', () => vscode.languages.getDiagnostics(document.uri) !== undefined, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(vscode.languages.getDiagnostics(document.uri).map((d) => `${codeOf(d)}: ${d.message}`), [], 'the written config has no diagnostics');
    assert.ok(await volumeExists(), `lvs lists ${VG}/${NAME}`);
    await waitFor(`${NAME} to run`, async () => LIVE.has((await guestNode(NAME))?.domain.state ?? ''), 120_000, { refresh: true });
    const open = await waitFor('the console to open on the new guest', async () => (await consoles()).all()[0], 60_000);
    await waitFor('the installer menu (blue) on the guest\'s screen', async () => {
      const state = await open.queryState();
      if (state.rfb !== 'connected' || state.distinctColours < 2) return undefined;
      // The installer clears the screen blue, then writes its text and its grey bar.
      const screen = await screenBlueShare('installer');
      return screen.blue > 0.3 && screen.distinct >= 3;
    }, 240_000);
    // Under emulation the screen may be caught half drawn: wait until it holds still.
    let last = -1;
    await waitFor('the installer menu to be drawn completely', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const now = (await screenBlueShare('installer')).blue;
      const still = Math.abs(now - last) < 0.0005;
      last = now;
      return still;
    }, 60_000);
    await shot('new guest: the installer ISO on the guest screen');
  });

  it('Eject ISO and Insert ISO change the CD drive of the running guest', async () => {
    assert.equal(await cdTarget(), ISO);
    await bridge('viewMenu', { view: 'Guests', row: NAME, item: 'Eject ISO' });
    drove('xen.guest.ejectIso');
    await withGuestLogs(waitFor('the CD drive to be empty', async () => (await cdTarget()) === '', 30_000));
    await answering([ISO_FILE]);
    // The Eject refreshed the view: let the row settle before the next right-click.
    await command('xen.refresh');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await bridge('viewMenu', { view: 'Guests', row: NAME, item: 'Insert ISO…' });
    drove('xen.guest.insertIso');
    await withGuestLogs(waitFor('the ISO back in the CD drive', async () => (await cdTarget()) === ISO, 30_000));
    const blocks = await dom0(`xl block-list -- ${NAME}`);
    assert.match(blocks.stdout, /5632/, `xl block-list lists the CD drive (hdc): ${blocks.stdout}`);
  });

  it('Finish Install: the ISO is ejected, the config boots from the disk, and after the restart the firmware boots from the disk', async function () {
    // The restart waits for the shutdown timeout, then the firmware's screen under emulation.
    this.timeout(600_000);
    const before = await xlListed(NAME);
    assert.ok(before);
    // The CD drive stays, empty; Restart Now; the installer's screen ignores the shutdown request, so
    // after xen.shutdownTimeout the modal offers Destroy and Start.
    const dialogs = await answering(['Keep an empty CD drive', 'Restart Now', 'Destroy and Start']);
    await bridge('viewMenu', { view: 'Guests', row: NAME, item: 'Finish Install…' });
    drove('xen.guest.finishInstall');
    await waitFor('the CD drive to be empty', async () => (await cdTarget()) === '', 30_000);
    const document = await vscode.workspace.openTextDocument(configUri());
    await waitFor('the editor to say boot = "c"', () => /^boot = "c"$/m.test(document.getText()), 10_000);
    assert.ok(!document.getText().includes(ISO), `no ISO in the config: ${document.getText()}`);
    await shot('finish install: the config boots from the disk');
    // A new domain shows in xl list at once, paused until its device model is up (under emulation
    // on a busy machine that took 54 s), and libxl answers `xl list -l` for it only after that.
    const after = await waitFor('the guest to run again under a new id (not paused while xl builds it)', async () => {
      const listed = await xlListed(NAME);
      return listed && listed.id !== before.id && !listed.flags.includes('p') ? listed : undefined;
    }, 240_000);
    assert.ok(after);
    // libxl stores a new domain's configuration a moment after the domain appears in xl list.
    let config = { stdout: '', stderr: '' };
    await waitFor('xl to run the guest with boot = "c"', async () => {
      config = await dom0(`xl list -l -- ${NAME}`);
      return /"boot": "c"/.test(config.stdout);
    }, 60_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; xl list -l said: ${config.stdout.slice(0, 300)} ${config.stderr}`);
    });
    const open = await waitFor('the console', async () => (await consoles()).all()[0], 60_000);
    assert.ok(dialogs.asked.some((asked) => /did not shut down/.test(asked) && asked.includes(NAME)), `the destroy was asked first, naming the guest: ${dialogs.asked.join(' / ')}`);
    // The firmware's own text screen (720x400, as the installer's was), not the device model's 640x480
    // placeholder: text on black, no installer menu.
    await waitFor('the firmware booting from the disk (its text screen, no blue menu)', async () => {
      const state = await open.queryState();
      if (state.rfb !== 'connected' || state.width !== 720 || state.height !== 400) return undefined;
      const screen = await screenBlueShare('disk-boot');
      return screen.blue < 0.02 && screen.distinct > 1;
    }, 240_000);
    // For the screenshot only (what is asserted is above): let the firmware print its boot
    // lines; it keeps printing as it tries the next device, so this waits for a still moment or 20 s.
    let lit = -1;
    for (const started = Date.now(); Date.now() - started < 20_000; ) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const image = decodePng(await vscode.workspace.fs.readFile(await savedScreen('disk-boot-settle')));
      const now = shareOf(image, (r, g, b) => r + g + b > 150);
      if (now > 0 && Math.abs(now - lit) < 0.0002) break;
      lit = now;
    }
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceFolder(), `${NAME}-disk-boot-settle.png`));
    // The screen in front, as a person looks at it (opening the console again shows its tab).
    await command('xen.guest.graphicalConsole', await guestNode(NAME));
    await shot('finish install: the guest boots from its disk');
  });

  it('Autostart on and off in the Configs view', async () => {
    await vscode.workspace.openTextDocument(configUri()).then((document) => document.save());
    await answering(['Copy and Autostart', 'Remove Entry']);
    await bridge('viewMenu', { view: 'Configs', row: NAME, item: 'Turn Autostart On' });
    drove('xen.config.autostartOn');
    await waitFor('/etc/xen/auto to hold the config', async () => (await dom0(`test -e /etc/xen/auto/${NAME}.cfg && echo yes`)).stdout.includes('yes'), 30_000);
    // The row says so once the view has read the folder again (the menu follows the row's state).
    await waitFor('the Configs view to mark the config as autostarting', async () => (await configContext())?.endsWith(':autostart-on'), 30_000);
    await shot('autostart on: the Configs view marks the config');
    await bridge('viewMenu', { view: 'Configs', row: NAME, item: 'Turn Autostart Off' });
    drove('xen.config.autostartOff');
    await waitFor('/etc/xen/auto to no longer hold it', async () => !(await dom0(`test -e /etc/xen/auto/${NAME}.cfg && echo yes`)).stdout.includes('yes'), 30_000);
    await waitFor('the Configs view to show it off', async () => (await configContext())?.endsWith(':autostart-off'), 30_000);
  });

  it('Delete Guest destroys the guest and keeps the volume and the config unless they are ticked', async () => {
    // The choices come unticked; taking them as they are removes neither the config nor the volume.
    const dialogs = await answering(['', 'Delete']);
    await bridge('viewMenu', { view: 'Guests', row: NAME, item: 'Delete Guest…' });
    drove('xen.guest.delete');
    await waitFor('the question naming what is destroyed', () => dialogs.asked.length >= 2, 30_000);
    assert.ok(dialogs.asked[0].includes(`/dev/${VG}/${NAME}`), `the volume is offered with its path: ${dialogs.asked[0]}`);
    assert.match(dialogs.asked[1], new RegExp(NAME), dialogs.asked[1]);
    await waitFor(`${NAME} to be gone`, async () => (await xlListed(NAME)) === undefined, 60_000);
    assert.ok(await volumeExists(), 'the volume is kept');
    await vscode.workspace.fs.stat(configUri());
  });
});
