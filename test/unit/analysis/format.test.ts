// Formatting: the changes listed in format.ts's contract, each shown on a small input, and what
// it must leave alone (comments, blank lines, broken statements).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyEdits, DEFAULT_FORMAT_OPTIONS, format, type FormatOptions } from '../../../server/src/analysis/format';
import { parseConfig } from '../../../server/src/syntax';
import { marked } from './cursor';

/** Formats `input` (a `$0`..`$1` selection formats a range) and compares with `expected`. */
function check(input: string, expected: string, options: Partial<FormatOptions> = {}): void {
  const ranged = input.includes('$0');
  const { text, offset, end } = ranged ? marked(input) : { text: input, offset: 0, end: 0 };
  const all = { ...DEFAULT_FORMAT_OPTIONS, ...options };
  const document = parseConfig(text);
  const output = applyEdits(text, format(document, all, ranged ? { start: offset, end } : undefined));
  assert.equal(output, expected);
  // Formatting the output again changes nothing.
  assert.deepEqual(format(parseConfig(output), all, ranged ? { start: offset, end } : undefined), []);
}

describe('format', () => {
  test('one space around = and +=', () => {
    check('memory=1024\nextra  +=   "x"\n', 'memory = 1024\nextra += "x"\n');
  });

  test('indentation before statements and trailing blanks go; comment indentation stays', () => {
    check('   memory = 1   \n    # note  \n\t\nvcpus = 2\t\n', 'memory = 1\n    # note  \n\nvcpus = 2\n');
  });

  test('a list that fits goes on one line, without a trailing comma', () => {
    check("disk = ['a',\n  'b',]\n", "disk = [ 'a', 'b' ]\n");
    check('cpus = [ ]\n', 'cpus = []\n');
  });

  test('a list that does not fit gets one element per line and a trailing comma', () => {
    const a = 'a'.repeat(50);
    const b = 'b'.repeat(50);
    check(`disk = [ '${a}', '${b}' ]\n`, `disk = [\n    '${a}',\n    '${b}',\n]\n`);
    check(`disk = [ '${a}', '${b}' ]\n`, `disk = [\n\t'${a}',\n\t'${b}',\n]\n`, { indent: '\t' });
    check(`disk = [ '${a}' ]\n`, `disk = [\n    '${a}',\n]\n`, { maxLineLength: 40 });
  });

  test('nested lists', () => {
    check("vnuma = [['pnode=0','size=512'],['pnode=1']]\n", "vnuma = [ [ 'pnode=0', 'size=512' ], [ 'pnode=1' ] ]\n");
    const long = `'${'v'.repeat(90)}'`;
    check(`vnuma = [ [ ${long}, 'a' ], [ 'b' ] ]\n`, `vnuma = [\n    [\n        ${long},\n        'a',\n    ],\n    [ 'b' ],\n]\n`);
  });

  test('comments in lists are kept in place and force one element per line', () => {
    check("disk = [ # disks\n  'a', # root\n\n\n  # the CD\n  'b'\n  ]\n", "disk = [ # disks\n    'a', # root\n\n    # the CD\n    'b',\n]\n");
  });

  test('quote styles, never needing a new escape', () => {
    check(`name = 'a'\nextra = "it's"\nroot = 'say "hi"'\n`, `name = "a"\nextra = "it's"\nroot = 'say "hi"'\n`, { quoteStyle: 'double' });
    check(`name = "a"\nextra = "it's"\nkernel = "a\\\\b"\n`, `name = 'a'\nextra = "it's"\nkernel = 'a\\\\b'\n`, { quoteStyle: 'single' });
    check(`name = 'a'\n`, `name = 'a'\n`, { quoteStyle: 'keep' });
  });

  test('statements sharing a line keep their list layout but get spacing', () => {
    check("a=1; disk=['x','y']\n", "a = 1; disk = [ 'x', 'y' ]\n");
    check("disk = [ # c\n 'x' ]; a=1\n", "disk = [ # c\n 'x' ]; a = 1\n");
  });

  test('blank lines and comments between statements are kept', () => {
    check('# head\n\n\nname="a"   # trailing\n\n# mid\nmemory=1\n', '# head\n\n\nname = "a"   # trailing\n\n# mid\nmemory = 1\n');
  });

  test('statements and lines with syntax errors are left alone', () => {
    check('memory=1\nkernel =   /boot/vmlinuz   \nvcpus=2\n', 'memory = 1\nkernel =   /boot/vmlinuz   \nvcpus = 2\n');
    check("disk = [ 'a'  'b' ]\nname='x'\n", "disk = [ 'a'  'b' ]\nname = 'x'\n");
    check("disk = [ 'a',\n   'b' 'c',\n 'd' ]\nname='x'\n", "disk = [ 'a',\n   'b' 'c',\n 'd' ]\nname = 'x'\n");
    check('Memory=1\nvcpus=2\n', 'Memory=1\nvcpus = 2\n');
  });

  test('range formatting touches only what meets the range', () => {
    check('memory=1\n$0vcpus=2$1\nmaxvcpus=4\n', 'memory=1\nvcpus = 2\nmaxvcpus=4\n');
  });

  test('already formatted text gives no edits', () => {
    check('name = "a"\ndisk = [ \'x\' ]\n', 'name = "a"\ndisk = [ \'x\' ]\n');
  });

  test('edits are the smallest: only the layout that differs, never the kept tokens', () => {
    const rows = Array.from({ length: 60 }, (_, index) => `    'phy:/dev/vg0/lv${index},xvd${String.fromCharCode(97 + (index % 26))}${Math.floor(index / 26) || ''},w',`);
    rows[30] = rows[30].trimStart();
    const text = `# many disks\ndisk = [\n${rows.join('\n')}\n]\n`;
    const edits = format(parseConfig(text));
    // One row lost its indentation: one edit of the layout between the element before and this one.
    const rowStart = text.indexOf(rows[30]);
    assert.deepEqual(edits, [{ start: rowStart - 2, end: rowStart, newText: ',\n    ' }]);
    // A quote change replaces the string token, and nothing around it.
    const quoted = format(parseConfig('name = "vm"\n'), { ...DEFAULT_FORMAT_OPTIONS, quoteStyle: 'single' });
    assert.deepEqual(quoted, [{ start: 7, end: 11, newText: "'vm'" }]);
  });
});
