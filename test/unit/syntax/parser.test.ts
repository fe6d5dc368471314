// Our own parser tests: messages a person understands, exact ranges, quick fixes, the decoded
// values, and the invariants (lossless, never throws) on hostile input.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig, printTokens } from '../../../server/src/syntax';

/** Parses `input` and returns `line:col-line:col code message` lines (1-based), one per error. */
function errorsOf(input: string): string[] {
  const document = parseConfig(input);
  return document.errors.map((error) => {
    const start = document.lineIndex.positionAt(error.start);
    const end = document.lineIndex.positionAt(error.end);
    return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${error.severity} ${error.code} ${error.message}`;
  });
}

/** Asserts exactly one error whose range covers `marked` text, with the given code and message part. */
function checkError(input: string, code: string, rangeText: string, messagePart: string): void {
  const document = parseConfig(input);
  assert.equal(document.errors.length, 1, errorsOf(input).join('\n'));
  const [error] = document.errors;
  assert.equal(error.code, code);
  assert.equal(input.slice(error.start, error.end), rangeText);
  assert.ok(error.message.includes(messagePart), `message: ${error.message}`);
}

/** Applies the error's fix and returns the new text. */
function applyFix(input: string): string {
  const document = parseConfig(input);
  const fix = document.errors.find((error) => error.fix !== undefined)?.fix;
  assert.ok(fix, 'a fix is offered');
  return input.slice(0, fix.start) + fix.newText + input.slice(fix.end);
}

describe('messages and ranges', () => {
  test('CRLF line endings', () => {
    const errors = errorsOf('name = "vm"\r\nmemory = 512\r\n');
    assert.equal(errors.length, 2);
    assert.match(errors[0], /^1:12-1:13 error crlf Windows line ending: xl rejects CR characters; convert the file to LF$/);
  });
  test('upper-case key, with a fix', () => {
    checkError('Memory = 512\n', 'uppercase-key', 'Memory', 'keys are lower-case: `Memory` → `memory`');
    assert.equal(applyFix('Memory = 512\n'), 'memory = 512\n');
  });
  test('camel-case key is one error over the whole key', () => checkError('vncDisplay = 1\n', 'uppercase-key', 'vncDisplay', '`vncdisplay`'));
  test('a key with a hyphen', () => checkError('on-crash = "destroy"\n', 'bad-key', 'on-crash', 'not a valid key'));
  test('unquoted word value, with a fix', () => {
    checkError('name = myvm\n', 'unquoted-value', 'myvm', 'unquoted value: write `name = "myvm"`');
    assert.equal(applyFix('name = myvm\n'), 'name = "myvm"\n');
  });
  test('unquoted word with a hyphen is one error', () => checkError('name = web-01\n', 'unquoted-value', 'web-01', '`name = "web-01"`'));
  test('unquoted path', () => {
    checkError('kernel = /boot/vmlinuz\n', 'unquoted-value', '/boot/vmlinuz', '`kernel = "/boot/vmlinuz"`');
    assert.equal(applyFix('kernel = /boot/vmlinuz\n'), 'kernel = "/boot/vmlinuz"\n');
  });
  test('Python expression', () => checkError('memory = 512 + 256\n', 'python', '+', 'Python expressions are no longer supported by xl'));
  test('Python statement', () => assert.match(errorsOf('import os\n')[0], /missing-operator .*Python/));
  test('key: value', () => {
    checkError('memory: 512\n', 'python', 'memory:', 'not `key: value`');
    assert.equal(applyFix('memory: 512\n'), 'memory = 512\n');
  });
  test('unit suffix', () => checkError('memory = 1G\n', 'unit-suffix', '1G', 'MiB'));
  test('unit suffix that lexes as an identifier', () => checkError('memory = 1g\n', 'unit-suffix', '1g', 'unit suffix'));
  test('upper-case hex digits', () => {
    checkError('a = 0x1F\n', 'unit-suffix', '0x1F', '`0x1f`');
    assert.equal(applyFix('a = 0x1F\n'), 'a = 0x1f\n');
  });
  test('negative number', () => {
    checkError('a = -1\n', 'signed-number', '-1', 'quoted');
    assert.equal(applyFix('a = -1\n'), 'a = "-1"\n');
  });
  test('spaced +=', () => {
    checkError('extra + = "x"\n', 'spaced-plus-equals', '+ =', 'without a space');
    assert.equal(applyFix('extra + = "x"\n'), 'extra += "x"\n');
  });
  test('comment on the last line without newline, with a fix', () => {
    checkError('a = 1\n# end', 'comment-at-eof', '# end', 'newline');
    assert.equal(applyFix('a = 1\n# end'), 'a = 1\n# end\n');
  });
  test('BOM', () => {
    checkError('\ufeffa = 1\n', 'bom', '\ufeff', 'byte order mark');
    assert.equal(parseConfig('\ufeffa = 1\n').assignments[0].keyText, 'a');
  });
  test('unterminated string', () => checkError('a = "abc\n', 'unterminated-string', '"abc', 'must end on the line'));
  test('hex escape is rejected at the escape', () => checkError('a = "A\\x41B"\n', 'bad-escape', '\\x41', '\\x'));
  test('unknown escape', () => checkError('a = "A\\qB"\n', 'bad-escape', '\\q', 'not an escape'));
  test('dropped octal escape is only a warning', () => {
    const document = parseConfig('a = "A\\101B"\n');
    assert.equal(document.rejected, false);
    assert.equal(document.errors[0].severity, 'warning');
    assert.equal(document.settings[0].value, 'AB');
  });
  test('missing value points at the operator on the true line', () => {
    const errors = errorsOf('a = 1\nb =\nc = 2\n');
    assert.deepEqual(errors.map((e) => e.split(' ').slice(0, 3).join(' ')), ['2:3-2:4 error missing-value']);
  });
  test('missing comma, with a fix', () => {
    const input = 'disk = [\n  "a"\n  "b"\n]\n';
    checkError(input, 'missing-comma', '"b"', 'missing comma');
    assert.equal(applyFix(input), 'disk = [\n  "a",\n  "b"\n]\n');
  });
  test('two commas', () => checkError('a = [ "x",, ]\n', 'extra-comma', ',', 'two commas'));
  test('unclosed list before the next key', () => {
    const errors = errorsOf('disk = [ "a",\nmemory = 512\n');
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^2:1-2:7 error unclosed-list the list opened on line 1 is not closed before `memory`/);
  });
  test('unclosed list at end of file', () => assert.match(errorsOf('disk = [ "a",\n')[0], /unclosed-list the list opened on line 1 is never closed/));
  test('adjacent strings', () => checkError("a = 'it''s'\n", 'unexpected-token', "'s'", 'adjacent strings'));
  test('two statements on a line', () => checkError('a = 1 b = 2\n', 'unexpected-token', 'b', '`;`'));
  test('+= of a list onto a string', () => checkError('a = "x"\na += ["y"]\n', 'plus-type-mismatch', '["y"]', 'cannot add a list to a single value'));
  test('every error line of a bad file is reported, not just the first', () => {
    assert.equal(errorsOf('a b\nc d\ne f\n').length, 3);
  });
  test('a clean walkthrough config has no errors', () => {
    const input = [
      'builder = "hvm"',
      'name = "c6-x8664.hvm"',
      'memory = 4096',
      'vcpus = 2',
      "serial='pty'",
      "vif = [ 'mac=00:16:3E:29:00:00,bridge=xenbr0' ]",
      "disk = [ 'phy:/dev/vg_c6xendom0/c68-x8664-hvm,xvda,rw', 'file:/opt/isos/CentOS-6.8-x86_64-minimal.iso,xvdb:cdrom,r' ]",
      'boot = "dc"',
      'vnclisten  = "192.168.0.9"',
      'stdvga=1',
      '',
    ].join('\n');
    const document = parseConfig(input);
    assert.deepEqual(document.errors, []);
    assert.equal(document.settings.length, 10);
    assert.deepEqual(document.settings[6].value, ['phy:/dev/vg_c6xendom0/c68-x8664-hvm,xvda,rw', 'file:/opt/isos/CentOS-6.8-x86_64-minimal.iso,xvdb:cdrom,r']);
  });
});

describe('recovery', () => {
  test('settings after an error are still read', () => {
    const document = parseConfig('a = \nname = "ok"\nmemory = 1G\nvcpus = 2\n');
    assert.deepEqual(document.settings.map((s) => s.key), ['name', 'memory', 'vcpus']);
  });
  test('a list missing a comma still yields both elements in the tree', () => {
    const document = parseConfig('disk = [ "a" "b" ]\n');
    const value = document.assignments[0].value;
    assert.ok(value !== undefined && value.kind === 'list');
    assert.equal(value.items.length, 2);
  });
});

describe('invariants on hostile input', () => {
  /** A small deterministic PRNG so failures reproduce. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }
  const alphabet = ['a', 'Z', '_', '.', '0', '9', 'x', ' ', '\t', '\n', '\r', '#', '"', "'", '\\', '=', '+', '+=', '[', ']', ',', ';', '-', '(', ':', '\0', 'é', '\ufeff', '😀', 'memory', ' = ', '"phy:/dev/vg/lv,xvda,w"'];

  test('printing the tokens gives back the input, and nothing throws', () => {
    const next = random(42);
    for (let round = 0; round < 3000; round++) {
      let input = '';
      const length = Math.floor(next() * 40);
      for (let index = 0; index < length; index++) input += alphabet[Math.floor(next() * alphabet.length)];
      const document = parseConfig(input);
      assert.equal(printTokens(document), input);
      let previousEnd = 0;
      for (const token of document.tokens) {
        assert.equal(token.start, previousEnd, `tokens are contiguous in ${JSON.stringify(input)}`);
        assert.ok(token.end > token.start);
        previousEnd = token.end;
      }
      assert.equal(previousEnd, input.length);
      for (const error of document.errors) assert.ok(error.start >= 0 && error.end <= input.length && error.start <= error.end, JSON.stringify({ input, error }));
    }
  });
  test('binary junk', () => {
    const bytes = Array.from({ length: 4096 }, (_, index) => String.fromCharCode((index * 7919) % 256)).join('');
    const document = parseConfig(bytes);
    assert.equal(printTokens(document), bytes);
    assert.ok(document.rejected);
  });
  test('a 2 MB config parses', () => {
    const input = 'disk = [ "phy:/dev/vg/lv,xvda,rw" ]\nmemory = 1024\n'.repeat(40_000);
    const document = parseConfig(input);
    assert.equal(document.errors.length, 0);
    assert.equal(document.settings.length, 80_000);
  });
  test('one line of 100,000 commas', () => {
    const document = parseConfig(`a = [${','.repeat(100_000)}]\n`);
    assert.ok(document.rejected);
  });
  test('deep nesting within what xl accepts', () => {
    const document = parseConfig(`a = ${'['.repeat(4000)}${']'.repeat(4000)}\n`);
    assert.equal(document.errors.length, 0);
  });
  test('nesting deeper than xl can parse is an error, not a stack overflow', () => {
    const document = parseConfig(`a = ${'['.repeat(100_000)}\nb = 1\n`);
    assert.ok(document.rejected);
    assert.deepEqual(document.settings.map((s) => s.key), ['b']);
  });
});
