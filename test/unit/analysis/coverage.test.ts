// The "done when" of the editing features, checked over the whole catalogue: every key, every
// enumeration value and every spec key can be completed and hovered with our own docs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete } from '../../../server/src/analysis/completion';
import { hover } from '../../../server/src/analysis/hover';
import { KEYS } from '../../../server/src/catalogue';
import { parseConfig } from '../../../server/src/syntax';
import { SPEC_LANGUAGES } from '../../../server/src/specs';

test('every key is completed and hovered with its doc', () => {
  const labels = new Set(complete(parseConfig(''), 0).map((item) => item.label));
  for (const spec of KEYS) {
    assert.ok(labels.has(spec.name), `${spec.name} completed`);
    const text = `${spec.name} = 1\n`;
    assert.ok(hover(parseConfig(text), 1)?.markdown.includes(spec.doc), `${spec.name} hovered`);
  }
});

test('every enumeration value is completed and hovered', () => {
  for (const spec of KEYS) {
    for (const value of spec.enum ?? []) {
      const list = spec.kind === 'string-list' || spec.kind === 'boolean-or-string-list';
      const numeric = /^[0-9]+$/.test(value) && (spec.kind === 'integer' || spec.kind === 'boolean');
      const before = `${spec.name} = ${list ? '[ ' : ''}${numeric ? '' : '"'}`;
      const after = `${numeric ? '' : '"'}${list ? ' ]' : ''}\n`;
      const items = complete(parseConfig(before + after), before.length).map((item) => item.label);
      assert.ok(items.includes(value), `${spec.name}: ${value} completed (got ${items.join(', ')})`);
      const text = before + value + after;
      const result = hover(parseConfig(text), before.length);
      assert.ok(result !== undefined && result.markdown.includes(value), `${spec.name} = ${value} hovered`);
    }
  }
});

test('every key of the key=value languages is completed and hovered with its doc', () => {
  const owners = new Map<string, string>();
  for (const spec of KEYS) if (spec.spec !== undefined && (spec.kind === 'string-list' || spec.kind === 'string-or-list') && !owners.has(spec.spec)) owners.set(spec.spec, spec.name);
  let checked = 0;
  for (const [id, key] of owners) {
    const language = SPEC_LANGUAGES.get(id)!;
    const keyed = language.keys.filter((doc) => doc.example?.startsWith(`${doc.name}=`));
    if (keyed.length === 0) continue;
    const list = KEYS.find((spec) => spec.name === key)!.kind === 'string-list';
    const before = list ? `${key} = [ '` : `${key} = '`;
    const close = list ? "' ]\n" : "'\n";
    const labels = complete(parseConfig(`${before}${close}`), before.length).map((item) => item.label);
    for (const doc of keyed) {
      assert.ok(labels.includes(doc.name), `${id}: ${doc.name} completed`);
      // The libxl cpuid string must start with `host`.
      const lead = id === 'cpuid' ? 'host,' : '';
      const text = `${before}${lead}${doc.example}${close}`;
      const result = hover(parseConfig(text), before.length + lead.length + 1);
      assert.ok(result?.markdown.includes(doc.doc), `${id}: ${doc.name} hovered in ${JSON.stringify(doc.example)}`);
      checked++;
      for (const value of doc.values ?? []) {
        const at = `${before}${doc.name}=`;
        const values = complete(parseConfig(`${at}${close}`), at.length).map((item) => item.label);
        assert.ok(values.includes(value), `${id}: ${doc.name}=${value} completed`);
      }
    }
  }
  assert.ok(checked > 50, `checked ${checked} spec keys`);
});
