// Rules about the shape of values, mirroring xl's typed getters: a list where one value is
// expected (and the reverse), numbers xl cannot read, `+=` on numbers, octal surprises, nested
// lists, and enumerations.

import { KEY, KEY_BY_NAME, type KeySpec } from '../../catalogue';
import type { OnInvalid } from '../../catalogue/types';
import { lacks, type XenTarget } from '../../catalogue/xenVersions';
import { looksOctal, parseXlInteger, quoteText, type AtomNode, type Setting, type ValueNode } from '../../syntax';
import { SPEC_LANGUAGES } from '../../specs';
import { xlLong, type ConfigModel } from '../model';
import { noMemoryConsequence } from './relations';
import { closest } from '../../text/suggest';
import type { Fix, Problem, Severity } from '../types';

export function checkValues(model: ConfigModel): Problem[] {
  const problems: Problem[] = [];
  for (const setting of model.effective.values()) {
    const spec = KEY_BY_NAME.get(setting.key);
    const node = setting.assignment.value;
    if (spec === undefined || node === undefined) continue;
    let found: Problem[] = [];
    checkSetting(model.document.text, setting, node, spec, found, model.target);
    // Rule: no-memory (a `memory` xl cannot read, with no `maxmem` to fall back on)
    if (spec.name === KEY.memory && xlLong(model.effective.get(KEY.maxmem)) === undefined) found = found.map((problem) => memoryLost(problem, spec, model));
    // A key the target's xl does not read cannot make it stop, as in checkSpecs: without a target
    // the oldest version we support (4.17) decides.
    const target = model.target;
    const ignored = target === undefined ? spec.addedAfter !== undefined : lacks(spec.version, target.version);
    const ignoredBy = target === undefined ? `xl ${spec.addedAfter} and older ignore` : `xl ${target.version} ignores`;
    for (const problem of found) {
      problems.push(ignored && problem.severity === 'error' ? { ...problem, severity: 'warning', message: `${problem.message} (newer xl stops here; ${ignoredBy} \`${spec.name}\`)` } : problem);
    }
  }
  return problems;
}

/**
 * Codes of the problems whose value xl ignores, so that it takes the key's default. (`+=` on a
 * number is not among them: xl keeps the earlier value, and without one there is no `memory`.)
 */
const DEFAULTED = new Set(['xl.not-a-number', 'xl.expected-single']);

/**
 * A `memory` that xl ignores, without `maxmem`: its default is no size at all, on which
 * `xl create` fails (see noMemoryConsequence), so the warning becomes an error that says so.
 */
function memoryLost(problem: Problem, spec: KeySpec, model: ConfigModel): Problem {
  const ignored = getterConsequence(spec);
  if (!DEFAULTED.has(problem.code) || problem.severity !== 'warning' || !problem.message.endsWith(ignored)) return problem;
  return { ...problem, severity: 'error', message: `${problem.message.slice(0, -ignored.length)}xl ignores it, and with no \`maxmem\` either ${noMemoryConsequence(model)}` };
}

/** The severity of a bad value: an error when xl stops, a warning when it only ignores the value. */
export function severityFor(spec: KeySpec, onInvalid: OnInvalid = spec.onInvalid): Severity {
  return onInvalid === 'fatal' || onInvalid === 'fatal-silent' ? 'error' : 'warning';
}

/** What xl does with the bad value, for the end of a message. */
function consequence(spec: KeySpec, onInvalid: OnInvalid = spec.onInvalid): string {
  switch (onInvalid) {
    case 'fatal':
      return '`xl create` fails';
    case 'fatal-silent':
      return '`xl create` fails without saying why';
    case 'silently-ignored':
      return 'xl ignores it without a word';
    default:
      return spec.default !== undefined ? `xl ignores it and uses the default (${spec.default})` : 'xl ignores it';
  }
}

/**
 * When xl's typed getter fails (wrong shape, not a number), xl prints a warning and treats the key
 * as absent. That only stops `xl create` for `name` (which is required) and for the grant-table
 * limits (which exit without a message).
 */
function getterFailureSeverity(spec: KeySpec): Severity {
  return spec.name === KEY.name || spec.onInvalid === 'fatal-silent' ? 'error' : 'warning';
}

function getterConsequence(spec: KeySpec): string {
  if (spec.name === KEY.name) return '`xl create` fails ("Domain name must be specified")';
  if (spec.onInvalid === 'fatal-silent') return '`xl create` fails without saying why';
  return spec.default !== undefined ? `xl ignores it and uses the default (${spec.default})` : 'xl ignores it, as if it were not set';
}

function checkSetting(text: string, setting: Setting, node: ValueNode, spec: KeySpec, problems: Problem[], target: XenTarget | undefined): void {
  const wantsList = spec.kind === 'string-list' || spec.kind === 'list-of-string-lists';
  const wantsAtom = spec.kind === 'string' || spec.kind === 'integer' || spec.kind === 'boolean' || spec.kind === 'integer-or-string' || spec.kind === 'boolean-or-string';
  if (wantsList && node.kind === 'atom' && spec.singleValue === 'split') {
    problems.push(splitString(node, spec));
    return;
  }
  if (wantsList && node.kind === 'atom' && spec.singleValue === 'fatal') {
    // Rule: expected-list
    // xl_parse.c: a failed list getter is fatal for these keys ("Unable to parse smbios options",
    // "unable to parse mca_caps", "Unable to parse device_model_args").
    problems.push({
      start: node.start,
      end: node.end,
      severity: 'error',
      code: 'xl.expected-list',
      message: `\`${spec.name}\` must be a list: on a single string xl stops \`xl create\` ("Unable to parse ${spec.name}"). Write \`${spec.name} = [ ${sourceText(text, node)} ]\``,
      fixes: [{ title: 'Wrap the value in a list', edits: [{ start: node.start, end: node.end, newText: `[ ${sourceText(text, node)} ]` }], preferred: true }],
    });
    return;
  }
  if (wantsList && node.kind === 'atom') {
    // Rule: expected-list
    const what = spec.name === 'disk' ? 'so this guest gets NO disks' : spec.name === 'vif' ? 'so this guest gets NO network interfaces' : `so \`${spec.name}\` is not set at all`;
    problems.push({
      start: node.start,
      end: node.end,
      // xl's list getter only warns and drops the key; creation goes on without it.
      severity: 'warning',
      code: 'xl.expected-list',
      message: `\`${spec.name}\` must be a list: xl ignores a single string here, ${what}. Write \`${spec.name} = [ ${sourceText(text, node)} ]\``,
      fixes: [{ title: 'Wrap the value in a list', edits: [{ start: node.start, end: node.end, newText: `[ ${sourceText(text, node)} ]` }], preferred: true }],
    });
    return;
  }
  if (wantsAtom && node.kind === 'list') {
    // Rule: expected-single
    problems.push({
      start: node.start,
      end: node.end,
      severity: getterFailureSeverity(spec),
      code: 'xl.expected-single',
      message: `\`${spec.name}\` takes a single value, not a list: ${getterConsequence(spec)}`,
      fixes: node.items.length === 1 && node.items[0].kind === 'atom' ? [{ title: 'Use the only element', edits: [{ start: node.start, end: node.end, newText: sourceText(text, node.items[0]) }] }] : [],
    });
    return;
  }
  if (node.kind === 'list') {
    checkListElements(node, spec, problems, target);
    return;
  }
  if (spec.kind === 'integer' || spec.kind === 'boolean') {
    checkNumber(text, setting, node, spec, problems);
    return;
  }
  const asInteger = spec.kind === 'integer-or-string' ? parseXlInteger(node.value) : undefined;
  if (asInteger?.ok) {
    if (spec.integerForm === 'deprecated') problems.push(integerForm(node, spec, asInteger.value));
    checkRange(node, spec, asInteger, problems);
    return;
  }
  if (spec.kind === 'boolean-or-string' && parseXlInteger(node.value).ok) return;
  if (spec.spec !== undefined && SPEC_LANGUAGES.has(spec.spec)) return; // the spec checks cover it
  if (spec.enum !== undefined) checkEnum(node, spec, problems, target);
}

function checkListElements(node: Extract<ValueNode, { kind: 'list' }>, spec: KeySpec, problems: Problem[], target: XenTarget | undefined): void {
  if (spec.kind === 'list-of-string-lists') {
    // Rule: expected-list
    // xl_parse.c (parse_vnuma_config, parse_vsnd_card_config): each element must itself be a list;
    // libxlu warns "value is not a list" and xl stops.
    const atom = node.items.find((item) => item.kind === 'atom');
    if (atom !== undefined) {
      problems.push({
        start: atom.start,
        end: atom.end,
        severity: 'error',
        code: 'xl.expected-list',
        message: `each element of \`${spec.name}\` is a list of strings, such as [ "key=value", ... ]: on a plain string xl stops \`xl create\` ("value is not a list")`,
      });
    }
    return;
  }
  const firstNested = node.items.findIndex((item) => item.kind === 'list');
  if (firstNested >= 0) {
    // Rule: nested-list
    const nested = node.items[firstNested];
    const dropped = node.items.length - firstNested;
    problems.push({
      start: nested.start,
      end: nested.end,
      severity: spec.nestedList === undefined ? 'warning' : 'error',
      code: 'xl.nested-list',
      message:
        spec.nestedList === 'crash'
          ? `\`${spec.name}\` is a list of strings: a nested list here makes xl crash`
          : spec.nestedList === 'fatal'
            ? `\`${spec.name}\` is a list of strings: xl cannot read this nested list as an element and stops \`xl create\` ("Unable to get element")`
            : `\`${spec.name}\` is a list of strings: xl stops reading at this nested list and drops it and the ${dropped - 1} element(s) after it`,
    });
  }
  if (spec.enum !== undefined && !(spec.spec !== undefined && SPEC_LANGUAGES.has(spec.spec))) {
    for (const item of node.items) if (item.kind === 'atom') checkEnum(item, spec, problems, target);
  }
}

const UNIT_FACTORS: Readonly<Record<string, number>> = { k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 };

function checkNumber(text: string, setting: Setting, node: AtomNode, spec: KeySpec, problems: Problem[]): void {
  if (setting.op === '+=') {
    // Rule: plus-equals-number
    problems.push({
      start: setting.assignment.opToken.start,
      end: setting.assignment.opToken.end,
      severity: getterFailureSeverity(spec),
      code: 'xl.plus-equals-number',
      message: `xl cannot use \`+=\` with numbers ("can't use += with numbers"): ${getterConsequence(spec)}`,
    });
    return;
  }
  const result = parseXlInteger(node.value);
  if (result.ok) {
    checkRange(node, spec, result, problems);
    const octal = octalNumber(node, result.value);
    if (octal !== undefined) problems.push({ ...octal, fixes: [...(octal.fixes ?? []), { title: `Write \`${result.value}\` (what xl reads now)`, edits: [{ start: node.start, end: node.end, newText: String(result.value) }] }] });
    return;
  }
  // Rule: not-a-number
  const fixes: Fix[] = [];
  let hint = '';
  const unitMatch = /^\s*(\d+)\s*([kKmMgGtT])(?:i?[bB])?\s*$/.exec(node.value);
  if (node.quote === undefined && looksOctal(node.value) && /^0[0-9]+$/.test(node.value)) {
    hint = ' (a leading 0 makes it octal, where 8 and 9 are not digits)';
    const decimal = node.value.replace(/^0+(?=\d)/, '');
    fixes.push({ title: `Write \`${decimal}\` (decimal)`, edits: [{ start: node.start, end: node.end, newText: decimal }] });
  } else if (unitMatch !== null && (spec.unit === 'MiB' || spec.unit === 'KiB')) {
    const factor = UNIT_FACTORS[unitMatch[2].toLowerCase()] * (spec.unit === 'KiB' ? 1024 : 1);
    const converted = Number(unitMatch[1]) * factor;
    if (Number.isInteger(converted)) {
      fixes.push({ title: `Write \`${converted}\` (${spec.unit})`, edits: [{ start: node.start, end: node.end, newText: String(converted) }], preferred: true });
    }
    hint = `; xl takes no unit suffix, \`${spec.name}\` is in ${spec.unit}`;
  } else if (spec.unit !== undefined) {
    hint = ` (\`${spec.name}\` is a plain number, in ${spec.unit})`;
  }
  const reason = result.reason === 'range' ? 'is out of range' : 'is not a valid number';
  problems.push({
    start: node.start,
    end: node.end,
    severity: getterFailureSeverity(spec),
    code: 'xl.not-a-number',
    message: `\`${spec.name} = ${sourceText(text, node)}\` ${reason}${hint}: ${getterConsequence(spec)}`,
    fixes,
  });
}

// Rule: out-of-range
function checkRange(node: AtomNode, spec: KeySpec, result: ReturnType<typeof parseXlInteger>, problems: Problem[]): void {
  if (spec.range === undefined || !result.ok) return;
  const [min, max] = spec.range;
  if (result.value >= BigInt(min) && result.value <= BigInt(max)) return;
  const onInvalid = spec.outOfRange ?? spec.onInvalid;
  // Only the keys that xl checks itself have its "invalid value" message; the others fail later.
  const quote = onInvalid === 'fatal-silent' || spec.outOfRange !== undefined ? '' : ` ("invalid value ${result.value} for ${spec.name}")`;
  problems.push({
    start: node.start,
    end: node.end,
    severity: severityFor(spec, onInvalid),
    code: 'xl.out-of-range',
    message: `${spec.name} ${result.value} is outside ${min}..${max}${spec.unit !== undefined ? ` ${spec.unit}` : ''}: ${consequence(spec, onInvalid)}${quote}`,
  });
}

/**
 * Rule: deprecated-form. A single string for `bootloader_args`: xl still takes it, warns that
 * the form is deprecated and splits it at blanks (xl_parse.c, parse_config_data).
 */
function splitString(node: AtomNode, spec: KeySpec): Problem {
  const words = node.value.split(/[ \t\n]+/).filter((word) => word !== '');
  const list = `[ ${words.map(quoteText).join(', ')} ]`;
  return {
    start: node.start,
    end: node.end,
    severity: 'warning',
    code: 'xl.deprecated-form',
    message: `\`${spec.name}\` as one string is deprecated: xl warns and splits it at blanks; write one argument per element${words.length === 0 ? '' : `: \`${list}\``}`,
    fixes: words.length === 0 ? [] : [{ title: 'Write the arguments as a list', edits: [{ start: node.start, end: node.end, newText: list }], preferred: true }],
  };
}

/**
 * Rule: deprecated-form. A number for a key that xl now wants by name (`timer_mode = 1`): xl warns,
 * and reads the number (xl_parse.c, parse_config_data).
 */
function integerForm(node: AtomNode, spec: KeySpec, value: bigint): Problem {
  const name = value >= 0n && value < BigInt(spec.enum?.length ?? 0) ? spec.enum?.[Number(value)] : undefined;
  return {
    start: node.start,
    end: node.end,
    severity: 'warning',
    code: 'xl.deprecated-form',
    message: `\`${spec.name}\` as a number is deprecated: xl warns and still reads it${name === undefined ? '' : `; write \`"${name}"\``}`,
    fixes: name === undefined ? [] : [{ title: `Write "${name}"`, edits: [{ start: node.start, end: node.end, newText: quoteFor(node, name) }], preferred: true }],
  };
}

function checkEnum(node: AtomNode, spec: KeySpec, problems: Problem[], target: XenTarget | undefined): void {
  const allowed = spec.enum ?? [];
  const value = node.value;
  const match = spec.enumMatch ?? 'exact';
  if (match === 'open') return;
  const ok =
    match === 'prefix'
      ? allowed.some((candidate) => candidate.startsWith(value))
      : match === 'ignore-case'
        ? allowed.some((candidate) => candidate.toLowerCase() === value.toLowerCase())
        : allowed.includes(value);
  if (ok) {
    if (match === 'prefix' && !allowed.includes(value)) {
      // Rule: abbreviated-value
      const full = allowed.find((candidate) => candidate.startsWith(value))!;
      problems.push({
        start: node.start,
        end: node.end,
        severity: 'hint',
        code: 'xl.abbreviated-value',
        message: `xl reads \`${quoteText(value)}\` as \`${full}\` (it matches prefixes); write the full name`,
        fixes: [{ title: `Write "${full}"`, edits: [{ start: node.start, end: node.end, newText: quoteFor(node, full) }] }],
      });
    }
    return;
  }
  const legacy = spec.legacyValues?.[value];
  // For a target version, the version rules say whether its xl still takes a legacy value.
  if (legacy !== undefined && target !== undefined && spec.valueVersions?.[value] !== undefined) return;
  if (legacy !== undefined) {
    problems.push({ start: node.start, end: node.end, severity: 'warning', code: 'xl.bad-enum', message: `${spec.name} "${value}": ${legacy}; use ${allowed.join(' or ')}` });
    return;
  }
  // Rule: bad-enum
  const suggestion = closest(value.toLowerCase(), allowed, 3);
  const fixes: Fix[] = suggestion === undefined ? [] : [{ title: `Change to "${suggestion}"`, edits: [{ start: node.start, end: node.end, newText: quoteFor(node, suggestion) }], preferred: true }];
  const list = allowed.length <= 8 ? allowed.join(', ') : `${allowed.slice(0, 8).join(', ')}, …`;
  problems.push({
    start: node.start,
    end: node.end,
    severity: severityFor(spec),
    code: 'xl.bad-enum',
    message: `invalid ${spec.name} \`${value}\` (expected ${list})${suggestion !== undefined ? `; did you mean "${suggestion}"?` : ''}: ${consequence(spec)}`,
    fixes,
  });
}

function quoteFor(node: AtomNode, text: string): string {
  return node.quote === "'" ? `'${text}'` : `"${text}"`;
}

function sourceText(text: string, node: ValueNode): string {
  return text.slice(node.start, node.end);
}

/**
 * Rule: octal-number. An unquoted integer with a leading 0 and octal digits, which xl reads in
 * base 8 (`010` is 8); `value` is what xl read. Shared by guest configs and xl.conf.
 */
export function octalNumber(node: AtomNode, value: bigint): Problem | undefined {
  if (node.quote !== undefined || !looksOctal(node.value) || !/^0[0-7]+$/.test(node.value)) return undefined;
  const decimal = node.value.replace(/^0+(?=\d)/, '');
  return {
    start: node.start,
    end: node.end,
    severity: 'warning',
    code: 'xl.octal-number',
    message: `\`${node.value}\` starts with 0, so xl reads it as octal: it means ${value}, not ${decimal}`,
    fixes: [{ title: `Write \`${decimal}\` (decimal)`, edits: [{ start: node.start, end: node.end, newText: decimal }] }],
  };
}
