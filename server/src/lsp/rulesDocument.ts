// Finds the rule reference (docs/rules.md) that the extension ships beside its bundles, so that
// diagnostics can link their codes to it. Read once at start-up; a missing or unreadable file
// means diagnostics carry no links, which the server log says once.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rulesReferenceFrom, type RulesReference } from '../analysis/rules';

/** The reference at `<extension>/docs/rules.md`, where `bundleDir` is `<extension>/dist`. */
export function loadRulesReference(bundleDir: string, log: (message: string) => void): RulesReference | undefined {
  const file = join(bundleDir, '..', 'docs', 'rules.md');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // Handled: the links are a help, not a need; the server works the same without them.
    log(`No rule reference at ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}): diagnostic codes carry no links.`);
    return undefined;
  }
  const reference = rulesReferenceFrom(pathToFileURL(file).href, text);
  if (reference.lines.size === 0) log(`${file} names no rules: diagnostic codes carry no links.`);
  return reference;
}
