// `# xl-lint: disable-next-line CODE...` silences rules on the next line, and
// `# xl-lint: disable CODE...` anywhere silences them in the whole file. Codes are written without
// the `xl.` prefix; no code means every rule. Syntax errors cannot be silenced: xl refuses the file.

import { TokenKind, type XlDocument } from '../syntax';
import type { Problem } from './types';

interface Suppressions {
  readonly file: ReadonlySet<string>;
  /** 0-based line → codes silenced on it ('*' for all). */
  readonly lines: ReadonlyMap<number, ReadonlySet<string>>;
}

const DIRECTIVE = /^#\s*xl-lint:\s*(disable-next-line|disable)\b([^#]*)/;

export function applySuppressions(document: XlDocument, problems: Problem[]): Problem[] {
  const suppressions = collect(document);
  if (suppressions.file.size === 0 && suppressions.lines.size === 0) return problems;
  return problems.filter((problem) => {
    if (problem.code.startsWith('xl.syntax.')) return true;
    const code = problem.code.replace(/^xl\./, '');
    if (suppressions.file.has('*') || suppressions.file.has(code)) return false;
    const line = document.lineIndex.lineAt(problem.start);
    const codes = suppressions.lines.get(line);
    return codes === undefined || !(codes.has('*') || codes.has(code));
  });
}

function collect(document: XlDocument): Suppressions {
  const file = new Set<string>();
  const lines = new Map<number, Set<string>>();
  const tokens = document.tokens;
  for (let index = 0; index < tokens.length; index++) {
    if (tokens.kind(index) !== TokenKind.Comment) continue;
    const start = tokens.start(index);
    const match = DIRECTIVE.exec(document.text.slice(start, tokens.end(index)));
    if (match === null) continue;
    const codes = match[2].split(/[\s,]+/).filter((code) => code.length > 0).map((code) => code.replace(/^xl\./, ''));
    const target = codes.length === 0 ? ['*'] : codes;
    if (match[1] === 'disable') {
      target.forEach((code) => file.add(code));
    } else {
      const line = document.lineIndex.lineAt(start) + 1;
      const set = lines.get(line) ?? new Set<string>();
      target.forEach((code) => set.add(code));
      lines.set(line, set);
    }
  }
  return { file, lines };
}
