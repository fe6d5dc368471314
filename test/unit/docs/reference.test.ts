// The generated reference (docs/rules.md, docs/keys.md, docs/xl-conf.md) is committed; this test
// fails when it no longer matches the rule table and the catalogue it is generated from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYS } from '../../../server/src/catalogue';
import { RULES } from '../../../server/src/analysis/rules';
import { XL_CONF_KEYS } from '../../../server/src/catalogue/xlConf';
import { renderKeys, renderRules, renderXlConf } from '../../../scripts/docsReference';

const committed = (path: string): string => readFileSync(join(process.cwd(), path), 'utf8');

test('docs/rules.md is up to date with server/src/analysis/rules.ts', () => {
  assert.ok(committed('docs/rules.md') === renderRules(), 'docs/rules.md is stale: run `npm run docs` and commit the result');
});

test('docs/keys.md is up to date with the key catalogue', () => {
  assert.ok(committed('docs/keys.md') === renderKeys(), 'docs/keys.md is stale: run `npm run docs` and commit the result');
});

test('docs/xl-conf.md is up to date with the xl.conf catalogue, and names each key once', () => {
  const text = renderXlConf();
  assert.ok(committed('docs/xl-conf.md') === text, 'docs/xl-conf.md is stale: run `npm run docs` and commit the result');
  for (const key of XL_CONF_KEYS) assert.equal(text.split(`\n| \`${key.name}\` |`).length, 2, key.name);
});

test('the reference names every rule and every key once', () => {
  const rules = renderRules();
  for (const rule of RULES) assert.equal(rules.split(`\n### \`${rule.code}\`\n`).length, 2, rule.code);
  const keys = renderKeys();
  for (const key of KEYS) assert.equal(keys.split(`\n| \`${key.name}\` |`).length, 2, key.name);
});

test('the reference is rendered from the tables', () => {
  // Guards the comparison above against a renderer that ignores its input.
  assert.ok(renderRules().includes(RULES[0].summary));
  assert.ok(renderKeys().includes(`| \`${KEYS[0].name}\` |`));
});
