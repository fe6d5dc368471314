// The version set (issue 19): one generated config per version fact of the catalogue, so that the
// conformance suite puts every fact before the rig's real xl, not only the ones the corpus happens
// to use. A fact is a key that came or went (`version` of a key), a value of a key that did
// (`valueVersions`), or the same for a key or value of a spec language (a disk's `grant_usage=`,
// a vif's `vlan=`). Each config is a small guest of a type the key applies to, with the key set
// to the catalogue's own example where it has one, and nothing else that could draw a message.

import { KEYS, type KeySpec } from '../../server/src/catalogue';
import { KEY_DOCS } from '../../server/src/catalogue/docs';
import type { SpecKeyDoc, VersionFacts } from '../../server/src/catalogue/types';
import { SPEC_LANGUAGES } from '../../server/src/specs';

/** The folder the generated configs are named under (they exist only in memory and in dom0). */
export const VERSION_SET_DIR = 'generated/version-set';

/**
 * The list key's one element that a spec key is tried in, around it: a line xl reads without
 * complaint on its own. A disk's `target=` comes last (the rest of the line is its path).
 */
const SPEC_BASES: Readonly<Record<string, { key: string; before: string; after: string }>> = {
  disk: { key: 'disk', before: 'vdev=xvdb, access=rw, ', after: ', target=/dev/xenvg/version-set' },
  vif: { key: 'vif', before: 'bridge=xenbr0, ', after: '' },
  vfb: { key: 'vfb', before: 'vnc=1, ', after: '' },
  p9: { key: 'p9', before: 'tag=share0, path=/tmp, security_model=none, ', after: '' },
};

/** Keys that say what a PV or PVH guest boots instead of a kernel. */
const BOOTS = new Set(['bootloader', 'firmware']);

/** The guest's first lines: its name, its type and what it boots (a kernel for PV and PVH, unless `key` boots it). */
function guest(name: string, type: 'pv' | 'pvh' | 'hvm', why: string, key?: string): string[] {
  const kernel = type === 'hvm' || (key !== undefined && BOOTS.has(key)) ? [] : ['kernel = "/boot/vmlinuz"'];
  return [`# ${why}`, `name = "${name}"`, `type = "${type}"`, ...kernel, 'memory = 128'];
}

/** What the fact says, for the config's first line. */
function describe(facts: VersionFacts): string {
  const parts = [facts.since && `since Xen ${facts.since}`, facts.removedIn && `removed in ${facts.removedIn}`, facts.deprecatedIn && `deprecated in ${facts.deprecatedIn}`];
  return `${parts.filter(Boolean).join(', ')} (${facts.source})`;
}

function slug(text: string): string {
  return text.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}

/** The guest type to try a key on: PVH when it applies, else the first it applies to. */
function typeFor(spec: KeySpec): 'pv' | 'pvh' | 'hvm' {
  return spec.guestTypes.includes('pvh') ? 'pvh' : spec.guestTypes[0];
}

/** A value of the key's kind, written as in a config, from the catalogue's example or made up. */
function exampleLine(spec: KeySpec): string {
  const example = KEY_DOCS[spec.name]?.example;
  if (example !== undefined && example.startsWith(`${spec.name} `)) return example.split('\n')[0];
  const value =
    spec.enum !== undefined ? `"${spec.enum[0]}"`
    : spec.kind === 'integer' || spec.kind === 'boolean' ? '1'
    : spec.kind.includes('list') ? '[ "1" ]'
    : '"1"';
  return `${spec.name} = ${value}`;
}

/** What a list value needs beside the value tried, to be a config xl builds: every Viridian group builds on `base`. */
const COMPANIONS: Readonly<Record<string, string[]>> = { viridian: ['base'] };

/** The value written for one enumerated value of a key. */
function valueLine(spec: KeySpec, value: string): string {
  const items = [...(COMPANIONS[spec.name] ?? []), value].map((item) => `"${item}"`).join(', ');
  return spec.kind.includes('list') ? `${spec.name} = [ ${items} ]` : `${spec.name} = "${value}"`;
}

/** The spec key's example (`mtu=9000`), or `KEY=VALUE` with its first value. */
function specExample(key: SpecKeyDoc): string {
  if (key.example !== undefined && key.example.startsWith(`${key.name}=`)) return key.example;
  return `${key.name}=${key.values?.[0] ?? '1'}`;
}

/** Every generated config, file name → text. */
export function versionSetConfigs(): Map<string, string> {
  const configs = new Map<string, string>();
  const add = (name: string, lines: string[]): void => {
    configs.set(`${VERSION_SET_DIR}/${name}.cfg`, `${lines.join('\n')}\n`);
  };
  for (const spec of KEYS) {
    const type = typeFor(spec);
    if (spec.version !== undefined) {
      const name = `vs-${slug(spec.name)}`;
      add(name, [...guest(name, type, `\`${spec.name}\` ${describe(spec.version)}`, spec.name), exampleLine(spec)]);
    }
    for (const [value, facts] of Object.entries(spec.valueVersions ?? {})) {
      const name = `vs-${slug(spec.name)}-${slug(value)}`;
      add(name, [...guest(name, type, `\`${spec.name} = ${value}\` ${describe(facts)}`, spec.name), valueLine(spec, value)]);
    }
  }
  for (const [id, { key, before, after }] of Object.entries(SPEC_BASES)) {
    const language = SPEC_LANGUAGES.get(id);
    if (language === undefined) throw new Error(`no spec language ${id}`);
    for (const specKey of language.keys) {
      const variants: [string, string, VersionFacts][] = [];
      if (specKey.version !== undefined) variants.push([slug(specKey.name), specExample(specKey), specKey.version]);
      for (const [value, facts] of Object.entries(specKey.valueVersions ?? {})) variants.push([`${slug(specKey.name)}-${slug(value)}`, `${specKey.name}=${value}`, facts]);
      for (const [suffix, item, facts] of variants) {
        const name = `vs-${id}-${suffix}`;
        add(name, [...guest(name, 'pvh', `${id} \`${item}\` ${describe(facts)}`), `${key} = [ "${before}${item}${after}" ]`]);
      }
    }
  }
  return configs;
}

/** Spec languages that have version facts but no base element above (a new one needs one). */
export function specLanguagesWithoutBase(): string[] {
  return [...SPEC_LANGUAGES.values()]
    .filter((language) => !(language.id in SPEC_BASES) && language.keys.some((key) => key.version !== undefined || key.valueVersions !== undefined))
    .map((language) => language.id);
}
