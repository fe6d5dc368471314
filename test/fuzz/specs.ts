// The spec parsers alone (disk=, vif=, pci=, cpus, ...: every language of SPEC_LANGUAGES), for the
// fuzzer's `--specs` mode and the regression test. The whole pipeline runs ~130 configs a second;
// one spec string through its parser takes microseconds, so this mode tries a million strings in
// minutes. Each input is read twice without the memo, problems first and parts first, because the
// two orders run the parser with and without parts kept, and both must give the same result.

import { buildModel, specTargets } from '../../server/src/analysis/model';
import { KEY_BY_NAME } from '../../server/src/catalogue';
import { SPEC_LANGUAGES, type SpecPart, type SpecProblem } from '../../server/src/specs';
import { parseConfig } from '../../server/src/syntax';

export interface SpecResult {
  readonly failure?: string;
  /** CPU milliseconds of the two parses together. */
  readonly ms: number;
}

/** One spec string through its language, with every invariant checked. Never throws. */
export function runSpec(id: string, text: string): SpecResult {
  const language = SPEC_LANGUAGES.get(id);
  if (language === undefined) return { failure: `no spec language ${id}`, ms: 0 };
  const start = process.cpuUsage();
  let problemsFirst: readonly SpecProblem[];
  let partsAfter: readonly SpecPart[];
  let partsFirst: readonly SpecPart[];
  let problemsAfter: readonly SpecProblem[];
  try {
    // The default policy, `throw`: a parser exception surfaces here as a SpecParserError.
    const one = language.parse(text, false);
    problemsFirst = one.problems;
    partsAfter = one.parts;
    const two = language.parse(text, false);
    partsFirst = two.parts;
    problemsAfter = two.problems;
    if (one.failure !== undefined || two.failure !== undefined) return { failure: `${id}: a failure was reported instead of thrown`, ms: 0 };
  } catch (error) {
    return { failure: `${id}: threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, ms: 0 };
  }
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000;
  const failure = checkProblems(text, problemsFirst) ?? checkParts(text, partsAfter)
    ?? (same(problemsFirst, problemsAfter) ? undefined : 'the problems differ when the parts are read first')
    ?? (same(partsFirst, partsAfter) ? undefined : 'the parts differ when they are read first');
  return { failure: failure === undefined ? undefined : `${id}: ${failure}`, ms };
}

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function checkProblems(text: string, problems: readonly SpecProblem[]): string | undefined {
  for (const problem of problems) {
    const show = (): string => JSON.stringify(problem);
    if (!(Number.isInteger(problem.start) && Number.isInteger(problem.end) && problem.start >= 0 && problem.start <= problem.end && problem.end <= text.length)) return `problem range out of the spec: ${show()}`;
    if (problem.severity !== 'error' && problem.severity !== 'warning') return `bad severity: ${show()}`;
    if (!CODE.test(problem.code)) return `code not kebab-case: ${show()}`;
    if (typeof problem.message !== 'string' || problem.message.length === 0) return `empty message: ${show()}`;
  }
  return undefined;
}

function checkParts(text: string, parts: readonly SpecPart[]): string | undefined {
  for (const part of parts) {
    const show = (): string => JSON.stringify(part);
    const offsets = [part.start, part.valueStart, part.end];
    if (!offsets.every((offset) => Number.isInteger(offset) && offset >= 0 && offset <= text.length)) return `part range out of the spec: ${show()}`;
    if (!(part.start <= part.end && part.start <= part.valueStart && part.valueStart <= part.end)) return `part offsets out of order: ${show()}`;
    if (typeof part.key !== 'string' || part.key.length === 0 || typeof part.value !== 'string') return `part without a key or value: ${show()}`;
  }
  return undefined;
}

function same(a: readonly object[], b: readonly object[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

/** Spec strings of each language found in configs (by the same targets the diagnostics parse). */
export function specSeeds(configs: readonly string[]): Map<string, string[]> {
  const seeds = new Map<string, Set<string>>([...SPEC_LANGUAGES.keys()].map((id) => [id, new Set<string>()]));
  for (const config of configs) {
    const model = buildModel(parseConfig(config));
    for (const setting of model.effective.values()) {
      const spec = KEY_BY_NAME.get(setting.key);
      const node = setting.assignment.value;
      if (spec?.spec === undefined || node === undefined) continue;
      const targets = specTargets(spec, node);
      if (targets !== undefined) for (const atom of targets.atoms) seeds.get(targets.language.id)?.add(atom.value);
    }
  }
  // Each language's own documentation: examples, enum values, `key=value` for every key.
  for (const [id, language] of SPEC_LANGUAGES) {
    const set = seeds.get(id)!;
    for (const key of language.keys) {
      if (key.example !== undefined) set.add(key.example);
      for (const value of [...(key.values ?? []), ...(key.default === undefined ? [] : [key.default])]) {
        set.add(value);
        set.add(`${key.name}=${value}`);
      }
      set.add(`${key.name}=`);
      set.add(key.name);
    }
  }
  return new Map([...seeds].map(([id, set]) => [id, [...set]]));
}

/** The quoted strings of the spec unit tests: hand-picked edge cases, spliced into any language. */
export function literalsOf(sources: readonly string[]): string[] {
  const found = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/'((?:[^'\\\n]|\\.)*)'/g)) {
      try {
        found.add(JSON.parse(`"${match[1].replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string);
      } catch {
        found.add(match[1]); // an escape JSON does not know (\x41): the raw text is a seed too
      }
    }
  }
  return [...found];
}

/** Tokens of the spec languages, spliced in and used to build strings from nothing. */
const TOKENS = [
  ',', ', ', ':', ';', '=', '==', '@', '/', '-', '^', '.', ' ', '\t', '\n', '\0', '"', "'", '\\', 'é', '😀', '\ufeff',
  '0', '1', '-1', '08', '0x', '0x1f', '0X1F', '010', '4294967296', '18446744073709551615', '18446744073709551616', '99999999999999999999999',
  '0-3', '^2', '1-', '-3', 'all', 'nodes:0', 'node:1', '0000:03:00.0', '03:00.7', '00:16:3e:01:02:03', 'ff:ff:ff:ff:ff:ff', '1.2.3.4', '::1',
  '10Mb/s@20ms', '1G', 'x1', 'vdev=', 'target=', 'backend=', 'mac=', 'bridge=', 'rdm=', 'type=', 'id=', 'phy:', 'file:', 'tap:aio:', ':cdrom', ',r', ',w', ',rw',
  'xvda', 'hda', 'sdb', 'xvdz99', 'd536p37', 'true', 'false', 'yes', 'none', 'host', 'default', 'destroy', 'restart', 'rename-restart',
];

export class SpecInputs {
  private readonly ids: string[];

  constructor(
    private readonly seeds: Map<string, string[]>,
    private readonly literals: readonly string[],
    private readonly random: () => number,
    private readonly maxLength: number,
  ) {
    this.ids = [...seeds.keys()];
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  /** A language and a spec string for it: a mutated seed (mostly) or one built from its keys. */
  next(): { id: string; text: string } {
    const id = this.pick(this.ids);
    // One in a thousand: a short unit repeated to tens or hundreds of thousands of characters, the
    // shape that shows a search to the end of the text per item (the time bound judges it).
    if (this.random() < 0.001) return { id, text: this.long(id) };
    const roll = this.random();
    const text = roll < 0.25 ? this.generate(id) : this.mutate(roll < 0.85 ? this.seed(id) : this.pick(this.literals));
    return { id, text: text.length > this.maxLength ? text.slice(0, this.maxLength) : text };
  }

  private seed(id: string): string {
    const own = this.seeds.get(id)!;
    // Now and then another language's string: a vif spec given to the disk parser, say.
    return own.length > 0 && this.random() < 0.9 ? this.pick(own) : this.pick(this.seeds.get(this.pick(this.ids))!.concat(''));
  }

  private item(id: string): string {
    const keys = SPEC_LANGUAGES.get(id)!.keys;
    const roll = this.random();
    if (keys.length > 0 && roll < 0.6) {
      const key = this.pick(keys);
      const values = [...(key.values ?? []), ...(key.default === undefined ? [] : [key.default]), ...(key.example === undefined ? [] : [key.example])];
      const value = values.length > 0 && this.random() < 0.6 ? this.pick(values) : this.pick(TOKENS);
      const name = this.random() < 0.1 ? key.name.toUpperCase() : this.random() < 0.1 ? key.name.slice(1) : key.name;
      return `${name}${this.pick(['=', '=', '=', ' = ', ':', ''])}${value}`;
    }
    if (roll < 0.8) return this.pick(TOKENS);
    return this.pick(this.literals);
  }

  private generate(id: string): string {
    const count = 1 + Math.floor(this.random() * 6);
    const separator = this.pick([',', ',', ', ', ':', ';', ' ', '@', '/']);
    return Array.from({ length: count }, () => this.item(id)).join(separator);
  }

  private long(id: string): string {
    const roll = this.random();
    const unit = roll < 0.4 ? this.generate(id) + this.pick([',', ';', ' ', '']) : roll < 0.7 ? this.pick(TOKENS) + this.pick(TOKENS) : this.mutate(this.pick(this.literals)) + ',';
    const length = 20_000 + Math.floor(this.random() * (this.maxLength - 20_000));
    return unit.length === 0 ? '' : unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  }

  private mutate(start: string): string {
    let text = start;
    const rounds = 1 + Math.floor(this.random() * 4);
    for (let round = 0; round < rounds; round++) {
      const at = Math.floor(this.random() * (text.length + 1));
      switch (Math.floor(this.random() * 8)) {
        case 0: // a character flip: mostly ASCII, sometimes any UTF-16 unit (lone surrogates too)
          if (text.length > 0) text = text.slice(0, at) + String.fromCharCode(Math.floor(this.random() * (this.random() < 0.9 ? 128 : 65536))) + text.slice(at + 1);
          break;
        case 1:
          text = text.slice(0, at) + this.pick(TOKENS) + text.slice(at);
          break;
        case 2:
          text = text.slice(0, at);
          break;
        case 3: {
          const end = Math.min(text.length, at + Math.floor(this.random() * 40));
          text = text.slice(0, end) + text.slice(at, end) + text.slice(end);
          break;
        }
        case 4: {
          const other = this.pick(this.literals);
          const from = Math.floor(this.random() * (other.length + 1));
          text = text.slice(0, at) + other.slice(from, from + Math.floor(this.random() * 40)) + text.slice(at);
          break;
        }
        case 5:
          text = text.slice(0, at) + text.slice(at + 1 + Math.floor(this.random() * 8));
          break;
        case 6: // a digit run: numbers at and past every C limit
          text = text.slice(0, at) + '9'.repeat(1 + Math.floor(this.random() * 30)) + text.slice(at);
          break;
        default: // repetition, now and then, for the time bound (one huge string per few hundred)
          if (this.random() < 0.02 && text.length > 0) text = text.repeat(Math.max(2, Math.floor((this.random() * this.maxLength) / text.length)));
      }
    }
    return text;
  }
}
