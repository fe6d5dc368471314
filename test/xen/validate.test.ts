// "Validate with xl": `xl -N create` through our runner, and xl's messages mapped onto lines of
// the config by parseConfigMessages, against the real xl 4.17.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfigMessages, xl } from '../../client/src/xl';
import { runLogged, skipReason, upload } from './helpers';

const DIR = '/tmp/xen-xl-test/validate';

describe('real Xen: validate with xl -N create', { skip: skipReason }, () => {
  test('memory = "1G": xl\'s "not a valid number" warning lands on that line and names the key', async () => {
    const file = `${DIR}/memory-unit.cfg`;
    await upload({ [file]: ['name = "validate-memory"', 'type = "pvh"', 'kernel = "/boot/vmlinuz"', 'vcpus = 1', 'memory = "1G"', ''].join('\n') });
    const { value, error, entry } = await runLogged(xl.create(file, { dryRun: true }));
    assert.equal(error, undefined, error?.message);
    assert.equal(entry.exitCode, 0);
    // xl goes on with the default memory; the dry run prints the config it would build.
    assert.equal(value?.name, 'validate-memory');
    const messages = parseConfigMessages(entry.stderr, { configPath: file, exitCode: entry.exitCode });
    const warning = messages.find((m) => m.severity === 'warning');
    assert.ok(warning, entry.stderr);
    assert.equal(warning.line, 5);
    assert.equal(warning.key, 'memory');
    assert.equal(warning.text, `${file}:5: warning: parameter \`memory' is not a valid number`);
  });

  test('a syntax error: xl fails, the error is on the right line', async () => {
    const file = `${DIR}/no-equals.cfg`;
    await upload({ [file]: ['name = "validate-syntax"', 'type = "pvh"', 'vcpus 2', 'memory = 256', ''].join('\n') });
    const { error, entry } = await runLogged(xl.create(file, { dryRun: true }));
    assert.ok(error, 'xl -N refuses the file');
    assert.equal(error.kind, 'failed');
    assert.notEqual(entry.exitCode, 0);
    const messages = parseConfigMessages(entry.stderr, { configPath: file, exitCode: entry.exitCode });
    const located = messages.find((m) => m.line !== undefined);
    assert.ok(located, entry.stderr);
    assert.equal(located.severity, 'error');
    assert.equal(located.line, 3);
    assert.match(located.message, /config parsing error near `2': syntax error/);
  });

  test('a semantic error without a line: an error that names the key', async () => {
    const file = `${DIR}/poweroff.cfg`;
    await upload({ [file]: ['name = "validate-action"', 'type = "pvh"', 'kernel = "/boot/vmlinuz"', 'on_poweroff = "explode"', ''].join('\n') });
    const { error, entry } = await runLogged(xl.create(file, { dryRun: true }));
    assert.ok(error);
    const messages = parseConfigMessages(entry.stderr, { configPath: file, exitCode: entry.exitCode });
    const named = messages.find((m) => m.key === 'on_poweroff');
    assert.ok(named, entry.stderr);
    assert.equal(named.severity, 'error');
    assert.equal(named.line, undefined);
  });
});
