// Every feature on a large config and on absurdly nested lists: linear time, no stack overflow.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refactorings } from '../../../server/src/analysis/codeActions';
import { complete } from '../../../server/src/analysis/completion';
import { foldingRanges } from '../../../server/src/analysis/folding';
import { applyEdits, format } from '../../../server/src/analysis/format';
import { hover } from '../../../server/src/analysis/hover';
import { inlayHints } from '../../../server/src/analysis/inlayHints';
import { linkCandidates } from '../../../server/src/analysis/links';
import { semanticTokens } from '../../../server/src/analysis/semanticTokens';
import { documentSymbols } from '../../../server/src/analysis/symbols';
import { parseConfig } from '../../../server/src/syntax';

function everything(text: string): void {
  const document = parseConfig(text);
  const middle = Math.floor(text.length / 2);
  complete(document, middle);
  complete(document, text.length);
  hover(document, middle);
  refactorings(document, 0, text.length, { explicit: true, random: () => 0.5 });
  foldingRanges(document);
  documentSymbols(document);
  inlayHints(document);
  linkCandidates(document);
  semanticTokens(document);
  const once = applyEdits(text, format(document));
  assert.equal(applyEdits(once, format(parseConfig(once))), once);
}

test('an 8,000-statement config is handled in a few seconds', () => {
  const lines: string[] = [];
  for (let index = 0; index < 2000; index++) {
    lines.push(`memory=${index}`, `# note ${index}`, `disk = [ 'phy:/dev/vg/lv${index},xvda,w',`, `  'file:/x${index}.iso,xvdb:cdrom,r' ]`);
  }
  const started = Date.now();
  everything(`${lines.join('\n')}\n`);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
});

test('lists nested 4,000 deep do not overflow the stack', () => {
  everything(`vnuma = ${'['.repeat(4000)}'a'${']'.repeat(4000)}\nmemory = 1\n`);
  everything(`x = ${'[ '.repeat(4000)}\n`);
});
