// Command builders: exact argv (with `--` before every name and path), flags, and that the
// attached parser is the right one. Nothing is spawned here.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as xl from '../../../client/src/xl/commands';

/** Asserts the argv of a built command. */
function checkArgs(command: { args: string[] }, expected: string[]): void {
  assert.deepEqual(command.args, expected);
}

describe('command builders', () => {
  test('listings', () => {
    checkArgs(xl.list(), ['list']);
    checkArgs(xl.listLong(), ['list', '-l']);
    checkArgs(xl.listLong('web01'), ['list', '-l', '--', 'web01']);
    checkArgs(xl.info(), ['info']);
    checkArgs(xl.vcpuList(), ['vcpu-list']);
    checkArgs(xl.vcpuList(3), ['vcpu-list', '--', '3']);
    checkArgs(xl.uptime(), ['uptime']);
    checkArgs(xl.networkList('web01'), ['network-list', '--', 'web01']);
    checkArgs(xl.blockList(7), ['block-list', '--', '7']);
  });

  test('lifecycle commands put the domain after --', () => {
    checkArgs(xl.shutdown('-w'), ['shutdown', '--', '-w']);
    checkArgs(xl.shutdown('web01', { wait: true }), ['shutdown', '-w', '--', 'web01']);
    checkArgs(xl.shutdown('web01', { wait: true, acpiFallback: true }), ['shutdown', '-w', '-F', '--', 'web01']);
    checkArgs(xl.reboot('web 01'), ['reboot', '--', 'web 01']);
    checkArgs(xl.destroy('; rm -rf /'), ['destroy', '--', '; rm -rf /']);
    checkArgs(xl.pause('$(id)'), ['pause', '--', '$(id)']);
    checkArgs(xl.unpause('--help'), ['unpause', '--', '--help']);
    checkArgs(xl.console('web01'), ['console', '--', 'web01']);
  });

  test('console is interactive', () => {
    assert.equal(xl.console('a').interactive, true);
    assert.equal(xl.list().interactive, undefined);
  });

  test('pause and unpause treat libxl errors on stderr as failure', () => {
    const pattern = xl.pause('a').failureOnStderr;
    assert.ok(pattern?.test('libxl: error: libxl_domain.c:1:libxl_domain_pause: Domain 9:Pausing domain'));
    assert.equal(pattern?.test('libxl: warning: something harmless'), false);
  });

  test('create passes the file as the value of -f, so "=" and a leading "-" are safe', () => {
    checkArgs(xl.create('/etc/xen/web.cfg'), ['create', '-f', '/etc/xen/web.cfg']);
    checkArgs(xl.create('-odd=name.cfg'), ['create', '-f', '-odd=name.cfg']);
    checkArgs(xl.create('/etc/xen/web.cfg', { paused: true }), ['create', '-p', '-f', '/etc/xen/web.cfg']);
    const dryRun = xl.create('/etc/xen/web.cfg', { dryRun: true });
    checkArgs(dryRun, ['-N', 'create', '-f', '/etc/xen/web.cfg']);
    assert.equal(dryRun.parse('{"c_info": {"name": "web"}}').name, 'web');
    const withConsole = xl.create('/etc/xen/web.cfg', { console: true });
    checkArgs(withConsole, ['create', '-c', '-f', '/etc/xen/web.cfg']);
    assert.equal(withConsole.interactive, true);
  });

  test('invalid arguments are refused before anything runs', () => {
    assert.throws(() => xl.create(''), /empty/);
    assert.throws(() => xl.destroy(''), /empty/);
    assert.throws(() => xl.destroy('a\0b'), /NUL/);
    assert.throws(() => xl.pause(-1), /invalid domain id/);
    assert.throws(() => xl.pause(1.5), /invalid domain id/);
  });

  test('each builder carries the parser of its output', () => {
    assert.deepEqual(xl.list().parse(''), []);
    assert.deepEqual(xl.listLong().parse('[]'), []);
    assert.deepEqual(xl.uptime().parse(''), []);
    assert.equal(xl.destroy('a').parse('anything'), undefined);
    assert.match(xl.shutdown('web01').description, /web01/);
  });
});
