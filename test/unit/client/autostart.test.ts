// Autostart in the Configs view: a config matched against each host's /etc/xen/auto entries,
// and what the view shows for it (description, tooltip, contextValue suffix).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { autostartContextSuffix, autostartDescription, autostartOf, autostartTooltip, type HostAutostartFacts } from '../../../client/src/tree/autostart';
import { configContextValue } from '../../../client/src/tree/model';

const local = (entries?: HostAutostartFacts['entries']): HostAutostartFacts => ({ hostId: 'local', hostLabel: 'dom0', isLocal: true, entries });
const remote = (label: string, entries?: HostAutostartFacts['entries']): HostAutostartFacts => ({ hostId: `ssh:${label}`, hostLabel: label, isLocal: false, entries });

describe('matching a config to autostart entries', () => {
  test('this machine: a link to the config, absolute or relative, under any name', () => {
    for (const target of ['/etc/xen/web.cfg', '../web.cfg', '/etc/xen/./web.cfg']) {
      const summary = autostartOf('/etc/xen/web.cfg', 'web.cfg', [local([{ file: '10-web.cfg', target }])]);
      assert.deepEqual(summary.on, [{ hostId: 'local', hostLabel: 'dom0', kind: 'link', entryPath: '/etc/xen/auto/10-web.cfg', target: '/etc/xen/web.cfg' }], target);
    }
  });

  test('an entry with the config\'s name: a copy (a file), or a link to some other file', () => {
    const copy = autostartOf('/etc/xen/web.cfg', 'web.cfg', [local([{ file: 'web.cfg' }])]);
    assert.equal(copy.on[0].kind, 'copy');
    const other = autostartOf('/etc/xen/web.cfg', 'web.cfg', [local([{ file: 'web.cfg', target: '/srv/old/web.cfg' }])]);
    assert.deepEqual(other.on[0], { hostId: 'local', hostLabel: 'dom0', kind: 'other', entryPath: '/etc/xen/auto/web.cfg', target: '/srv/old/web.cfg' });
  });

  test('an ssh host knows the config only by its file name (the config is in the workspace)', () => {
    const summary = autostartOf('/home/me/xen/web.cfg', 'web.cfg', [remote('dom1', [{ file: 'web.cfg' }, { file: 'db.cfg' }]), remote('dom2', [{ file: 'x.cfg', target: '/home/me/xen/web.cfg' }]), remote('dom3')]);
    assert.deepEqual(summary.on.map((host) => `${host.hostLabel}:${host.kind}`), ['dom1:copy']);
    assert.deepEqual(summary.off, ['dom2']);
    assert.deepEqual(summary.unknown, ['dom3']);
  });

  test('no entry, an empty folder, another config', () => {
    assert.deepEqual(autostartOf('/etc/xen/web.cfg', 'web.cfg', [local([{ file: 'db.cfg', target: '/etc/xen/db.cfg' }])]), { on: [], off: ['dom0'], unknown: [] });
    assert.deepEqual(autostartOf(undefined, 'web.cfg', [local([])]), { on: [], off: ['dom0'], unknown: [] });
  });
});

describe('what the Configs view shows', () => {
  const on = autostartOf('/etc/xen/web.cfg', 'web.cfg', [local([{ file: 'web.cfg', target: '/etc/xen/web.cfg' }])]);
  const off = autostartOf('/etc/xen/web.cfg', 'web.cfg', [local([])]);
  const mixed = autostartOf('/w/web.cfg', 'web.cfg', [remote('dom1', [{ file: 'web.cfg' }]), remote('dom2', [])]);
  const unknown = autostartOf('/w/web.cfg', 'web.cfg', [remote('dom1')]);

  test('contextValue: the status, then the autostart state when known', () => {
    assert.equal(configContextValue({ kind: 'stopped' }, on), 'config:stopped:autostart-on');
    assert.equal(configContextValue({ kind: 'running', matches: [] }, off), 'config:running:autostart-off');
    assert.equal(configContextValue({ kind: 'no-name' }, mixed), 'config:no-name:autostart-mixed');
    assert.equal(configContextValue({ kind: 'unknown' }, unknown), 'config:unknown');
    assert.equal(configContextValue({ kind: 'stopped' }), 'config:stopped');
    assert.equal(autostartContextSuffix(undefined), '');
  });

  test('description and tooltip', () => {
    assert.equal(autostartDescription(on, false), 'autostart');
    assert.equal(autostartDescription(mixed, true), 'autostart on dom1');
    assert.equal(autostartDescription(off, false), undefined);
    assert.deepEqual(autostartTooltip(on), ['Autostart on dom0: /etc/xen/auto/web.cfg links to this file']);
    assert.deepEqual(autostartTooltip(mixed), ['Autostart on dom1: /etc/xen/auto/web.cfg is a copy of the config (edits here need Autostart again)', 'No autostart on dom2']);
    assert.deepEqual(autostartTooltip(unknown), []);
  });
});
