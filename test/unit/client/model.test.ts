// What the Xen views show for xl data: state keys (which drive the menus), icons, descriptions,
// tooltips, uptime estimates, Host view rows, error wording and config-to-domain matching.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  configContextValue,
  configDescription,
  configStatus,
  errorPresentation,
  estimateUptime,
  formatDuration,
  formatMemory,
  freeMemoryStatus,
  hostHealthText,
  guestListProblem,
  guestContextValue,
  guestDescription,
  guestIcon,
  guestTooltip,
  hostInfoRows,
  splitSentences,
} from '../../../client/src/tree/model';
import { XlError, parseInfo, parseList, type Domain } from '../../../client/src/xl';
import { classifyFailure } from '../../../client/src/xl/errors';

const domains = parseList(readFileSync('test/fixtures/xl/list.txt', 'utf8'));
const byName = (name: string): Domain => domains.find((domain) => domain.name === name) as Domain;

function domain(overrides: Partial<Domain>): Domain {
  return { name: 'g', id: 5, memoryMiB: 1024, vcpus: 1, state: 'running', flags: 'r-----', cpuTimeSeconds: 1, ...overrides };
}

describe('guest state and context value', () => {
  test('from the fixture list', () => {
    assert.equal(guestContextValue(byName('Domain-0')), 'guest:dom0');
    assert.equal(guestContextValue(byName('web01')), 'guest:running', 'blocked is running to a user');
    assert.equal(guestContextValue(byName('db-test')), 'guest:paused');
    assert.equal(guestContextValue(byName('crashed')), 'guest:crashed');
  });
  test('every xl state', () => {
    const cases: [Domain['state'], string][] = [
      ['running', 'guest:running'],
      ['blocked', 'guest:running'],
      ['idle', 'guest:running'],
      ['paused', 'guest:paused'],
      ['shutdown', 'guest:shutdown'],
      ['crashed', 'guest:crashed'],
      ['dying', 'guest:dying'],
    ];
    for (const [state, expected] of cases) assert.equal(guestContextValue(domain({ state })), expected, state);
  });
  test('a guest that differs from its config gets the drift suffix', () => {
    assert.equal(guestContextValue(domain({ state: 'blocked' }), true), 'guest:running:drift');
    assert.equal(guestContextValue(domain({ state: 'paused' }), true), 'guest:paused:drift');
    assert.equal(guestContextValue(domain({ state: 'paused' }), false), 'guest:paused');
  });
  test('Domain-0 is dom0 whatever its flags say', () => {
    assert.equal(guestContextValue(domain({ id: 0, state: 'paused' })), 'guest:dom0');
  });
  test('icons follow the state', () => {
    assert.deepEqual(guestIcon(byName('web01')), { id: 'vm-running', color: 'charts.green' });
    assert.equal(guestIcon(byName('db-test')).id, 'debug-pause');
    assert.equal(guestIcon(byName('crashed')).id, 'error');
    assert.equal(guestIcon(byName('Domain-0')).id, 'server');
  });
});

describe('description and tooltip', () => {
  test('id, memory, vCPUs, uptime', () => {
    assert.equal(guestDescription(byName('web01'), 3723), 'id 3 · 1 GiB · 2 vCPUs · up 1:02:03');
    assert.equal(guestDescription(domain({ vcpus: 1, memoryMiB: 512 })), 'id 5 · 512 MiB · 1 vCPU');
  });
  test('a state other than running is named', () => {
    assert.equal(guestDescription(byName('db-test')), 'id 7 · 2 GiB · 4 vCPUs · paused');
    assert.equal(guestDescription(byName('crashed')), 'id 9 · 512 MiB · 1 vCPU · crashed');
    assert.match(guestDescription(domain({ state: 'shutdown', flags: '---sr-', shutdownReason: 'reboot' })), /shut down \(reboot\)$/);
  });
  test('tooltip has the details, and a note for Domain-0', () => {
    const tooltip = guestTooltip(byName('web01'), { hostLabel: 'dom1', uptimeSeconds: 90061 });
    for (const part of ['web01', 'State: running (blocked) (-b----)', 'Domain id: 3', 'Memory: 1 GiB (1024 MiB)', 'vCPUs: 2', 'Uptime: 1d 1:01:01', 'Host: dom1']) {
      assert.ok(tooltip.includes(part), part);
    }
    assert.match(guestTooltip(byName('Domain-0')), /control domain/);
  });
  test('formatting', () => {
    assert.equal(formatMemory(512), '512 MiB');
    assert.equal(formatMemory(1536), '1.5 GiB');
    assert.equal(formatMemory(16252), '15.9 GiB');
    assert.equal(formatMemory(262144), '256 GiB');
    assert.equal(formatDuration(5), '0:00:05');
    assert.equal(formatDuration(3 * 86400 + 4 * 3600 + 5 * 60 + 6), '3d 4:05:06');
    assert.equal(formatDuration(-3), '0:00:00');
  });
});

describe('estimateUptime', () => {
  const snapshot = { at: 100_000, byId: new Map([[3, 60]]) };
  test('the last xl uptime reading plus the time since', () => {
    assert.equal(estimateUptime(3, 130_000, snapshot, 50_000), 90);
  });
  test('a domain newer than the reading counts from when it was first seen', () => {
    assert.equal(estimateUptime(8, 130_000, snapshot, 120_000), 10);
  });
  test('a domain that was there before the reading but is missing from it is unknown', () => {
    assert.equal(estimateUptime(8, 130_000, snapshot, 90_000), undefined);
  });
  test('without any reading, first sight is the best guess; without either, unknown', () => {
    assert.equal(estimateUptime(8, 130_000, undefined, 125_000), 5);
    assert.equal(estimateUptime(8, 130_000, undefined, undefined), undefined);
  });
});

describe('host view', () => {
  const info = parseInfo(readFileSync('test/fixtures/xl/info.txt', 'utf8'));
  test('xl info essentials', () => {
    const rows = Object.fromEntries(hostInfoRows(info).map((row) => [row.label, row.value]));
    assert.equal(rows.Xen, '4.17.3');
    assert.equal(rows.Memory, '10 GiB free of 15.9 GiB');
    assert.equal(rows.CPUs, '8 at 2904 MHz');
    assert.equal(rows.Scheduler, 'credit2');
    assert.equal(rows.Host, 'dom0host');
  });
  test('status bar: one host, several hosts, none known', () => {
    assert.equal(freeMemoryStatus([{ label: 'a', info }])?.text, '$(server) 10 GiB free');
    const two = freeMemoryStatus([{ label: 'a', info }, { label: 'b', info }, { label: 'c' }]);
    assert.equal(two?.text, '$(server) 20 GiB free on 2 hosts');
    assert.match(two?.tooltip ?? '', /a: 10 GiB free of 15\.9 GiB\nb: /);
    assert.equal(freeMemoryStatus([{ label: 'c' }]), undefined);
  });
});

describe('error presentation', () => {
  test('each kind has a specific title and the settings that may fix it', () => {
    assert.deepEqual(errorPresentation('not-found', "xl was not found ('xl'). Install the Xen tools.").settings, ['xen.xlPath']);
    assert.equal(errorPresentation('not-found', 'ssh was not found. Install it.').title, 'ssh not found');
    assert.equal(errorPresentation('not-root', 'x').title, 'xl must run as root');
    assert.deepEqual(errorPresentation('sudo-password', 'x').settings, ['xen.sudo']);
    assert.equal(errorPresentation('no-hypervisor', 'x').title, 'No Xen hypervisor');
    assert.equal(errorPresentation('ssh', 'x').title, 'ssh failed');
    // The runner's own wording for a host that is down or a link that died (errors.ts).
    for (const stderr of ['ssh: connect to host h port 22: Connection timed out', 'Timeout, server h not responding.', 'ssh: connect to host h port 22: Connection refused', '']) {
      const error = classifyFailure({ exitCode: 255, stderr, viaSsh: true, destination: 'xen-test' });
      assert.equal(error?.kind, 'ssh');
      assert.equal(errorPresentation('ssh', error?.message ?? '').title, 'Host not reachable', stderr);
    }
    assert.equal(errorPresentation('ssh', classifyFailure({ exitCode: 255, stderr: 'Permission denied (publickey).', viaSsh: true })?.message ?? '').title, 'ssh failed');
    assert.deepEqual(errorPresentation('timeout', 'x').settings, ['xen.commandTimeout']);
  });
  test('the sudo message keeps its NOPASSWD explanation, one sentence per line', () => {
    const error = new XlError(
      'sudo-password',
      'sudo needs a password to run xl, and the extension never asks for one. Allow xl without a password with a sudoers rule (edit with `visudo -f /etc/sudoers.d/xen-xl`), for example `youruser ALL=(root) NOPASSWD: /usr/sbin/xl`, or connect as root.',
    );
    const lines = errorPresentation(error.kind, error.message).lines;
    assert.equal(lines.length, 2);
    assert.match(lines[1], /NOPASSWD: \/usr\/sbin\/xl/);
  });
  test('sentences split at a full stop before a capital only', () => {
    assert.deepEqual(splitSentences('Install the tools (e.g. the xen-utils package) or set it. Then retry.'), [
      'Install the tools (e.g. the xen-utils package) or set it.',
      'Then retry.',
    ]);
  });
});

describe('configs and domains', () => {
  const hosts = [
    { hostId: 'local', hostLabel: 'dom0', domains },
    { hostId: 'ssh:b', hostLabel: 'b', domains: [domain({ name: 'web01', id: 12 })] },
  ];
  test('running on one or more hosts', () => {
    const status = configStatus('web01', hosts);
    assert.equal(status.kind, 'running');
    assert.deepEqual(status.kind === 'running' && status.matches.map((match) => `${match.hostId}:${match.domain.id}`), ['local:3', 'ssh:b:12']);
    assert.equal(configDescription('web01', status, true), '"web01" · running on dom0 (id 3), running on b (id 12)');
    assert.equal(configDescription('web01', configStatus('web01', [hosts[0]]), false), '"web01" · running (id 3)');
  });
  test('a paused guest is named as such', () => {
    assert.equal(configDescription('db-test', configStatus('db-test', hosts), false), '"db-test" · paused (id 7)');
  });
  test('stopped, unknown (no host answered), no name', () => {
    assert.deepEqual(configStatus('other', hosts), { kind: 'stopped' });
    assert.deepEqual(configStatus('other', [{ hostId: 'local', hostLabel: 'x' }]), { kind: 'unknown' });
    assert.deepEqual(configStatus(undefined, hosts), { kind: 'no-name' });
    assert.equal(configContextValue(configStatus('other', hosts)), 'config:stopped');
  });
  test('names match exactly, and dying domains do not count', () => {
    assert.equal(configStatus('WEB01', hosts).kind, 'stopped');
    assert.equal(configStatus('gone', [{ hostId: 'local', hostLabel: 'x', domains: [domain({ name: 'gone', state: 'dying' })] }]).kind, 'stopped');
  });
});

describe('hostHealthText', () => {
  test('a healthy host has no text', () => {
    assert.equal(hostHealthText({ kind: 'ok' }, 0), undefined);
  });

  test('a host backing off: "not answering" for ssh and timeouts, "failing" otherwise, with the seconds to its next try', () => {
    const ssh = hostHealthText({ kind: 'backoff', failures: 3, nextTryAt: 40_000, errorKind: 'ssh' }, 0);
    assert.equal(ssh?.short, 'not answering — next try in 40 s');
    assert.match(ssh?.long ?? '', /^Failed 3 times in a row, so it is tried less often .* Press Refresh to try now\.$/);
    assert.equal(hostHealthText({ kind: 'backoff', failures: 1, nextTryAt: 10_000, errorKind: 'timeout' }, 500)?.short, 'not answering — next try in 10 s');
    assert.equal(hostHealthText({ kind: 'backoff', failures: 1, nextTryAt: 10_000, errorKind: 'no-hypervisor' }, 0)?.short, 'failing — next try in 10 s');
    assert.match(hostHealthText({ kind: 'backoff', failures: 1, nextTryAt: 10_000, errorKind: 'failed' }, 0)?.long ?? '', /^Failed once,/);
    // Due (the retry is running): no countdown below zero.
    assert.equal(hostHealthText({ kind: 'backoff', failures: 2, nextTryAt: 10_000, errorKind: 'ssh' }, 12_000)?.short, 'not answering — trying again');
  });

  test('a host whose sudo refused says polling stopped and how to try again', () => {
    const password = hostHealthText({ kind: 'stopped', errorKind: 'sudo-password' }, 0);
    assert.equal(password?.short, 'sudo wants a password — polling stopped');
    assert.match(password?.long ?? '', /auth log/);
    assert.match(password?.long ?? '', /press Refresh/);
    assert.equal(hostHealthText({ kind: 'stopped', errorKind: 'not-root' }, 0)?.short, 'not allowed to run xl — polling stopped');
  });
});

describe('guestListProblem', () => {
  const info = { kind: 'sudo-password' };
  const list = { kind: 'not-found' };
  test('the list failure comes first', () => {
    assert.equal(guestListProblem({ listError: list, infoError: info }), list);
  });
  test('with no list read yet, the failure of xl info stands for it (the list is not tried after a stopping cause)', () => {
    assert.equal(guestListProblem({ infoError: info }), info);
  });
  test('a list that was read hides an info failure (the guests are still shown)', () => {
    assert.equal(guestListProblem({ domains: [], infoError: info }), undefined);
  });
  test('nothing read and nothing failed: no problem (still reading)', () => {
    assert.equal(guestListProblem({}), undefined);
  });
});
