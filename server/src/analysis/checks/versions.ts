// Rules about the Xen version the config is checked for (`XenTarget`): what that version's xl does
// with keys and values that came or went after it, from the version facts of the catalogue and of
// the spec keys. Without a target (the latest Xen) none of these rules runs.

import { KEY, KEY_BY_NAME, type KeySpec, type SpecKeyDoc } from '../../catalogue';
import type { VersionFacts } from '../../catalogue/types';
import { describeTarget, lacks, removedBy, type XenTarget } from '../../catalogue/xenVersions';
import type { AtomNode, ValueNode } from '../../syntax';
import { specTargets, type ConfigModel } from '../model';
import type { Problem } from '../types';
import { atomOffset } from './specs';

/**
 * The message of a spec parser of xl_parse.c for a key it does not know. The disk lexer of libxlu
 * has none of its own: what it says depends on where the key stands (`grant_usage` reads as a
 * positional field, then `=` as "bad disk syntax"), so disk problems quote no message.
 */
const REFUSAL: Readonly<Record<string, string>> = {
  p9: 'Unknown string … in 9pfs spec',
};

/**
 * The spec parsers of xl_parse.c that report a key they do not know and go on without it: for
 * vif, parse_nic_config() prints "unrecognized argument" and its caller ignores the failure.
 */
const SKIPS_UNKNOWN: Readonly<Record<string, string>> = {
  vif: 'unrecognized argument',
};

export function checkVersions(model: ConfigModel, target: XenTarget): Problem[] {
  const problems: Problem[] = [];
  for (const setting of model.effective.values()) {
    const spec = KEY_BY_NAME.get(setting.key);
    const node = setting.assignment.value;
    if (spec === undefined) continue;
    const key = setting.assignment.key;
    // Rule: version-key-ignored
    if (lacks(spec.version, target.version)) {
      problems.push({
        start: key.start,
        end: key.end,
        severity: 'warning',
        code: 'xl.version-key-ignored',
        message: `\`${spec.name}\` needs Xen ${spec.version.since}; ${describeTarget(target)}, whose xl ignores it`,
      });
      // Its value does not matter to that xl.
      continue;
    }
    if (node === undefined) continue;
    for (const atom of atomsOf(node)) checkValue(spec, atom, target, problems);
    if (spec.spec !== undefined) checkSpecParts(model, spec, node, target, problems);
  }
  return problems;
}

function atomsOf(node: ValueNode): AtomNode[] {
  if (node.kind === 'atom') return [node];
  return node.items.filter((item): item is AtomNode => item.kind === 'atom');
}

/** The version facts of a value, compared as xl compares the key's values. */
function valueFacts(spec: KeySpec, value: string): VersionFacts | undefined {
  const facts = spec.valueVersions;
  if (facts === undefined) return undefined;
  if (Object.hasOwn(facts, value)) return facts[value];
  if (spec.enumMatch !== 'ignore-case') return undefined;
  const name = Object.keys(facts).find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  return name === undefined ? undefined : facts[name];
}

function checkValue(spec: KeySpec, atom: AtomNode, target: XenTarget, problems: Problem[]): void {
  const facts = valueFacts(spec, atom.value);
  if (facts === undefined) return;
  const quote = atom.quote ?? '"';
  if (lacks(facts, target.version)) {
    // Rule: version-refused
    problems.push({
      start: atom.start,
      end: atom.end,
      severity: 'error',
      code: 'xl.version-refused',
      message: `${spec.name} \`${atom.value}\` needs Xen ${facts.since}; ${describeTarget(target)}, whose xl refuses it and stops \`xl create\``,
    });
    return;
  }
  if (!removedBy(facts, target.version)) return;
  const replacement = facts.replacement;
  const fixes = replacement === undefined ? [] : [{ title: `Change to "${replacement}"`, edits: [{ start: atom.start, end: atom.end, newText: `${quote}${replacement}${quote}` }], preferred: true }];
  if (spec.name === KEY.bootloader) {
    // Rule: version-pygrub-path
    problems.push({
      start: atom.start,
      end: atom.end,
      severity: 'warning',
      code: 'xl.version-pygrub-path',
      message: `\`${atom.value}\` is gone since Xen ${facts.removedIn} (${describeTarget(target)}): pygrub is installed elsewhere and the old path no longer links to it; write \`${replacement ?? ''}\`, which xl finds in its own directory`,
      fixes,
    });
    return;
  }
  // Rule: version-removed
  problems.push({
    start: atom.start,
    end: atom.end,
    severity: 'error',
    code: 'xl.version-removed',
    message: `${spec.name} \`${atom.value}\` was removed in Xen ${facts.removedIn}; ${describeTarget(target)}, so \`xl create\` fails${replacement === undefined ? '' : `: use \`${replacement}\``}`,
    fixes,
  });
}

/** Spec keys (and their values) that the target's xl does not know: its spec parser refuses them. */
function checkSpecParts(model: ConfigModel, spec: KeySpec, node: ValueNode, target: XenTarget, problems: Problem[]): void {
  const targets = specTargets(spec, node);
  if (targets === undefined) return;
  const { language, atoms } = targets;
  const docs = new Map<string, SpecKeyDoc>(language.keys.map((doc) => [doc.name, doc]));
  const refusal = REFUSAL[language.id];
  const text = model.document.text;
  for (const atom of atoms) {
    for (const part of language.parse(atom.value).parts) {
      if (!part.explicitKey) continue;
      const doc = docs.get(part.key);
      if (doc === undefined) continue;
      const valueFacts = doc.valueVersions !== undefined && Object.hasOwn(doc.valueVersions, part.value) ? doc.valueVersions[part.value] : undefined;
      const keyNew = lacks(doc.version, target.version);
      const facts = keyNew ? doc.version : valueFacts;
      if (!lacks(facts, target.version)) continue;
      const what = keyNew ? `\`${part.key}=\`` : `\`${part.key}=${part.value}\``;
      const skipped = keyNew ? SKIPS_UNKNOWN[language.id] : undefined;
      if (skipped !== undefined) {
        // Rule: version-key-ignored
        problems.push({
          start: atomOffset(text, atom, part.start),
          end: atomOffset(text, atom, part.valueStart - 1),
          severity: 'warning',
          code: 'xl.version-key-ignored',
          message: `${what} in a ${language.id} spec needs Xen ${facts.since}; ${describeTarget(target)}, whose xl says "${skipped}", leaves it out and goes on`,
        });
        continue;
      }
      // Rule: version-refused
      problems.push({
        start: atomOffset(text, atom, part.start),
        end: atomOffset(text, atom, keyNew ? part.valueStart - 1 : part.end),
        severity: 'error',
        code: 'xl.version-refused',
        message: `${what} in a ${language.id} spec needs Xen ${facts.since}; ${describeTarget(target)}, whose xl refuses it${refusal === undefined ? '' : ` ("${refusal}")`} and stops \`xl create\``,
      });
    }
  }
}
