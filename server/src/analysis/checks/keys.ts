// Rules about keys: unknown keys (with did-you-mean), keys that do nothing for this guest type,
// deprecated keys, dead duplicates, and a missing `name`.

import { KEY, KEY_BY_NAME, KEY_NAMES, type KeySpec } from '../../catalogue';
import type { Assignment, XlDocument } from '../../syntax';
import type { ConfigModel } from '../model';
import { closest } from '../../text/suggest';
import type { Fix, Problem } from '../types';

const GUEST_NAMES = { pv: 'PV', pvh: 'PVH', hvm: 'HVM' } as const;

/**
 * Rule: duplicate-key. `previous` is made dead by `assignment` (a plain `=` of the same key):
 * libxlu keeps the last value. Shared by guest configs and xl.conf.
 */
export function duplicateKey(document: XlDocument, previous: Assignment, assignment: Assignment): Problem {
  const line = document.lineIndex.lineAt(assignment.start) + 1;
  return {
    start: previous.start,
    end: previous.end,
    severity: 'warning',
    code: 'xl.duplicate-key',
    message: `\`${previous.keyText}\` is set again on line ${line}: xl uses only the last value, so this one has no effect`,
    unnecessary: true,
    fixes: [{ title: `Remove this dead \`${previous.keyText}\` setting`, edits: [removeStatement(document.text, previous)] }],
  };
}

export function checkKeys(model: ConfigModel): Problem[] {
  const problems: Problem[] = [];
  const { document } = model;
  const lastAssignment = new Map<string, Assignment>();
  for (const assignment of document.assignments) {
    // A key that a syntax error runs into (`d\ufffdsk`, `vncDisplay`) is already explained there.
    if (assignment.hasError || overlapsSyntaxError(document, assignment.key.start, assignment.key.end)) continue;
    const spec = KEY_BY_NAME.get(assignment.keyText);
    if (spec === undefined) {
      problems.push(unknownKey(assignment));
      continue;
    }
    const previous = lastAssignment.get(assignment.keyText);
    if (previous !== undefined && assignment.op === '=') problems.push(duplicateKey(document, previous, assignment));
    lastAssignment.set(assignment.keyText, assignment);
    // Rule: deprecated-key
    if (spec.deprecated) problems.push(deprecatedKey(assignment, spec, model));
    // Rule: wrong-guest-type
    if (model.guestTypeKnown && !spec.guestTypes.includes(model.guestType)) problems.push(wrongGuestType(model, assignment, spec));
  }
  // Rule: missing-name
  if (!model.effective.has(KEY.name) && document.settings.length > 0 && !document.rejected) {
    problems.push({
      start: 0,
      end: Math.max(0, document.lineIndex.lineEnd(0)),
      severity: 'error',
      code: 'xl.missing-name',
      message: 'this config has no `name`: `xl create` refuses it ("Domain name must be specified")',
      fixes: [{ title: 'Add `name = "..."`', edits: [{ start: 0, end: 0, newText: 'name = "guest"\n' }] }],
    });
  }
  return problems;
}

/**
 * Suggestions per unknown key, shared across calls: a generated file can repeat one typo
 * thousands of times, and each lookup compares with every catalogued key. Bounded in size.
 */
const suggestionCache = new Map<string, string | undefined>();

function suggestKey(word: string): string | undefined {
  if (suggestionCache.has(word)) return suggestionCache.get(word);
  if (suggestionCache.size > 5000) suggestionCache.clear();
  const suggestion = closest(word, KEY_NAMES);
  suggestionCache.set(word, suggestion);
  return suggestion;
}

// Rule: unknown-key
function unknownKey(assignment: Assignment): Problem {
  return unknownKeyProblem(assignment, 'key', suggestKey(assignment.keyText));
}

/**
 * Rule: unknown-key. A key xl does not read (`what`: `key`, or `xl.conf key`), with the closest
 * known one as a preferred fix. Shared by guest configs and xl.conf.
 */
export function unknownKeyProblem(assignment: Assignment, what: string, suggestion: string | undefined): Problem {
  const fixes: Fix[] = [];
  let message = `unknown ${what} \`${assignment.keyText}\`: xl ignores it silently`;
  if (suggestion !== undefined) {
    message += `; did you mean \`${suggestion}\`?`;
    fixes.push({ title: `Change to \`${suggestion}\``, edits: [{ start: assignment.key.start, end: assignment.key.end, newText: suggestion }], preferred: true });
  }
  return { start: assignment.key.start, end: assignment.key.end, severity: 'warning', code: 'xl.unknown-key', message, fixes };
}

function deprecatedKey(assignment: Assignment, spec: KeySpec, model: ConfigModel): Problem {
  const replacement = spec.replacement;
  const fixes: Fix[] = [];
  if (spec.name === KEY.builder && assignment.value?.kind === 'atom') {
    const value = assignment.value.value;
    const type = 'hvm'.startsWith(value) ? 'hvm' : 'generic'.startsWith(value) ? 'pv' : undefined;
    if (type !== undefined) {
      fixes.push({
        title: `Write \`type = "${type}"\``,
        edits: [{ start: assignment.start, end: assignment.end, newText: `${KEY.type} = "${type}"` }],
        preferred: true,
      });
    }
  } else if (replacement !== undefined && KEY_BY_NAME.has(replacement)) {
    fixes.push({ title: `Rename to \`${replacement}\``, edits: [{ start: assignment.key.start, end: assignment.key.end, newText: replacement }] });
  }
  const instead = replacement !== undefined ? `; use ${KEY_BY_NAME.has(replacement) ? `\`${replacement}\`` : replacement} instead` : '';
  return {
    start: assignment.key.start,
    end: assignment.key.end,
    severity: 'information',
    code: 'xl.deprecated-key',
    message: `\`${assignment.keyText}\` is deprecated${instead}${stubdomainNote(assignment, model)}`,
    deprecated: true,
    fixes,
  };
}

/**
 * xl_parse.c (parse_config_data): for a `device_model` that names stubdom-dm, xl adds a word about
 * stub domains to its warning: how to ask for one on an HVM guest, and that there is none otherwise.
 */
function stubdomainNote(assignment: Assignment, model: ConfigModel): string {
  if (assignment.keyText !== KEY.deviceModel || assignment.value?.kind !== 'atom' || !assignment.value.value.includes('stubdom-dm')) return '';
  return model.guestType === 'hvm'
    ? '; for a device model in a stub domain, set `device_model_stubdomain_override = 1`'
    : `; xl also says that it ignores stub domains for a ${GUEST_NAMES[model.guestType]} guest`;
}

function wrongGuestType(model: ConfigModel, assignment: Assignment, spec: KeySpec): Problem {
  const applies = spec.guestTypes.map((type) => GUEST_NAMES[type]).join(', ');
  const declared = model.guestTypeSetting === undefined ? ' (no `type` is set, so xl builds a PV guest)' : '';
  if (spec.otherGuestTypes === 'fatal') {
    return {
      start: assignment.key.start,
      end: assignment.key.end,
      severity: 'error',
      code: 'xl.wrong-guest-type',
      message: `\`${assignment.keyText}\` is not supported for ${GUEST_NAMES[model.guestType]} guests${declared}: \`xl create\` fails; it applies to ${applies} guests`,
    };
  }
  return {
    start: assignment.key.start,
    end: assignment.key.end,
    severity: 'warning',
    code: 'xl.wrong-guest-type',
    message: `\`${assignment.keyText}\` has no effect on a ${GUEST_NAMES[model.guestType]} guest${declared}; it applies to ${applies} guests`,
    unnecessary: true,
  };
}

/** True when a syntax error touches `[start, end]` (errors are sorted by start: binary search). */
export function overlapsSyntaxError(document: ConfigModel['document'], start: number, end: number): boolean {
  const errors = document.errors;
  let low = 0;
  let high = errors.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (errors[middle].start <= end) low = middle + 1;
    else high = middle - 1;
  }
  // errors[0..high] start at or before `end`; the ones that overlap end at or after `start`.
  for (let index = high; index >= 0 && index >= high - 8; index--) if (errors[index].end >= start) return true;
  return false;
}

/** An edit that removes a whole statement line when it is alone on its line, else just the statement. */
export function removeStatement(text: string, assignment: Assignment): { start: number; end: number; newText: string } {
  let start = assignment.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let end = assignment.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  const aloneOnLine = (start === 0 || text[start - 1] === '\n') && (end === text.length || text[end] === '\n');
  if (aloneOnLine && end < text.length) end++;
  return aloneOnLine ? { start, end, newText: '' } : { start: assignment.start, end: assignment.end, newText: '' };
}
