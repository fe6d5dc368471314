// Checks the key catalogue's facts (server/src/catalogue/facts.ts) against the facts of Xen's key
// list, kept in the repository in test/fixtures/catalogue/keys.json (its README names the source
// and how to regenerate it), and against the committed list of key names in
// test/fixtures/xen-key-names.json; and our docs (docs.ts) for being our own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { KEY_DOCS } from '../../../server/src/catalogue/docs';
import { KEY_FACTS } from '../../../server/src/catalogue/facts';
import { KEYS, KEY_BY_NAME } from '../../../server/src/catalogue/keys';
import type { KeySpec, OnInvalid } from '../../../server/src/catalogue/types';
import fixtureNames from '../../fixtures/xen-key-names.json';
import referenceFixture from '../../fixtures/catalogue/keys.json';

/** One key of the fixture: the reference's facts, its summary as a SHA-256 (see the fixture's README). */
interface ReferenceKey {
  name: string;
  kind: string;
  guestTypes: string[];
  arch: string;
  default: string | number | null;
  enum: (string | number)[] | null;
  deprecated: boolean;
  replacement: string | null;
  unit: string | null;
  onInvalid: string;
  itemSpec?: string;
  summarySha256: string;
}

const reference: ReferenceKey[] = (referenceFixture as { keys: ReferenceKey[] }).keys;

/**
 * keys.json values that the catalogue maps deliberately: `libxl` (xl accepts the value, libxl or
 * QEMU checks it later) is not an `OnInvalid`; the grant limits exit without a message.
 */
const ON_INVALID_MAPPED: Readonly<Record<string, OnInvalid>> = {
  cpu_weight: 'warning-ignored',
  cap: 'warning-ignored',
  period: 'warning-ignored',
  slice: 'warning-ignored',
  latency: 'warning-ignored',
  extratime: 'warning-ignored',
  videoram: 'warning-ignored',
  soundhw: 'fatal',
  spice_image_compression: 'fatal',
  spice_streaming_video: 'fatal',
  max_grant_frames: 'fatal-silent',
  max_maptrack_frames: 'fatal-silent',
  max_grant_version: 'fatal-silent',
};

const sorted = (xs: readonly string[]): string[] => [...xs].sort();
const names = KEYS.map((k) => k.name);

test('no key is listed twice and KEY_BY_NAME indexes every key', () => {
  assert.equal(new Set(names).size, names.length);
  assert.equal(KEY_BY_NAME.size, KEYS.length);
  for (const k of KEYS) assert.equal(KEY_BY_NAME.get(k.name), k);
});

test('the facts and the docs name the same keys, and the catalogue joins them in the order of the facts', () => {
  assert.deepEqual(sorted(Object.keys(KEY_DOCS)), sorted(KEY_FACTS.map((k) => k.name)));
  assert.deepEqual(names, KEY_FACTS.map((k) => k.name));
  for (const k of KEYS) {
    assert.equal(k.doc, KEY_DOCS[k.name].doc, k.name);
    assert.equal(k.example, KEY_DOCS[k.name].example, k.name);
  }
});

test('catalogue names equal the committed fixture of key names', () => {
  assert.equal(fixtureNames.length, 172);
  assert.deepEqual(sorted(names), sorted(fixtureNames));
});

test('the reference fixture names its source and lists 172 keys with their facts', () => {
  assert.match(referenceFixture.source, /xl\.cfg key list .*xl_parse\.c.*reference/);
  assert.match(referenceFixture.generated, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(reference.length, 172);
  for (const r of reference) {
    assert.match(r.name, /^[a-z][a-z0-9_]*$/);
    assert.match(r.summarySha256, /^[0-9a-f]{64}$/, r.name);
    assert.ok(r.kind.length > 0 && r.guestTypes.length > 0 && r.onInvalid.length > 0, r.name);
  }
});

test('catalogue names equal the reference key list', () => {
  assert.deepEqual(sorted(names), sorted(reference.map((r) => r.name)));
  assert.deepEqual(sorted(fixtureNames), sorted(reference.map((r) => r.name)), 'xen-key-names.json is stale');
});

test('facts match the reference key list', () => {
  const factsByName = new Map(KEY_FACTS.map((k) => [k.name, k]));
  for (const r of reference) {
    const k = factsByName.get(r.name);
    assert.ok(k, `missing ${r.name}`);
    const where = `key ${r.name}`;
    assert.equal(k.kind, r.kind, where);
    assert.deepEqual(sorted(k.guestTypes), sorted(r.guestTypes), where);
    assert.equal(k.arch, r.arch, where);
    assert.deepEqual(k.enum, r.enum === null ? undefined : r.enum.map(String), where);
    assert.equal(k.default, r.default === null ? undefined : String(r.default), where);
    assert.equal(k.unit, r.unit ?? undefined, where);
    assert.equal(k.deprecated ?? false, r.deprecated, where);
    assert.equal(k.replacement, r.replacement ?? undefined, where);
    assert.equal(k.onInvalid, ON_INVALID_MAPPED[r.name] ?? r.onInvalid, where);
    if (r.itemSpec) assert.ok(k.spec, `${where} has itemSpec ${r.itemSpec} but no spec`);
    assert.notEqual(createHash('sha256').update(KEY_DOCS[r.name].doc.trim()).digest('hex'), r.summarySha256, `${where}: doc copies the summary`);
  }
});

test('every key has its own doc of at least 40 characters', () => {
  for (const k of KEYS) {
    assert.ok(k.doc.trim().length >= 40, `doc of ${k.name} is too short`);
  }
  assert.equal(new Set(KEYS.map((k) => k.doc)).size, KEYS.length, 'two keys share a doc');
});

test('spec names are lower-case identifiers', () => {
  for (const k of KEYS) {
    if (k.spec !== undefined) assert.match(k.spec, /^[a-z][a-z0-9_]*$/, k.name);
  }
});

/** Very rough shape of the example's right-hand side for each value kind. */
function valueShapeOk(k: KeySpec, value: string): boolean {
  const quoted = /^(["']).*\1$/.test(value);
  const number = /^-?(0x[0-9a-fA-F]+|\d+)$/.test(value);
  const list = /^\[.*\]$/.test(value);
  switch (k.kind) {
    case 'string':
      return quoted;
    case 'integer':
    case 'boolean':
      return number;
    case 'string-list':
    case 'list-of-string-lists':
      return list;
    case 'string-or-list':
      return quoted || list;
    case 'integer-or-string':
    case 'boolean-or-string':
      return quoted || number;
    case 'boolean-or-string-list':
      return number || list;
  }
}

test('every example is a one-line assignment of its own key', () => {
  for (const k of KEYS) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\S.*)$/.exec(k.example);
    assert.ok(m, `example of ${k.name} does not parse: ${k.example}`);
    assert.equal(m[1], k.name, `example of ${k.name} assigns ${m[1]}`);
    assert.ok(!k.example.includes('\n'), `example of ${k.name} spans lines`);
    assert.ok(valueShapeOk(k, m[2].trim()), `example of ${k.name} does not look like a ${k.kind}: ${k.example}`);
  }
});
