// The cursor context that completion and hover share: what the text before an offset makes of it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cursorContext } from '../../../server/src/analysis/locate';
import { parseConfig } from '../../../server/src/syntax';
import { marked } from './cursor';

function contextAt(source: string) {
  const { text, offset } = marked(source);
  return cursorContext(parseConfig(text), offset);
}

describe('locate: cursorContext', () => {
  test('a key at the start of a line, after a semicolon, and with `=` already there', () => {
    assert.deepEqual(contextAt('memory = 1\nvcp$0'), { kind: 'key', start: 11, end: 14, hasOperator: false });
    assert.deepEqual(contextAt('memory = 1; vcp$0 = 2'), { kind: 'key', start: 12, end: 15, hasOperator: true });
  });

  test('nothing in a comment or after a word that is not a key', () => {
    assert.equal(contextAt('# memo$0').kind, 'none');
    assert.equal(contextAt('memory 1024 $0').kind, 'none');
  });

  test('the value of a key, how many lists deep, right after the operator or not', () => {
    const after = contextAt('vnc =$0');
    assert.equal(after.kind, 'value');
    assert.ok(after.kind === 'value' && after.key === 'vnc' && after.depth === 0 && after.afterOperator);
    const nested = contextAt("disk = [\n  'a',\n  $0");
    assert.ok(nested.kind === 'value' && nested.key === 'disk' && nested.depth === 1 && !nested.afterOperator);
  });

  test('inside a string: the decoded value and the cursor in it, closed or not', () => {
    const closed = contextAt("disk = [ 'phy:/dev/\\'x$0y', ]");
    assert.ok(closed.kind === 'value' && closed.string !== undefined);
    assert.equal(closed.string.value, "phy:/dev/'xy");
    assert.equal(closed.string.cursor, 11);
    assert.ok(closed.string.closed);
    const open = contextAt('name = "vm$0');
    assert.ok(open.kind === 'value' && open.string !== undefined && !open.string.closed && open.string.value === 'vm');
  });
});
