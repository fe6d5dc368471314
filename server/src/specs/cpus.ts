// CPULIST (`cpus`, `cpus_soft`, and each element of their list form): comma-separated CPU or
// NUMA-node ranges, checked like xl_parse.c's parse_cpurange()/update_cpumap_range().
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, ULONG_MAX, cStrtoul, language, quoted, strtok } from './common';

export const CPUS_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'cpus',
    doc: 'A physical CPU number (`3`) or an inclusive range (`0-3`) the vCPUs may run on. Terms are applied left to right, so later exclusions trim earlier ranges.',
    example: '0-3,6',
  },
  {
    name: 'nodes',
    doc: 'With a `node:` or `nodes:` prefix the numbers are NUMA node ids and stand for all CPUs of those nodes, e.g. `nodes:0-1`; the host topology is resolved when the guest is created.',
    example: 'node:0',
  },
  {
    name: 'all',
    doc: 'Every physical CPU of the host (or, as `nodes:all`, every node); the same as leaving the setting out. It cannot be combined with `^`.',
    example: 'all',
  },
  {
    name: '^',
    doc: 'Prefix that removes the CPUs (or nodes) of this term from the set built so far, e.g. `0-7,^3`.',
    example: '^3',
  },
];

export const cpusLanguage = language('cpus', CPUS_KEYS, (text, out: Collector) => {
  const tokens = strtok(text, ',');
  if (tokens.length === 0) {
    out.warning(0, text.length, 'cpus-range', 'empty CPU list: the vCPUs would be allowed on no CPU; use "all" or leave the setting out');
    return;
  }
  for (const tok of tokens) {
    let s = tok.text;
    let off = tok.start;
    let exclude = false;
    // Mirrors STR_SKIP_PREFIX(str, "^") then ("node:" || "nodes:").
    if (s.startsWith('^')) {
      exclude = true;
      out.part('^', '^', off, off + 1, off, true);
      s = s.slice(1);
      off++;
    }
    let nodes = false;
    let keyLen = 0;
    if (s.startsWith('node:')) keyLen = 5;
    else if (s.startsWith('nodes:')) keyLen = 6;
    if (keyLen) {
      nodes = true;
      s = s.slice(keyLen);
    }
    const valueStart = off + keyLen;
    if (s === 'all') {
      out.part('all', s, off, tok.end, valueStart, nodes);
      if (exclude) out.error(tok.start, tok.end, 'cpus-all', 'can\'t combine "^" and "all"; list the CPUs to remove instead');
      continue;
    }
    out.part(nodes ? 'nodes' : 'cpus', s, off, tok.end, valueStart, nodes);
    const problem = parseRange(s);
    if (problem) {
      out.error(valueStart, tok.end, 'cpus-range', `invalid pcpu range ${quoted(s)}: ${problem}; use N, N-M (M >= N), all, or node:N`);
    }
  }
});

/**
 * Mirrors xl_parse.c's parse_range(): `N` or `N-M` in decimal (strtoul, so leading blanks and a
 * `+` are tolerated), M not below N, nothing after. Returns why it fails, or undefined.
 */
export function parseRange(text: string): string | undefined {
  const low = cStrtoul(text, 0, 10);
  if (!low.ok) return text === '' ? 'it is empty' : 'it does not start with a number';
  if (low.value === ULONG_MAX) return 'the number is out of range';
  let end = low.end;
  if (text[end] === '-') {
    const high = cStrtoul(text, end + 1, 10);
    if (!high.ok) return 'the end of the range is missing';
    if (high.value === ULONG_MAX) return 'the number is out of range';
    if (high.value < low.value) return 'the end of the range is below its start';
    end = high.end;
  }
  if (end !== text.length) return `unexpected ${quoted(text.slice(end))}`;
  return undefined;
}
