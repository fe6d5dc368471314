// Generated benchmark inputs: realistic xl configs of a given number of lines (real keys, multi-line
// disk/vif lists, comments, a few errors), the same content as YAML for the comparison with
// yaml-language-server, and pathological inputs. Deterministic: the same size gives the same text.

export interface Generated {
  readonly text: string;
  /** Number of top-level keys and of list items, so the YAML twin can match them. */
  readonly keys: string[];
  readonly listItems: number;
}

const HEADER: [string, string][] = [
  ['type', '"hvm"'],
  ['name', '"bench-guest"'],
  ['memory', '4096'],
  ['maxmem', '8192'],
  ['vcpus', '2'],
  ['maxvcpus', '4'],
  ['boot', '"dc"'],
  ['vnc', '1'],
  ['vnclisten', '"0.0.0.0"'],
  ['vncdisplay', '3'],
  ['serial', '"pty"'],
  ['on_crash', '"restart"'],
  ['on_reboot', '"restart"'],
  ['xen_platform_pci', '1'],
  ['vga', '"stdvga"'],
  ['videoram', '64'],
];

/** A config of about `lines` lines: the header, then long disk and vif lists with comments. */
export function generateConfig(lines: number): Generated {
  const out: string[] = ['# Generated for benchmarks: an HVM guest with many disks and NICs.'];
  for (const [key, value] of HEADER) out.push(`${key} = ${value}`);
  const remaining = Math.max(4, lines - out.length - 4);
  const disks = Math.floor(remaining * 0.6);
  const vifs = remaining - disks;
  out.push('disk = [');
  for (let index = 0; index < disks; index++) {
    if (index % 25 === 0) out.push(`  # volume group ${index / 25}`);
    // One in 97 entries has an access mode xl rejects, so the analysis has errors to report.
    const access = index % 97 === 96 ? 'rwx' : 'rw';
    out.push(`  'phy:/dev/vg${index % 7}/lv${index},xvd${diskLetter(index)},${access}',`);
  }
  out.push(']');
  out.push('vif = [');
  for (let index = 0; index < vifs; index++) {
    const mac = `00:16:3e:${hex(index >> 16)}:${hex(index >> 8)}:${hex(index)}`;
    out.push(`  'mac=${mac},bridge=xenbr${index % 4}',`);
  }
  out.push(']');
  return { text: out.slice(0, Math.max(lines, out.length)).join('\n') + '\n', keys: [...HEADER.map(([key]) => key), 'disk', 'vif'], listItems: disks + vifs };
}

/**
 * The same document as YAML, for yaml-language-server: the same comment lines, keys, values and list
 * items in the same order, and the same bad access mode in one disk in 97 (the schema's pattern
 * rejects it, as xl does), so both servers report the same errors. Only the xl file's two closing
 * `]` lines have no YAML counterpart.
 */
export function generateYaml(generated: Generated, lines: number): string {
  const out: string[] = ['# Generated for benchmarks: an HVM guest with many disks and NICs.'];
  for (const [key, value] of HEADER) out.push(`${key}: ${value}`);
  const remaining = Math.max(4, lines - out.length - 4);
  const disks = Math.floor(remaining * 0.6);
  out.push('disk:');
  for (let index = 0; index < disks; index++) {
    if (index % 25 === 0) out.push(`  # volume group ${index / 25}`);
    const access = index % 97 === 96 ? 'rwx' : 'rw';
    out.push(`  - "phy:/dev/vg${index % 7}/lv${index},xvd${diskLetter(index)},${access}"`);
  }
  out.push('vif:');
  for (let index = 0; index < generated.listItems - disks; index++) out.push(`  - "mac=00:16:3e:${hex(index >> 16)}:${hex(index >> 8)}:${hex(index)},bridge=xenbr${index % 4}"`);
  return out.join('\n') + '\n';
}

/** A JSON schema with one property per generated key (strings and integers, lists of strings). */
export function generateSchema(generated: Generated): object {
  const properties: Record<string, object> = {};
  for (const [key, value] of HEADER) properties[key] = value.startsWith('"') ? { type: 'string', description: `The ${key} setting.` } : { type: 'integer', description: `The ${key} setting.` };
  properties.disk = { type: 'array', items: { type: 'string', pattern: '^[a-z]+:.*,xvd[a-z]+,(r|rw|w|ro)$' }, description: 'Disks.' };
  properties.vif = { type: 'array', items: { type: 'string' }, description: 'Network interfaces.' };
  void generated;
  return { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties, additionalProperties: false };
}

/** Inputs that try to make some feature super-linear. */
export function pathologicalInputs(): { name: string; text: string }[] {
  return [
    { name: 'one 1 MB string', text: `extra = "${'x'.repeat(1024 * 1024)}"\n` },
    { name: '50,000-element list', text: `cpus = [ ${Array.from({ length: 50_000 }, (_, index) => String(index % 64)).join(', ')} ]\n` },
    { name: 'deep nesting (4,000)', text: `vnuma = ${'['.repeat(4000)}"x"${']'.repeat(4000)}\n` },
    { name: '100,000 commas', text: `disk = [ ${','.repeat(100_000)} ]\n` },
  ];
}

function diskLetter(index: number): string {
  let letters = '';
  let value = index;
  do {
    letters = String.fromCharCode(97 + (value % 26)) + letters;
    value = Math.floor(value / 26) - 1;
  } while (value >= 0);
  return letters;
}

function hex(value: number): string {
  return (value & 255).toString(16).padStart(2, '0');
}
