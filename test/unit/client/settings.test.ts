// Reading the xen.* settings: validation, defaults, and that an untrusted workspace ignores the
// settings that choose what runs.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULTS, parseHosts, readSettings } from '../../../client/src/settings';

function reader(values: Record<string, unknown>) {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

describe('readSettings', () => {
  test('defaults', () => {
    const settings = readSettings(reader({}), true);
    assert.equal(settings.xlPath, 'xl');
    assert.deepEqual(settings.hosts, [{ kind: 'local' }]);
    assert.equal(settings.sudo, 'auto');
    assert.equal(settings.commandTimeoutMs, DEFAULTS.commandTimeoutSeconds * 1000);
    assert.equal(settings.refreshIntervalSeconds, 5);
    assert.equal(settings.statusBarFreeMemory, true);
    assert.equal(settings.confirmDestructiveActions, true);
    assert.deepEqual(settings.isoDirectories, ['/opt/isos', '/var/lib/xen/images', '/srv/iso']);
    assert.equal(settings.configDirectory, undefined);
  });

  test('ISO and config folders: absolute paths only, trimmed, without trailing slashes or duplicates', () => {
    const settings = readSettings(reader({ isoDirectories: [' /srv/isos/ ', 'relative/isos', '/srv/isos', 7, '/data/iso\0x', '/'], configDirectory: '/etc/xen/' }), true);
    assert.deepEqual(settings.isoDirectories, ['/srv/isos', '/']);
    assert.equal(settings.configDirectory, '/etc/xen');
    assert.deepEqual(readSettings(reader({ isoDirectories: ['isos', ''] }), true).isoDirectories, DEFAULTS.isoDirectories);
    assert.deepEqual(readSettings(reader({ isoDirectories: '/opt/isos' }), true).isoDirectories, DEFAULTS.isoDirectories);
    assert.equal(readSettings(reader({ configDirectory: 'xen' }), true).configDirectory, undefined);
  });

  test('values from a trusted workspace are used', () => {
    const settings = readSettings(reader({ xlPath: '/opt/xen/bin/xl', hosts: ['root@dom1'], sudo: 'never', refreshInterval: 0, commandTimeout: 5 }), true);
    assert.equal(settings.xlPath, '/opt/xen/bin/xl');
    assert.deepEqual(settings.hosts, [{ kind: 'ssh', destination: 'root@dom1' }]);
    assert.equal(settings.sudo, 'never');
    assert.equal(settings.refreshIntervalSeconds, 0);
    assert.equal(settings.commandTimeoutMs, 5000);
  });

  test('an untrusted workspace ignores xlPath, hosts and sudo', () => {
    const settings = readSettings(reader({ xlPath: '/tmp/evil', hosts: ['attacker@host'], sudo: 'always' }), false);
    assert.equal(settings.trusted, false);
    assert.equal(settings.xlPath, 'xl');
    assert.deepEqual(settings.hosts, [{ kind: 'local' }]);
    assert.equal(settings.sudo, 'auto');
  });

  test('invalid values fall back to defaults', () => {
    const settings = readSettings(reader({ sudo: 'sometimes', refreshInterval: -1, commandTimeout: 'x', shutdownTimeout: 0, xlPath: '  ' }), true);
    assert.equal(settings.sudo, 'auto');
    assert.equal(settings.refreshIntervalSeconds, 5);
    assert.equal(settings.commandTimeoutMs, 30_000);
    assert.equal(settings.shutdownTimeoutMs, 60_000);
    assert.equal(settings.xlPath, 'xl');
  });
});

describe('parseHosts', () => {
  test('local, ssh destinations, duplicates and junk', () => {
    assert.deepEqual(parseHosts(['local', ' root@a ', 'root@a', '', 7, 'b']), [
      { kind: 'local' },
      { kind: 'ssh', destination: 'root@a' },
      { kind: 'ssh', destination: 'b' },
    ]);
  });
  test('empty or not a list means this machine', () => {
    assert.deepEqual(parseHosts([]), [{ kind: 'local' }]);
    assert.deepEqual(parseHosts('root@a'), [{ kind: 'local' }]);
  });
  test('a destination ssh would read as an option is kept, for the runner to refuse visibly', () => {
    assert.deepEqual(parseHosts(['-oProxyCommand=id']), [{ kind: 'ssh', destination: '-oProxyCommand=id' }]);
  });
});
