// Features of xl.conf documents (`/etc/xen/xl.conf`): completion and hover from the xl.conf
// catalogue instead of the guest one. Diagnostics are in `checks/xlConf.ts`. Cursor contexts come
// from `locate.ts`, shared with the guest features, so a key and a value are found alike.

import { KEY_BY_NAME } from '../catalogue';
import { XL_CONF_KEY_BY_NAME, XL_CONF_KEY_NAMES, XL_CONF_KEYS, type XlConfKeySpec, type XlConfValueKind } from '../catalogue/xlConf';
import { CPUS_KEYS } from '../specs/cpus';
import { SPEC_LANGUAGES } from '../specs';
import { TokenKind, type XlDocument } from '../syntax';
import { closest } from '../text/suggest';
import type { CompletionEntry } from './completion';
import type { HoverResult } from './hover';
import { assignmentAt, atomAt, cursorContext, decodedOffset, partRange, tokenAt, type StringContext, type ValueContext } from './locate';

const KIND_TEXT: Readonly<Record<XlConfValueKind, string>> = { string: 'string', integer: 'integer', boolean: 'boolean (0 or 1)' };

/** What xl does on every run with a value it cannot use, in a key's docs. */
function invalidText(spec: XlConfKeySpec): string {
  switch (spec.onInvalid) {
    case 'fatal-silent':
      return 'every `xl` command exits at once with status 1, printing nothing';
    case 'partial':
      return 'xl reports it on every command and keeps the CPUs before the bad part; an empty mask makes every `xl create` fail';
    default:
      return spec.invalidMessage !== undefined ? `xl prints "${spec.invalidMessage}" on every command and keeps the default` : 'xl prints a warning on every command and keeps the default';
  }
}

function buildDetail(spec: XlConfKeySpec): string {
  const parts = [spec.spec === 'cpus' ? 'CPU list' : KIND_TEXT[spec.kind]];
  if (spec.default !== undefined) parts.push(`default: ${spec.default}`);
  if (spec.addedIn !== undefined) parts.push(`Xen ${spec.addedIn}+`);
  if (spec.deprecated) parts.push('deprecated');
  return parts.join(' · ');
}

function buildMarkdown(spec: XlConfKeySpec): string {
  const lines = [`**${spec.name}** (xl.conf)`, '', spec.doc, ''];
  const facts = [`*Value:* ${spec.spec === 'cpus' ? 'string, a CPU list as in a guest\'s `cpus`' : KIND_TEXT[spec.kind]}`];
  if (spec.enum !== undefined) facts.push(`*One of:* ${spec.enum.map((value) => `\`${value}\``).join(', ')}`);
  if (spec.range !== undefined) facts.push(`*Range:* ${spec.range[0]} to ${spec.range[1]}`);
  if (spec.default !== undefined) facts.push(`*Default:* ${spec.default}`);
  if (spec.addedIn !== undefined) facts.push(`*Since:* Xen ${spec.addedIn} (older xl ignores it)`);
  facts.push(`*Bad value:* ${invalidText(spec)}`);
  lines.push(facts.join('  \n'));
  if (spec.deprecated && spec.replacement !== undefined) lines.push('', `**Deprecated**: use \`${spec.replacement}\` instead; it wins when both are set.`);
  lines.push('', '```xl', spec.example, '```');
  return lines.join('\n');
}

const details = new Map(XL_CONF_KEYS.map((spec) => [spec, buildDetail(spec)]));
const markdowns = new Map(XL_CONF_KEYS.map((spec) => [spec, buildMarkdown(spec)]));

/** The full description of an xl.conf key, for hover and completion. */
export function xlConfKeyMarkdown(spec: XlConfKeySpec): string {
  return markdowns.get(spec) ?? buildMarkdown(spec);
}

// ---- completion -------------------------------------------------------------------------------

export function completeXlConf(document: XlDocument, offset: number): CompletionEntry[] {
  const context = cursorContext(document, offset);
  if (context.kind === 'key') {
    const used = new Set<string>();
    for (const assignment of document.assignments) if (assignment.key.start !== context.start) used.add(assignment.keyText);
    return XL_CONF_KEYS.filter((spec) => !used.has(spec.name)).map((spec, index) => ({
      label: spec.name,
      kind: 'key' as const,
      detail: details.get(spec),
      documentation: xlConfKeyMarkdown(spec),
      insertText: context.hasOperator ? spec.name : `${spec.name} = `,
      snippet: context.hasOperator ? undefined : snippetOf(spec),
      start: context.start,
      end: context.end,
      // xl's reading order, deprecated names last.
      sortText: `${spec.deprecated ? 1 : 0}${String(index).padStart(3, '0')}`,
      deprecated: spec.deprecated,
    }));
  }
  if (context.kind !== 'value' || context.depth > 0) return [];
  const spec = XL_CONF_KEY_BY_NAME.get(context.key);
  if (spec === undefined) return [];
  return context.string !== undefined ? stringValues(spec, context, context.string) : bareValues(spec, context);
}

/** The snippet that writes a key with a value of the right shape. */
function snippetOf(spec: XlConfKeySpec): string {
  const head = `${spec.name} = `;
  if (spec.enum !== undefined) return `${head}"\${1|${spec.enum.join(',')}|}"`;
  if (spec.kind === 'boolean') return spec.default === '1' ? `${head}\${1|0,1|}` : `${head}\${1|1,0|}`;
  if (spec.kind === 'integer') return `${head}\${1:${/=\s*(\S+)/.exec(spec.example)?.[1] ?? '0'}}`;
  return `${head}"$1"`;
}

/** After `key =`, outside quotes: 1/0 for booleans, the quoted values of an enumeration. */
function bareValues(spec: XlConfKeySpec, context: ValueContext): CompletionEntry[] {
  const start = context.word?.start ?? context.offset;
  const end = context.word?.end ?? context.offset;
  const space = context.afterOperator ? ' ' : '';
  const entries: CompletionEntry[] = [];
  const add = (label: string, insert: string, documentation: string | undefined, index: number, detail?: string) =>
    entries.push({ label, kind: 'value', insertText: space + insert, start, end, documentation, detail, sortText: String(index).padStart(3, '0'), filterText: context.word !== undefined ? label : undefined });
  if (spec.kind === 'boolean') {
    add('1', '1', 'Enabled.', 0, 'on');
    add('0', '0', 'Disabled.', 1, 'off');
  }
  spec.enum?.forEach((value, index) => add(value, `"${value}"`, spec.valueDocs?.[value], 10 + index));
  if (spec.spec === 'cpus') add('all', '"all"', CPUS_KEYS.find((key) => key.name === 'all')?.doc, 10);
  return entries;
}

/** Inside the quotes: the values of an enumeration (or `all` for a CPU mask), replacing the string's text. */
function stringValues(spec: XlConfKeySpec, context: ValueContext, string: StringContext): CompletionEntry[] {
  const values = spec.enum ?? (spec.spec === 'cpus' ? ['all'] : undefined);
  if (values === undefined) return [];
  const end = string.closed ? string.open + 1 + string.raw.length : context.offset;
  const close = string.closed ? '' : string.quote;
  return values.map((value, index) => ({
    label: value,
    kind: 'value' as const,
    insertText: value + close,
    start: string.open + 1,
    end,
    documentation: spec.valueDocs?.[value] ?? (spec.spec === 'cpus' ? CPUS_KEYS.find((key) => key.name === value)?.doc : undefined),
    sortText: String(index).padStart(3, '0'),
  }));
}

// ---- hover ------------------------------------------------------------------------------------

export function hoverXlConf(document: XlDocument, offset: number): HoverResult | undefined {
  const token = tokenAt(document, offset);
  if (token === undefined) return undefined;
  if (token.kind === TokenKind.Ident) {
    if (assignmentAt(document, offset)?.key.start !== token.start && cursorContext(document, token.end).kind !== 'key') return undefined;
    return { start: token.start, end: token.end, markdown: keyHover(document.text.slice(token.start, token.end)) };
  }
  if (token.kind !== TokenKind.String && token.kind !== TokenKind.Number) return undefined;
  const assignment = assignmentAt(document, offset);
  const atom = atomAt(assignment?.value, offset);
  const spec = assignment === undefined ? undefined : XL_CONF_KEY_BY_NAME.get(assignment.keyText);
  if (atom === undefined || spec === undefined) return undefined;
  const value = atom.value;
  if (spec.spec === 'cpus') {
    // The term of a CPU mask under the cursor, with the doc of its form.
    const cpus = SPEC_LANGUAGES.get('cpus');
    const cursor = decodedOffset(document.text, atom, offset);
    const part = cpus?.parse(value).parts.find((candidate) => cursor >= candidate.start && cursor < candidate.end);
    if (part === undefined) return undefined;
    const key = CPUS_KEYS.find((candidate) => candidate.name === part.key);
    const title = part.key === '^' ? '**^** (remove)' : `**${part.value}** (${part.key === 'nodes' ? 'NUMA nodes' : part.key === 'all' ? 'all' : 'CPUs'})`;
    return { ...partRange(document.text, atom, part.start, part.end), markdown: `${title} in ${spec.name}\n\n${key?.doc ?? ''}`.trim() };
  }
  const lines = [`**${spec.name}** = \`${value}\``, ''];
  if (spec.enum !== undefined && spec.enum.includes(value)) {
    lines.push(spec.valueDocs?.[value] ?? `One of ${spec.enum.map((item) => `\`${item}\``).join(', ')}.`);
  } else if (spec.kind === 'boolean' && /^[0-9]+$/.test(value)) {
    lines.push(Number(value) === 0 ? 'Off (0).' : `On (${value}: any number but 0 is true).`);
  } else {
    return undefined;
  }
  return { start: atom.start, end: atom.end, markdown: lines.join('\n') };
}

function keyHover(name: string): string {
  const spec = XL_CONF_KEY_BY_NAME.get(name);
  if (spec !== undefined) return xlConfKeyMarkdown(spec);
  if (KEY_BY_NAME.has(name)) return `**${name}**\n\nA key of guest configs: xl does not read it from xl.conf, so it has no effect here.`;
  const suggestion = closest(name, XL_CONF_KEY_NAMES);
  return `**${name}**\n\nxl does not read this key from xl.conf: it is ignored.${suggestion !== undefined ? ` Did you mean \`${suggestion}\`?` : ''}`;
}
