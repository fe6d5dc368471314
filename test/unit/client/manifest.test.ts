// The Xen sidebar and command contributions in package.json: every command has a title, the Xen
// category and a palette entry; every menu entry names a real command; the guest menus offer
// exactly the actions that policy.ts allows for each state; the views and settings exist.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { COMMAND_IDS } from '../../../client/src/commands/ids';
import { ACTION_STATES, type GuestAction } from '../../../client/src/commands/policy';
import type { GuestStateKey } from '../../../client/src/tree/model';

interface MenuEntry {
  command: string;
  when?: string | boolean;
  group?: string;
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const contributes = manifest.contributes;
const commands: { command: string; title: string; category: string; icon?: string }[] = contributes.commands;
const menus: Record<string, MenuEntry[]> = contributes.menus;
const STATES: GuestStateKey[] = ['dom0', 'running', 'paused', 'shutdown', 'crashed', 'dying'];
const GUEST_COMMAND_ACTIONS: Record<string, GuestAction> = {
  'xen.guest.console': 'console',
  'xen.guest.vnc': 'vnc',
  'xen.guest.shutdown': 'shutdown',
  'xen.guest.reboot': 'reboot',
  'xen.guest.pause': 'pause',
  'xen.guest.unpause': 'unpause',
  'xen.guest.destroy': 'destroy',
  'xen.guest.graphicalConsole': 'graphicalConsole',
  'xen.guest.showConfig': 'showConfig',
  'xen.guest.copyName': 'copy',
  'xen.guest.copyId': 'copy',
  'xen.guest.insertIso': 'media',
  'xen.guest.ejectIso': 'media',
  'xen.guest.finishInstall': 'finishInstall',
  'xen.guest.delete': 'delete',
  'xen.guest.openLog': 'log',
  'xen.guest.setMemory': 'resources',
  'xen.guest.setVcpus': 'resources',
  'xen.guest.save': 'save',
  'xen.guest.migrate': 'migrate',
};

/** The contextValues a `when` clause's viewItem condition accepts, out of `candidates`. */
function viewItemMatches(when: string, candidates: string[]): string[] {
  const equal = /viewItem == ([^\s)]+)/.exec(when);
  if (equal) return candidates.filter((value) => value === equal[1]);
  const regex = /viewItem =~ \/(.+?)\/(?=\s|\)|$)/.exec(when);
  if (regex) return candidates.filter((value) => new RegExp(regex[1]).test(value));
  return candidates;
}

describe('manifest: commands', () => {
  const ids = commands.map((command) => command.command);

  test('exactly the registered commands are contributed', () => {
    assert.deepEqual([...ids].sort(), [...COMMAND_IDS, 'xen.treatAsXlConfig'].sort());
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
  });

  test('each has a title and the Xen category', () => {
    for (const command of commands) {
      assert.ok(command.title && command.title.length > 2, command.command);
      assert.equal(command.category, 'Xen', command.command);
    }
  });

  test('each is in the command palette with a when clause (false for tree-only commands)', () => {
    const palette = new Map(menus.commandPalette.map((entry) => [entry.command, entry.when]));
    for (const id of ids) {
      assert.ok(palette.has(id), `${id} in menus.commandPalette`);
      const when = palette.get(id);
      assert.ok(typeof when === 'string' && when.length > 0, `${id} has a when clause`);
    }
    assert.equal(palette.get('xen.manageTrust'), 'false', 'only meaningful on the tree node');
    for (const id of ids.filter((id) => id.startsWith('xen.guest.') || id.startsWith('xen.config.start') || id === 'xen.config.validate')) {
      assert.match(String(palette.get(id)), /isWorkspaceTrusted/, `${id} is hidden in an untrusted workspace`);
    }
  });

  test('every menu entry names an existing command', () => {
    for (const [menu, entries] of Object.entries(menus)) {
      for (const entry of entries) assert.ok(ids.includes(entry.command), `${menu}: ${entry.command}`);
    }
  });

  test('commands shown as buttons have icons', () => {
    const inline = Object.values(menus)
      .flat()
      .filter((entry) => entry.group?.startsWith('inline') || entry.group?.startsWith('navigation'));
    for (const entry of inline) {
      assert.match(String(commands.find((command) => command.command === entry.command)?.icon), /^\$\([a-z-]+\)$/, entry.command);
    }
  });
});

describe('manifest: guest menus follow the state', () => {
  const guestEntries = menus['view/item/context'].filter((entry) => String(entry.when).includes('view == xen.guests'));
  // model.ts adds `:drift` to a guest that differs from its workspace config: menus must not care.
  const withDrift = (states: readonly string[]): string[] => states.flatMap((state) => [`guest:${state}`, `guest:${state}:drift`]);
  const contextValues = withDrift(STATES);

  test('every guest action is in the context menu for exactly the states policy.ts allows', () => {
    for (const [command, action] of Object.entries(GUEST_COMMAND_ACTIONS)) {
      const entries = guestEntries.filter((entry) => entry.command === command && !entry.group?.startsWith('inline'));
      assert.equal(entries.length, 1, `${command} has one context menu entry`);
      const shown = viewItemMatches(String(entries[0].when), contextValues);
      assert.deepEqual(shown, withDrift(ACTION_STATES[action]), command);
    }
  });

  test('inline buttons never appear where the action does not apply', () => {
    for (const entry of guestEntries.filter((candidate) => candidate.group?.startsWith('inline'))) {
      const action = GUEST_COMMAND_ACTIONS[entry.command];
      for (const value of viewItemMatches(String(entry.when), contextValues)) {
        assert.ok(ACTION_STATES[action].includes(value.split(':')[1] as GuestStateKey), `${entry.command} inline on ${value}`);
      }
    }
  });

  test('nothing that changes a guest is offered for Domain-0', () => {
    const forDom0 = guestEntries.filter((entry) => viewItemMatches(String(entry.when), ['guest:dom0']).length > 0).map((entry) => entry.command);
    assert.deepEqual([...new Set(forDom0)].sort(), ['xen.guest.copyId', 'xen.guest.copyName', 'xen.guest.showConfig']);
  });

  test('Show Differences only on running or paused guests that differ from their config', () => {
    const entries = guestEntries.filter((entry) => entry.command === 'xen.guest.showDifferences');
    assert.equal(entries.length, 1);
    assert.deepEqual(viewItemMatches(String(entries[0].when), contextValues), ['guest:running:drift', 'guest:paused:drift']);
  });

  test('every guest menu accepts the drift suffix wherever it accepts the state', () => {
    for (const entry of guestEntries) {
      for (const state of STATES) {
        const plain = viewItemMatches(String(entry.when), [`guest:${state}`]).length > 0;
        const drifted = viewItemMatches(String(entry.when), [`guest:${state}:drift`]).length > 0;
        if (entry.command !== 'xen.guest.showDifferences') assert.equal(drifted, plain, `${entry.command} on ${state}`);
      }
    }
  });

  test('destroy sits alone in its own, last group', () => {
    const destroy = guestEntries.find((entry) => entry.command === 'xen.guest.destroy');
    const group = String(destroy?.group).split('@')[0];
    assert.match(group, /destructive/);
    const sharing = menus['view/item/context'].filter((entry) => String(entry.group).split('@')[0] === group && entry.command !== 'xen.guest.destroy');
    assert.deepEqual(sharing, []);
    const groups = guestEntries.filter((entry) => !entry.group?.startsWith('inline')).map((entry) => String(entry.group).split('@')[0]);
    assert.equal([...groups].sort().at(-1), group, 'sorted last');
  });

  test('the Guests view allows multi-selection of the contextValues the tree sets', () => {
    // canSelectMany is set in code (tree/views.ts); the menus must accept the values model.ts produces.
    const source = readFileSync('client/src/tree/views.ts', 'utf8');
    assert.match(source, /VIEW_IDS\.guests, \{[^}]*canSelectMany: true/);
  });
});

describe('manifest: config actions', () => {
  test('explorer: start, start with console and validate only on files of the xl language (not every setup.cfg), only when trusted', () => {
    const entries = menus['explorer/context'];
    assert.deepEqual(entries.map((entry) => entry.command).sort(), ['xen.config.start', 'xen.config.startWithConsole', 'xen.config.validate']);
    for (const entry of entries) {
      const when = String(entry.when);
      // Every clause is required (no `||` that a file extension alone could satisfy).
      assert.deepEqual(when.split(' && ').sort(), ['!explorerResourceIsFolder', 'isWorkspaceTrusted', 'resourceLangId == xl'], `${entry.command}: ${when}`);
      assert.doesNotMatch(when, /resourceExtname|\|\|/);
    }
  });
  test('editor title: start on xl documents', () => {
    const entry = menus['editor/title'].find((candidate) => candidate.command === 'xen.config.start');
    assert.match(String(entry?.when), /editorLangId == xl/);
    assert.match(String(entry?.when), /isWorkspaceTrusted/);
  });
  test('Configs view: start when stopped, console and shutdown when running, validate, open and delete always, whatever the autostart state', () => {
    const entries = menus['view/item/context'].filter((entry) => String(entry.when).includes('view == xen.configs'));
    const statuses = ['running', 'stopped', 'unknown', 'no-name'];
    // The contextValues model.ts and autostart.ts produce: the status, then the autostart state when known.
    const suffixes = ['', ':autostart-on', ':autostart-off', ':autostart-mixed'];
    const values = statuses.flatMap((status) => suffixes.map((suffix) => `config:${status}${suffix}`));
    const shownFor = (command: string, group = (g?: string) => !g?.startsWith('inline')): string[] => {
      const found = entries.filter((entry) => entry.command === command && group(entry.group));
      assert.equal(found.length, 1, `${command} has one entry`);
      return viewItemMatches(String(found[0].when), values);
    };
    const withStatus = (...wanted: string[]) => values.filter((value) => wanted.includes(value.split(':')[1]));
    assert.deepEqual(shownFor('xen.config.start'), withStatus('stopped', 'unknown', 'no-name'));
    assert.deepEqual(shownFor('xen.config.start', (g) => g?.startsWith('inline') === true), withStatus('stopped', 'unknown', 'no-name'));
    assert.deepEqual(shownFor('xen.config.startWithConsole'), withStatus('stopped', 'unknown', 'no-name'));
    assert.deepEqual(shownFor('xen.guest.console'), withStatus('running'));
    assert.deepEqual(shownFor('xen.guest.console', (g) => g?.startsWith('inline') === true), withStatus('running'));
    assert.deepEqual(shownFor('xen.guest.shutdown'), withStatus('running'));
    assert.deepEqual(shownFor('xen.config.validate'), values);
    assert.deepEqual(shownFor('xen.config.open'), values);
    assert.deepEqual(shownFor('xen.guest.delete'), values);
    // Autostart: On unless every host that answered has it, Off unless none has; both when unknown.
    assert.deepEqual(shownFor('xen.config.autostartOn'), values.filter((value) => !value.endsWith(':autostart-on')));
    assert.deepEqual(shownFor('xen.config.autostartOff'), values.filter((value) => !value.endsWith(':autostart-off')));
  });
  test('error and trust nodes have their inline actions', () => {
    const entries = menus['view/item/context'];
    assert.ok(entries.some((entry) => entry.command === 'xen.showLog' && String(entry.when).includes('viewItem == xen.error')));
    assert.ok(entries.some((entry) => entry.command === 'xen.manageTrust' && String(entry.when).includes('viewItem == xen.untrusted')));
  });
});

describe('manifest: views and settings', () => {
  test('the Xen activity-bar container with an SVG icon and three views', () => {
    const container = contributes.viewsContainers.activitybar.find((entry: { id: string }) => entry.id === 'xen');
    assert.equal(container.title, 'Xen');
    assert.match(container.icon, /^media\/.+\.svg$/);
    assert.ok(existsSync(container.icon), container.icon);
    assert.match(readFileSync(container.icon, 'utf8'), /<svg[^>]*viewBox/);
    assert.deepEqual(
      contributes.views.xen.map((view: { id: string; name: string }) => `${view.id}:${view.name}`),
      ['xen.guests:Guests', 'xen.configs:Configs', 'xen.host:Host'],
    );
    for (const menu of ['view/title']) {
      for (const view of ['xen.guests', 'xen.configs', 'xen.host']) {
        assert.ok(menus[menu].some((entry) => entry.command === 'xen.refresh' && viewItemMatchesView(String(entry.when), view)), `refresh on ${view}`);
      }
    }
  });

  test('the Configs view has welcome content for an empty workspace', () => {
    assert.ok(contributes.viewsWelcome.some((entry: { view: string }) => entry.view === 'xen.configs'));
  });

  test('every xen.* setting the client reads is contributed with a description', () => {
    const properties = contributes.configuration.properties;
    for (const key of ['xlPath', 'hosts', 'sudo', 'commandTimeout', 'shutdownTimeout', 'refreshInterval', 'statusBar.freeMemory', 'confirmDestructiveActions', 'detectXlConfigs', 'isoDirectories', 'configDirectory']) {
      const property = properties[`xen.${key}`];
      assert.ok(property, `xen.${key}`);
      assert.ok(property.description || property.markdownDescription, `xen.${key} has a description`);
    }
    assert.equal(properties['xen.refreshInterval'].default, 5);
    assert.equal(properties['xen.confirmDestructiveActions'].default, true);
    assert.deepEqual(properties['xen.sudo'].enum, ['never', 'auto', 'always']);
  });

  test('the settings that choose what runs are restricted in untrusted workspaces', () => {
    assert.deepEqual([...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), ['xen.hosts', 'xen.sudo', 'xen.xlPath']);
  });
});

describe('manifest: the Get started walkthrough', () => {
  const walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }[] }[] = contributes.walkthroughs;
  const contributed = new Set(commands.map((entry) => entry.command));
  const ignored = readFileSync('.vscodeignore', 'utf8');

  test('one walkthrough; every step has a page that exists and ships in the VSIX, and a way to be checked off', () => {
    assert.equal(walkthroughs.length, 1);
    for (const step of walkthroughs[0].steps) {
      const page = step.media.markdown;
      assert.ok(page && existsSync(page), `${step.id}: page ${page}`);
      assert.ok(ignored.includes(`!${page.replace(/[^/]+$/, '*.md')}`), `${step.id}: ${page} is packaged`);
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id} has completion events`);
    }
  });

  test('the commands that step buttons run and that check steps off are ours (or VS Code\'s own)', () => {
    for (const step of walkthroughs[0].steps) {
      const linked = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((match) => match[1]);
      const completing = (step.completionEvents ?? []).filter((event) => event.startsWith('onCommand:')).map((event) => event.slice('onCommand:'.length));
      for (const id of [...linked, ...completing]) {
        if (id.startsWith('xen.') && !id.endsWith('.focus')) assert.ok(contributed.has(id), `${step.id}: ${id} is contributed`);
      }
    }
  });
});

function viewItemMatchesView(when: string, view: string): boolean {
  const equal = /view == ([^\s)]+)/.exec(when);
  if (equal) return equal[1] === view;
  const regex = /view =~ \/(.+?)\/(?=\s|\)|$)/.exec(when);
  return regex !== null && new RegExp(regex[1]).test(view);
}
