// Checks the catalogue's version facts (`version` and `valueVersions` in server/src/catalogue/facts.ts
// and in the spec keys) against what each Xen release's sources read, kept in
// test/fixtures/catalogue/versions.json (generated from xen-project/xen by versions-generate.mjs
// beside it): a key or value is absent before its `since` and present from it on, absent from its
// `removedIn` on; and every key or value that changed since 4.14 has a fact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, KEY_BY_NAME } from '../../../server/src/catalogue/keys';
import { XEN_RELEASES, XEN_VERSIONS, type SpecKeyDoc, type VersionFacts, type XenRelease } from '../../../server/src/catalogue/types';
import { compareReleases, lacks, parseXenVersion, removedBy, resolveTarget } from '../../../server/src/catalogue/xenVersions';
import { SPEC_LANGUAGES } from '../../../server/src/specs';
import fixture from '../../fixtures/catalogue/versions.json';

interface Release {
  keys: string[];
  specKeys: Record<string, string[]>;
  values: Record<string, string[]>;
}
const releases = (fixture as { releases: Record<string, Release> }).releases;
/** The releases of the fixture, oldest first; the master snapshot stands for 4.23. */
const FIXTURE: readonly [XenRelease, Release][] = XEN_RELEASES.map((version) => [version, releases[version] ?? releases.master]);

function checkFacts(what: string, facts: VersionFacts, present: (release: Release) => boolean): void {
  assert.ok(/^[0-9a-f]{10} \S/.test(facts.source) || /CHANGELOG/.test(facts.source), `${what}: the source names a commit or a release note`);
  for (const [version, release] of FIXTURE) {
    if (version === '4.14') continue;
    const expected = (facts.since === undefined || compareReleases(version, facts.since) >= 0) && (facts.removedIn === undefined || compareReleases(version, facts.removedIn) < 0);
    assert.equal(present(release), expected, `${what} in Xen ${version}`);
  }
  if (facts.since !== undefined) assert.ok(!present(releases['4.14']) || facts.since === '4.14', `${what}: Xen 4.14 already has it`);
}

test('the fixture holds every release from 4.14, read from the sources', () => {
  assert.match(fixture.source, /xl_parse\.c.*RELEASE-4\.14\.0 to RELEASE-4\.22\.0.*master \([0-9a-f]{40}\)/);
  for (const version of ['4.14', '4.15', '4.16', '4.17', '4.18', '4.19', '4.20', '4.21', '4.22', 'master']) {
    assert.ok(releases[version].keys.length > 150, version);
    assert.ok(releases[version].specKeys.vif.includes('bridge'), version);
  }
  // Xen's list for 4.23-unstable (keys.json) and the master snapshot name the same keys.
  assert.equal(releases.master.keys.length, KEYS.length);
  for (const key of releases.master.keys) assert.ok(KEY_BY_NAME.has(key), key);
});

test('every top-level key fact holds in each release, and every key added since 4.14 has one', () => {
  for (const key of KEYS) {
    if (key.version !== undefined) checkFacts(key.name, key.version, (release) => release.keys.includes(key.name));
    const added = !releases['4.14'].keys.includes(key.name);
    assert.equal(key.version?.since !== undefined, added, `${key.name}: a since exactly when Xen 4.14 lacks the key`);
    // The version the checks use without a target (4.17) agrees with the facts.
    if (key.addedAfter !== undefined) assert.ok(lacks(key.version, '4.17'), `${key.name}: addedAfter 4.17 but since ${key.version?.since}`);
  }
  // No top-level key was removed since 4.14.
  for (const [version, release] of FIXTURE) for (const key of releases['4.14'].keys) assert.ok(release.keys.includes(key), `${key} in ${version}`);
});

/** The catalogue's spec key docs of each fixture spec language (virtio is a key of its own since 4.18). */
const SPEC_DOCS: Readonly<Record<string, readonly SpecKeyDoc[]>> = {
  vif: SPEC_LANGUAGES.get('vif')!.keys,
  disk: SPEC_LANGUAGES.get('disk')!.keys,
  p9: SPEC_LANGUAGES.get('p9')!.keys,
};

test('every spec key fact holds in each release, and every spec key added since 4.14 has one', () => {
  for (const [language, docs] of Object.entries(SPEC_DOCS)) {
    for (const doc of docs) {
      const present = (release: Release): boolean => release.specKeys[language].includes(doc.name);
      // Our docs also name positional fields and flags, which the fixture (keys written `key=`) lacks.
      if (!present(releases.master)) {
        assert.equal(doc.version, undefined, `${language} ${doc.name}`);
        continue;
      }
      if (doc.version !== undefined) checkFacts(`${language} ${doc.name}`, doc.version, present);
      assert.equal(doc.version?.since !== undefined, !present(releases['4.14']), `${language} ${doc.name}: a since exactly when Xen 4.14 lacks it`);
    }
    for (const name of releases.master.specKeys[language]) assert.ok(docs.some((doc) => doc.name === name), `${language}: ${name} has a doc`);
  }
});

/** Where the fixture's value lists live in the catalogue: a top-level key or a spec key. */
const VALUE_HOMES: Readonly<Record<string, () => Readonly<Record<string, VersionFacts>> | undefined>> = {
  device_model_version: () => KEY_BY_NAME.get('device_model_version')!.valueVersions,
  bios: () => KEY_BY_NAME.get('bios')!.valueVersions,
  tee: () => KEY_BY_NAME.get('tee')!.valueVersions,
  viridian: () => KEY_BY_NAME.get('viridian')!.valueVersions,
  'disk backendtype': () => SPEC_DOCS.disk.find((doc) => doc.name === 'backendtype')!.valueVersions,
};
/** Value lists whose whole key came after 4.14: the key's fact covers its values. */
const NEW_WITH_THEIR_KEY = new Set(['disk specification', 'p9 type']);

test('every value fact holds in each release, and every value added or removed since 4.14 has one', () => {
  for (const [list, home] of Object.entries(VALUE_HOMES)) {
    const facts = home() ?? {};
    for (const [value, fact] of Object.entries(facts)) checkFacts(`${list} ${value}`, fact, (release) => release.values[list].includes(value));
    const all = new Set(FIXTURE.flatMap(([, release]) => release.values[list]));
    for (const value of all) {
      const everywhere = FIXTURE.every(([, release]) => release.values[list].includes(value));
      assert.equal(Object.hasOwn(facts, value), !everywhere, `${list} ${value}: a fact exactly when some release lacks it`);
    }
  }
  for (const list of NEW_WITH_THEIR_KEY) assert.deepEqual(releases['4.14'].values[list], [], list);
  assert.deepEqual(Object.keys(releases.master.values).sort(), [...Object.keys(VALUE_HOMES), ...NEW_WITH_THEIR_KEY].sort());
});

test('the pygrub path fact names its release note', () => {
  const fact = KEY_BY_NAME.get('bootloader')!.valueVersions?.['/usr/bin/pygrub'];
  assert.deepEqual({ removedIn: fact?.removedIn, replacement: fact?.replacement }, { removedIn: '4.19', replacement: 'pygrub' });
  assert.match(fact!.source, /1fa104ee7a .*CHANGELOG 4\.19/);
});

test('versions: parsing, comparing and choosing the target', () => {
  assert.equal(parseXenVersion('4.17'), '4.17');
  assert.equal(parseXenVersion('4.20.1-pre'), '4.20');
  assert.equal(parseXenVersion('4.30'), '4.23');
  assert.equal(parseXenVersion('5.0'), '4.23');
  assert.equal(parseXenVersion('4.16'), undefined);
  assert.equal(parseXenVersion('auto'), undefined);
  assert.equal(parseXenVersion(null), undefined);
  assert.equal(parseXenVersion('4.1x'), undefined);
  assert.deepEqual(XEN_VERSIONS, XEN_RELEASES.slice(3));
  assert.ok(lacks({ since: '4.22', source: 'x' }, '4.17'));
  assert.ok(!lacks({ since: '4.17', source: 'x' }, '4.17'));
  assert.ok(removedBy({ removedIn: '4.21', source: 'x' }, '4.21'));
  assert.ok(!removedBy({ removedIn: '4.21', source: 'x' }, '4.20'));
  assert.equal(resolveTarget('auto', undefined), undefined);
  assert.deepEqual(resolveTarget('auto', '4.17'), { version: '4.17', from: 'host' });
  assert.deepEqual(resolveTarget('4.20', '4.17'), { version: '4.20', from: 'setting' });
});
