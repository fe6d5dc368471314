// The catalogue of the 172 top-level keys xl reads: the facts of `facts.ts` joined with our docs
// of `docs.ts`, in the order of the facts.

import { KEY_DOCS } from './docs';
import { KEY_FACTS } from './facts';
import type { KeySpec } from './types';

function join(): KeySpec[] {
  const keys = KEY_FACTS.map((facts): KeySpec => {
    const doc = Object.hasOwn(KEY_DOCS, facts.name) ? KEY_DOCS[facts.name] : undefined;
    if (doc === undefined) throw new Error(`catalogue: key ${facts.name} has facts but no doc in docs.ts`);
    return { ...facts, ...doc };
  });
  const named = new Set(KEY_FACTS.map((facts) => facts.name));
  for (const name of Object.keys(KEY_DOCS)) {
    if (!named.has(name)) throw new Error(`catalogue: key ${name} has a doc in docs.ts but no facts`);
  }
  return keys;
}

export const KEYS: readonly KeySpec[] = join();

export const KEY_BY_NAME: ReadonlyMap<string, KeySpec> = new Map(KEYS.map((k) => [k.name, k]));

/** Every key's name, in catalogue order: one array, so a did-you-mean over it is remembered. */
export const KEY_NAMES: readonly string[] = KEYS.map((k) => k.name);
