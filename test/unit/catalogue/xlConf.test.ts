// Checks the xl.conf catalogue (server/src/catalogue/xlConf*.ts) against the keys Xen's xl reads
// from xl.conf, kept in test/fixtures/catalogue/xl-conf-keys.json (its README names the source),
// and our docs for being complete and their examples for being clean xl.conf lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDiagnostics } from '../../../server/src/analysis/diagnostics';
import { KEY_BY_NAME } from '../../../server/src/catalogue';
import { XL_CONF_KEYS, type XlConfKeySpec } from '../../../server/src/catalogue/xlConf';
import { parseConfig } from '../../../server/src/syntax';
import fixture from '../../fixtures/catalogue/xl-conf-keys.json';

/** The kind each libxlu getter gives a value. */
function kindOf(getter: string, spec: XlConfKeySpec): string {
  switch (getter) {
    case 'get_string':
    case 'replace_string':
      return 'string';
    case 'get_defbool':
      return 'boolean';
    case 'get_bounded_long':
      return 'integer';
    default:
      // get_long: an integer, or a boolean when xl only tests it against 0.
      return spec.kind === 'boolean' ? 'boolean' : 'integer';
  }
}

test('the catalogue has exactly the keys xl reads from xl.conf, in its order', () => {
  assert.deepEqual(XL_CONF_KEYS.map((key) => key.name), fixture.keys.map((key) => key.name));
});

test('each key is read the way xl reads it', () => {
  for (const reference of fixture.keys) {
    const spec = XL_CONF_KEYS.find((key) => key.name === reference.name)!;
    assert.equal(spec.kind, kindOf(reference.getter, spec), reference.name);
    // xl exits on a bad value exactly where it calls the bounded getter without a warning.
    assert.equal(spec.onInvalid === 'fatal-silent', reference.getter === 'get_bounded_long', reference.name);
    assert.equal(spec.addedIn, reference.firstRelease === '4.17 or earlier' ? undefined : reference.firstRelease, reference.name);
    assert.equal(spec.invalidMessage, (reference as { invalidMessage?: string }).invalidMessage, reference.name);
    assert.equal(spec.enum !== undefined, spec.invalidMessage !== undefined, `${reference.name}: an enumeration has xl's message`);
  }
});

test('every key has our doc and an example that is a clean xl.conf line for that key', () => {
  for (const spec of XL_CONF_KEYS) {
    assert.ok(spec.doc.length >= 40 && spec.doc.endsWith('.'), spec.name);
    assert.match(spec.example, new RegExp(`^${spec.name.replace(/\./g, '\\.')} = `), spec.name);
    const problems = computeDiagnostics(parseConfig(`${spec.example}\n`), { file: 'xl.conf' });
    // A deprecated key's example is flagged as deprecated, and for nothing else.
    assert.deepEqual(problems.map((problem) => problem.code), spec.deprecated ? ['xl.deprecated-key'] : [], spec.name);
    for (const value of spec.enum ?? []) assert.ok(spec.valueDocs?.[value] !== undefined, `${spec.name}: doc of ${value}`);
  }
});

test('deprecated keys name a catalogued replacement; keys in both files are the ones xl.conf gives a default for', () => {
  for (const spec of XL_CONF_KEYS) {
    if (spec.deprecated) assert.ok(XL_CONF_KEYS.some((key) => key.name === spec.replacement && !key.deprecated), spec.name);
  }
  const shared = XL_CONF_KEYS.filter((spec) => KEY_BY_NAME.has(spec.name)).map((spec) => spec.name);
  assert.deepEqual(shared, ['max_grant_frames', 'max_maptrack_frames', 'max_grant_version', 'bootloader_restrict']);
});
