// The rules of xl.conf (`/etc/xen/xl.conf`), xl's own settings file: its keys come from the
// xl.conf catalogue, not the guest one, and the guest rules (a missing name, guest types,
// relations, VNC, other configs) do not apply. xl reads this file at the start of every command,
// so what xl does with a bad value happens on every run: a message and the default (a Warning),
// or, for the grant-table limits, an exit before the command runs (an Error).

import { KEY_BY_NAME } from '../../catalogue';
import { XL_CONF_KEY_BY_NAME, XL_CONF_KEY_NAMES, type XlConfKeySpec } from '../../catalogue/xlConf';
import { parseRange } from '../../specs/cpus';
import { strtok } from '../../specs/common';
import { effectiveSettings, parseXlInteger, type Assignment, type AtomNode, type Setting, type XlDocument } from '../../syntax';
import { closest } from '../../text/suggest';
import type { Fix, Problem, Severity } from '../types';
import { atomOffset } from './specs';
import { duplicateKey, overlapsSyntaxError, removeStatement, unknownKeyProblem } from './keys';
import { octalNumber } from './values';

export function checkXlConf(document: XlDocument): Problem[] {
  const problems: Problem[] = [];
  const effective = effectiveSettings(document);
  const last = new Map<string, Assignment>();
  for (const assignment of document.assignments) {
    if (assignment.hasError || overlapsSyntaxError(document, assignment.key.start, assignment.key.end)) continue;
    const spec = XL_CONF_KEY_BY_NAME.get(assignment.keyText);
    if (spec === undefined) {
      problems.push(unknownKey(assignment));
      continue;
    }
    const previous = last.get(assignment.keyText);
    if (previous !== undefined && assignment.op === '=') problems.push(duplicateKey(document, previous, assignment));
    last.set(assignment.keyText, assignment);
  }
  for (const [name, assignment] of last) {
    const spec = XL_CONF_KEY_BY_NAME.get(name);
    if (spec?.deprecated) problems.push(deprecatedKey(document, assignment, spec, effective.get(spec.replacement ?? '')));
  }
  for (const setting of effective.values()) {
    const spec = XL_CONF_KEY_BY_NAME.get(setting.key);
    const node = setting.assignment.value;
    if (spec === undefined || node === undefined || setting.assignment.hasError) continue;
    checkValue(document.text, setting, spec, problems);
  }
  return problems;
}

// Rule: unknown-key, and conf-guest-key for a guest config's key
function unknownKey(assignment: Assignment): Problem {
  const name = assignment.keyText;
  const range = { start: assignment.key.start, end: assignment.key.end };
  if (KEY_BY_NAME.has(name)) {
    return {
      ...range,
      severity: 'warning',
      code: 'xl.conf-guest-key',
      message: `\`${name}\` is a key of guest configs: xl does not read it from xl.conf, so it has no effect here; set it in each guest's config`,
    };
  }
  return unknownKeyProblem(assignment, 'xl.conf key', closest(name, XL_CONF_KEY_NAMES));
}

// Rule: deprecated-key
function deprecatedKey(document: XlDocument, assignment: Assignment, spec: XlConfKeySpec, replacement: Setting | undefined): Problem {
  const range = { start: assignment.key.start, end: assignment.key.end };
  const modern = spec.replacement ?? '';
  if (replacement !== undefined) {
    // xl reads the old key first and the new one after it, whatever their order in the file.
    const line = document.lineIndex.lineAt(replacement.assignment.start) + 1;
    return {
      ...range,
      severity: 'information',
      code: 'xl.deprecated-key',
      message: `\`${spec.name}\` is deprecated, and \`${modern}\` (line ${line}) overrides it: this setting has no effect, yet xl prints a notice about it on every command`,
      deprecated: true,
      unnecessary: true,
      fixes: [{ title: `Remove the old \`${spec.name}\``, edits: [removeStatement(document.text, assignment)] }],
    };
  }
  return {
    ...range,
    severity: 'information',
    code: 'xl.deprecated-key',
    message: `\`${spec.name}\` is deprecated: xl still reads it but prints a notice on every command; use \`${modern}\` instead`,
    deprecated: true,
    fixes: [{ title: `Rename to \`${modern}\``, edits: [{ ...range, newText: modern }], preferred: true }],
  };
}

/** What xl does on every run with a value it cannot use, for the end of a message. */
function consequence(spec: XlConfKeySpec, printed: string): string {
  if (spec.onInvalid === 'fatal-silent') return 'every `xl` command (even `xl list`) exits with status 1 before doing anything, printing nothing';
  return `xl prints ${printed} on every command and ignores the value${spec.default !== undefined ? `, so the default (${spec.default}) applies` : ''}`;
}

function severityOf(spec: XlConfKeySpec): Severity {
  return spec.onInvalid === 'fatal-silent' ? 'error' : 'warning';
}

function checkValue(text: string, setting: Setting, spec: XlConfKeySpec, problems: Problem[]): void {
  const node = setting.assignment.value!;
  if (node.kind === 'list') {
    // Rule: expected-single
    problems.push({
      start: node.start,
      end: node.end,
      severity: severityOf(spec),
      code: 'xl.expected-single',
      message: `\`${spec.name}\` takes a single value, not a list: ${consequence(spec, 'a warning')}`,
      fixes: node.items.length === 1 && node.items[0].kind === 'atom' ? [{ title: 'Use the only element', edits: [{ start: node.start, end: node.end, newText: text.slice(node.items[0].start, node.items[0].end) }] }] : [],
    });
    return;
  }
  if (spec.kind === 'integer' || spec.kind === 'boolean') {
    checkNumber(text, setting, node, spec, problems);
    return;
  }
  if (spec.spec === 'cpus') {
    checkCpumask(text, node, spec, problems);
    return;
  }
  if (spec.enum !== undefined && !spec.enum.includes(node.value)) {
    // Rule: bad-enum
    const suggestion = closest(node.value.toLowerCase(), spec.enum, 3);
    const quote = node.quote === "'" ? "'" : '"';
    problems.push({
      start: node.start,
      end: node.end,
      severity: severityOf(spec),
      code: 'xl.bad-enum',
      message: `invalid ${spec.name} \`${node.value}\` (expected ${spec.enum.join(', ')})${suggestion !== undefined ? `; did you mean "${suggestion}"?` : ''}: ${consequence(spec, `"${spec.invalidMessage ?? 'a warning'}"`)}`,
      fixes: suggestion === undefined ? [] : [{ title: `Change to "${suggestion}"`, edits: [{ start: node.start, end: node.end, newText: `${quote}${suggestion}${quote}` }], preferred: true }],
    });
  }
}

function checkNumber(text: string, setting: Setting, node: AtomNode, spec: XlConfKeySpec, problems: Problem[]): void {
  if (setting.op === '+=') {
    // Rule: plus-equals-number
    problems.push({
      start: setting.assignment.opToken.start,
      end: setting.assignment.opToken.end,
      severity: severityOf(spec),
      code: 'xl.plus-equals-number',
      message: `xl cannot use \`+=\` with numbers: ${consequence(spec, `"can't use += with numbers"`)}`,
    });
    return;
  }
  const result = parseXlInteger(node.value);
  if (!result.ok) {
    // Rule: not-a-number
    const fixes: Fix[] = [];
    if (node.quote === undefined && /^0[0-9]+$/.test(node.value)) {
      const decimal = node.value.replace(/^0+(?=\d)/, '');
      fixes.push({ title: `Write \`${decimal}\` (decimal)`, edits: [{ start: node.start, end: node.end, newText: decimal }] });
    }
    const reason = result.reason === 'range' ? 'is out of range' : 'is not a valid number';
    problems.push({
      start: node.start,
      end: node.end,
      severity: severityOf(spec),
      code: 'xl.not-a-number',
      message: `\`${spec.name} = ${text.slice(node.start, node.end)}\` ${reason}${spec.kind === 'boolean' ? ' (write 1 or 0)' : ''}: ${consequence(spec, 'a warning')}`,
      fixes,
    });
    return;
  }
  if (spec.range !== undefined && (result.value < BigInt(spec.range[0]) || result.value > BigInt(spec.range[1]))) {
    // Rule: out-of-range
    problems.push({
      start: node.start,
      end: node.end,
      severity: severityOf(spec),
      code: 'xl.out-of-range',
      message: `${spec.name} ${result.value} is outside ${spec.range[0]}..${spec.range[1]}: ${consequence(spec, 'a warning')}`,
    });
    return;
  }
  const octal = octalNumber(node, result.value);
  if (octal !== undefined) problems.push(octal);
}

// Rule: conf-cpumask
/**
 * A CPU mask as parse_cpurange() reads it into a mask that starts empty: terms separated by
 * commas, each `[^][node:|nodes:](N|N-M|all)`, read left to right until the first bad term, after
 * which nothing more is read (xl does not check the result). A mask that ends up empty leaves no
 * CPU for any guest: `xl create` fails ("vcpu hard affinity map is empty"). Whether a mask of
 * node terms is empty depends on the host; a term that adds CPUs or nodes counts as non-empty.
 */
function checkCpumask(text: string, atom: AtomNode, spec: XlConfKeySpec, problems: Problem[]): void {
  const value = atom.value;
  let adds = false;
  for (const term of strtok(value, ',')) {
    let body = term.text;
    const exclude = body.startsWith('^');
    if (exclude) body = body.slice(1);
    const prefix = /^nodes?:/.exec(body);
    if (prefix !== null) body = body.slice(prefix[0].length);
    const reason = body === 'all' ? (exclude ? '`^` cannot be combined with `all`' : undefined) : parseRange(body);
    if (reason !== undefined) {
      const rest = term.end < value.length ? ' and everything after it' : '';
      const printed = body === 'all' ? 'that it cannot combine "^" and "all"' : '"Invalid pcpu range"';
      const effect = adds
        ? `xl prints ${printed} on every command and drops this term${rest}, so the mask keeps only the CPUs before it`
        : `xl prints ${printed} on every command and drops this term${rest}; nothing is left in the mask, so every \`xl create\` fails ("vcpu hard affinity map is empty")`;
      problems.push({
        start: atomOffset(text, atom, term.start),
        end: atomOffset(text, atom, term.end),
        severity: adds ? 'warning' : 'error',
        code: 'xl.conf-cpumask',
        message: `invalid CPU term \`${term.text}\` in ${spec.name} (${reason}): ${effect}`,
      });
      return;
    }
    if (!exclude) adds = true;
  }
  if (!adds) {
    problems.push({
      start: atom.start,
      end: atom.end,
      severity: 'error',
      code: 'xl.conf-cpumask',
      message: `${spec.name} adds no CPU (${value === '' ? 'it is empty' : 'it only removes CPUs from an empty mask'}): every \`xl create\` fails ("vcpu hard affinity map is empty"); write the CPUs guests may use, such as "2-15", or "all"`,
    });
  }
}
