// Table-driven helpers for the spec language tests: one line per case.
import assert from 'node:assert/strict';
import { SPEC_LANGUAGES } from '../../../server/src/specs/index';
import type { SpecParse } from '../../../server/src/specs/types';

export type Expect =
  /** No problem of severity error (warnings allowed). */
  | 'ok'
  /** No problem at all. */
  | 'clean'
  /** A problem with this code, severity (default error) and, when given, exactly this text range. */
  | { code: string; sev?: 'error' | 'warning'; at?: string | [number, number] };

export function parse(lang: string, text: string): SpecParse {
  const l = SPEC_LANGUAGES.get(lang);
  assert.ok(l, `no language ${lang}`);
  return l.parse(text);
}

export function check(lang: string, text: string, expected: Expect): void {
  const r = parse(lang, text);
  const show = () => JSON.stringify(r.problems.map((p) => ({ ...p, text: text.slice(p.start, p.end) })), null, 1);
  for (const p of r.problems) {
    assert.ok(p.start >= 0 && p.end >= p.start && p.end <= text.length, `bad range in ${show()}`);
    assert.match(p.message, /^[^A-Z]/, `message should start lower-case: ${p.message}`);
    assert.doesNotMatch(p.message, /\.$/, `message should not end with a full stop: ${p.message}`);
    assert.match(p.code, /^[a-z0-9]+(-[a-z0-9]+)*$/, `code not kebab-case: ${p.code}`);
  }
  if (expected === 'ok') {
    assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), [], `${lang} ${JSON.stringify(text)}: unexpected errors ${show()}`);
    return;
  }
  if (expected === 'clean') {
    assert.deepEqual(r.problems, [], `${lang} ${JSON.stringify(text)}: unexpected problems ${show()}`);
    return;
  }
  const sev = expected.sev ?? 'error';
  const hit = r.problems.find((p) => {
    if (p.code !== expected.code || p.severity !== sev) return false;
    if (expected.at === undefined) return true;
    if (typeof expected.at === 'string') return text.slice(p.start, p.end) === expected.at;
    return p.start === expected.at[0] && p.end === expected.at[1];
  });
  assert.ok(hit, `${lang} ${JSON.stringify(text)}: expected ${sev} ${expected.code} at ${JSON.stringify(expected.at)}, got ${show()}`);
}

/** The value of the part with this key, if any. */
export function partValue(lang: string, text: string, key: string): string | undefined {
  return parse(lang, text).parts.find((p) => p.key === key)?.value;
}
