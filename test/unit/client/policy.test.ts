// The decisions behind the guest commands: which guests an action applies to, which selection a
// tree command uses, when to ask first and what the question says, xl -N stderr to config lines,
// and VNC addresses from `xl list -l` JSON.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  ACTION_STATES,
  actionApplies,
  actionPhrase,
  assignedKeyLines,
  confirmationText,
  createTimeoutMs,
  mapHostCheckOutput,
  configDelivery,
  configLocationProblem,
  rememberHost,
  REMEMBERED_HOSTS_LIMIT,
  needsConfirmation,
  partitionTargets,
  selectTargets,
  startWithErrorsText,
  type GuestAction,
} from '../../../client/src/commands/policy';
import { parseList, type Domain } from '../../../client/src/xl';

const domains = parseList(readFileSync('test/fixtures/xl/list.txt', 'utf8'));
const byName = (name: string): Domain => domains.find((domain) => domain.name === name) as Domain;

describe('which actions apply', () => {
  test('Domain-0 gets nothing destructive', () => {
    for (const action of ['shutdown', 'reboot', 'pause', 'unpause', 'destroy', 'console'] as const) {
      assert.equal(actionApplies(action, byName('Domain-0')), false, action);
    }
    assert.equal(actionApplies('copy', byName('Domain-0')), true);
    assert.equal(actionApplies('showConfig', byName('Domain-0')), true);
  });
  test('running guest: shutdown, reboot, pause, destroy, console; not unpause', () => {
    const web = byName('web01');
    for (const action of ['shutdown', 'reboot', 'pause', 'destroy', 'console', 'vnc'] as const) assert.equal(actionApplies(action, web), true, action);
    assert.equal(actionApplies('unpause', web), false);
  });
  test('paused guest: unpause and destroy; not shutdown or pause', () => {
    const paused = byName('db-test');
    assert.equal(actionApplies('unpause', paused), true);
    assert.equal(actionApplies('destroy', paused), true);
    assert.equal(actionApplies('shutdown', paused), false);
    assert.equal(actionApplies('pause', paused), false);
  });
  test('crashed guest can only be destroyed (or inspected)', () => {
    const crashed = byName('crashed');
    assert.equal(actionApplies('destroy', crashed), true);
    assert.equal(actionApplies('console', crashed), false);
    assert.equal(actionApplies('shutdown', crashed), false);
  });
  test('a mixed selection is split', () => {
    const targets = domains.map((domain) => ({ domain }));
    const { applicable, skipped } = partitionTargets('shutdown', targets);
    assert.deepEqual(applicable.map((target) => target.domain.name), ['web01']);
    assert.deepEqual(skipped.map((target) => target.domain.name), ['Domain-0', 'db-test', 'crashed']);
  });
});

describe('selectTargets', () => {
  const same = (a: string, b: string): boolean => a === b;
  test('the selection, when the clicked item is in it', () => {
    assert.deepEqual(selectTargets('b', ['a', 'b', 'c'], same), ['a', 'b', 'c']);
  });
  test('only the clicked item when it is outside the selection', () => {
    assert.deepEqual(selectTargets('x', ['a', 'b'], same), ['x']);
  });
  test('a single click, or no selection argument', () => {
    assert.deepEqual(selectTargets('a', ['a'], same), ['a']);
    assert.deepEqual(selectTargets('a', undefined, same), ['a']);
    assert.deepEqual(selectTargets(undefined, undefined, same), []);
  });
});

describe('asking first', () => {
  test('destroy always asks; other actions ask for several guests; the setting turns it off', () => {
    assert.equal(needsConfirmation('destroy', 1, true), true);
    assert.equal(needsConfirmation('shutdown', 1, true), false);
    assert.equal(needsConfirmation('shutdown', 2, true), true);
    assert.equal(needsConfirmation('pause', 3, true), true);
    assert.equal(needsConfirmation('copy', 3, true), false);
    assert.equal(needsConfirmation('destroy', 5, false), false);
  });
  test('the question names every guest, quoted, and says what destroy does', () => {
    const one = confirmationText('destroy', [{ name: 'web01' }]);
    assert.equal(one.message, 'Destroy guest "web01"?');
    assert.match(one.detail, /unsaved data in the guest is lost/);
    const two = confirmationText('shutdown', [{ name: 'a', hostLabel: 'h1' }, { name: 'b\n"x"' }]);
    assert.equal(two.message, 'Shut down 2 guests: "a" on h1, "b\\n\\"x\\""?');
  });
  test('a long list names ten and counts the rest', () => {
    const many = Array.from({ length: 13 }, (_, index) => ({ name: `g${index}` }));
    const text = confirmationText('destroy', many).message;
    assert.match(text, /"g9" and 3 more\?$/);
    assert.doesNotMatch(text, /"g10"/);
  });
});

describe('mapHostCheckOutput (xl -N create stderr)', () => {
  const file = '/etc/xen/web.cfg';
  const text = 'type = "hvm"\nname = "web"\nkernel = "/boot/vmlinuz"\nmemory = 1024\nvif = [ "bridge=xenbr9" ]\n';

  test('FILE:LINE: errors from libxlu go to that line (1-based in, 0-based out)', () => {
    const stderr = `Parsing config from ${file}\n${file}:4: config parsing error near \`/boot': lexical error\n`;
    assert.deepEqual(mapHostCheckOutput(stderr, file, text, { message: 'xl failed' }), [
      { line: 3, severity: 'error', message: "xl: config parsing error near `/boot': lexical error" },
    ]);
  });
  test("xl's closing 'Failed to parse config' after a located syntax error adds no second error on line 1", () => {
    const stderr = `Parsing config from ${file}\n${file}:4: config parsing error near \`/boot': lexical error\nFailed to parse config: Invalid argument\n`;
    assert.deepEqual(mapHostCheckOutput(stderr, file, text, { message: 'xl failed' }), [
      { line: 3, severity: 'error', message: "xl: config parsing error near `/boot': lexical error" },
    ]);
    // Without a located error the summary is all there is, and it stays.
    const alone = mapHostCheckOutput('Failed to parse config: Invalid argument\n', file, text, { message: 'xl failed' });
    assert.equal(alone.length, 1);
    assert.match(alone[0].message, /Failed to parse config: Invalid argument/);
  });
  test('a relative or differently rooted name of the same file also matches', () => {
    const problems = mapHostCheckOutput('web.cfg:2: config parsing error near `x\': syntax error\n', file, text, undefined);
    assert.equal(problems[0].line, 1);
  });
  test('libxl source locations are not config lines', () => {
    const stderr = 'libxl: error: libxl_create.c:1234:do_domain_create: Domain 5:cannot make domain: -3\n';
    const problems = mapHostCheckOutput(stderr, file, text, { message: 'xl failed' });
    assert.deepEqual(problems, [{ line: 0, severity: 'error', message: 'xl: libxl error: Domain 5:cannot make domain: -3' }]);
  });
  test('a warning that names a key goes to that key\'s line', () => {
    const stderr = 'WARNING: ignoring "kernel" directive for HVM guest.\nUse "firmware_override" instead if you really want a non-default firmware\n';
    const problems = mapHostCheckOutput(stderr, file, text, undefined);
    assert.deepEqual(problems[0], { line: 2, severity: 'warning', message: 'xl: WARNING: ignoring "kernel" directive for HVM guest.' });
    assert.equal(problems[1].severity, 'information');
  });
  test('a failure with no error line becomes one error on line 0; noise is dropped', () => {
    const problems = mapHostCheckOutput('Parsing config from /etc/xen/web.cfg\nlibxl: debug: something\n\n', file, text, { message: 'xl failed (exit status 1).' });
    assert.deepEqual(problems, [{ line: 0, severity: 'error', message: 'xl failed (exit status 1).' }]);
  });
  test('a clean run gives nothing', () => {
    assert.deepEqual(mapHostCheckOutput(`Parsing config from ${file}\n`, file, text, undefined), []);
  });
  test('assignedKeyLines keeps the last assignment', () => {
    assert.equal(assignedKeyLines('a = 1\nb = 2\na = 3\n').get('a'), 2);
  });
});

describe('start', () => {
  test('xl create gets at least two minutes', () => {
    assert.equal(createTimeoutMs(30_000), 120_000);
    assert.equal(createTimeoutMs(300_000), 300_000);
  });
  test('the start-with-errors question names the first error and counts the rest', () => {
    assert.equal(
      startWithErrorsText('web.cfg', [
        { line: 3, message: 'Unknown key "Memory"' },
        { line: 4, message: 'x' },
      ]),
      'web.cfg has 2 errors that xl will probably refuse: line 4: Unknown key "Memory" (and 1 more). Start anyway?',
    );
  });
});

describe('what xl reads: the file or the editor text', () => {
  const cases: [string, { isFile: boolean; hostIsLocal: boolean; isDirty: boolean }, 'path' | 'text'][] = [
    ['a saved local file on this machine', { isFile: true, hostIsLocal: true, isDirty: false }, 'path'],
    ['unsaved changes on this machine', { isFile: true, hostIsLocal: true, isDirty: true }, 'text'],
    ['a saved local file for an ssh host', { isFile: true, hostIsLocal: false, isDirty: false }, 'text'],
    ['unsaved changes for an ssh host', { isFile: true, hostIsLocal: false, isDirty: true }, 'text'],
    ['an untitled buffer on this machine', { isFile: false, hostIsLocal: true, isDirty: true }, 'text'],
  ];
  for (const [name, facts, expected] of cases) {
    test(name, () => {
      const delivery = configDelivery(facts);
      assert.equal(delivery.kind, expected);
      if (delivery.kind === 'text') assert.ok(delivery.reason.length > 10, 'the log says why');
    });
  }
});

describe('remembered hosts', () => {
  test('the newest choice per file, bounded', () => {
    let choices: Record<string, string> = {};
    choices = rememberHost(choices, 'file:///a.cfg', 'ssh:xen-a');
    choices = rememberHost(choices, 'file:///b.cfg', 'local');
    choices = rememberHost(choices, 'file:///a.cfg', 'ssh:xen-b');
    assert.deepEqual({ ...choices }, { 'file:///b.cfg': 'local', 'file:///a.cfg': 'ssh:xen-b' });
    for (let i = 0; i < REMEMBERED_HOSTS_LIMIT + 10; i++) choices = rememberHost(choices, `file:///${i}.cfg`, 'local');
    assert.equal(Object.keys(choices).length, REMEMBERED_HOSTS_LIMIT);
    assert.equal(choices[`file:///${REMEMBERED_HOSTS_LIMIT + 9}.cfg`], 'local');
    assert.equal(choices['file:///a.cfg'], undefined, 'the oldest are dropped');
  });
});

describe('a host that cannot read the config file is not a config error', () => {
  const text = 'name = "web"\nmemory = 512\n';
  test('Failed to read config file gives no problem on line 1', () => {
    const stderr = 'Parsing config from /home/ann/xen/web.cfg\nFailed to read config file: /home/ann/xen/web.cfg: No such file or directory\n';
    assert.deepEqual(mapHostCheckOutput(stderr, '/home/ann/xen/web.cfg', text, { message: 'xl failed (exit status 1)' }), []);
    assert.equal(configLocationProblem(stderr), 'Failed to read config file: /home/ann/xen/web.cfg: No such file or directory');
  });
  test('real config errors still land on their lines', () => {
    const stderr = '/home/ann/xen/web.cfg:2: config parsing error near `512x\': syntax error\n';
    assert.equal(configLocationProblem(stderr), undefined);
    assert.deepEqual(mapHostCheckOutput(stderr, '/home/ann/xen/web.cfg', text, { message: 'xl failed' }).map((p) => [p.line, p.severity]), [[1, 'error']]);
  });
});

describe('how messages name an action', () => {
  test('every action reads as a phrase a sentence can hold, never its internal name', () => {
    for (const action of Object.keys(ACTION_STATES) as GuestAction[]) {
      const phrase = actionPhrase(action);
      assert.match(phrase, /^[a-z][A-Za-z ]+[a-z]$/, action);
      assert.ok(!/[a-z][A-Z]/.test(phrase), `${action} is worded, not its camelCase id: ${phrase}`);
    }
    assert.equal(actionPhrase('finishInstall'), 'finish the install of');
  });
});
