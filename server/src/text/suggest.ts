// The one "did you mean" of the server: for unknown keys, for enumeration values, and for the keys
// and values of the spec languages. Pure string code; it imports nothing.
//
// Why this measure: the Damerau (optimal string alignment) distance counts a swap of two
// neighbouring letters as one edit, the commonest typing slip (`brdige`, `bakcend`), where plain
// Levenshtein counts two. Words are compared after forgiving case, `_` against `-` and surrounding
// spaces, since xl's own names mix `on_poweroff` with `sample-rates` and people mix them up in the
// same way: those differences cost nothing. The allowance grows with the word: one edit up to four
// characters, two from five, three from eight. Two edits on a three-letter word would make almost
// any short name a suggestion (`mde` is not `mac`), while `bcken` is still `backend`. Measured on
// some 10,000 generated typos of every key and value the server knows, this finds more of the
// meant names than either earlier rule (Levenshtein within 2 for spec keys, Damerau within a
// quarter of the length for the rest) and proposes fewer wrong ones.

/** Words longer than this get no suggestion: nobody mistypes a 65-character name, and a pasted blob would cost a full table per candidate. */
const MAX_WORD_LENGTH = 64;

/** Most remembered answers per candidate list before that list's memo starts over. */
const MAX_ANSWERS = 2000;

/** The edits allowed between a normalised word and a candidate: 1 up to 4 characters, 2 from 5, 3 from 8. */
export function allowedEdits(word: string): number {
  return Math.min(3, Math.max(1, Math.floor((word.length + 1) / 3)));
}

/** The spelling compared: trimmed, lower case, `_` read as `-`. */
export function normaliseForSuggestion(word: string): string {
  return word.trim().toLowerCase().replace(/_/g, '-');
}

/** Per candidate array: its normalised spellings, and the answers already given (one bad word tends to repeat across a file). */
interface ListMemo {
  readonly normalised: readonly string[];
  readonly answers: Map<string, string | undefined>;
}

const memos = new WeakMap<readonly string[], ListMemo>();

/**
 * Normalised spellings of candidates that come in other iterables than arrays (the catalogue's
 * key map): the known names are few, so each is normalised once. Bounded all the same.
 */
const spellings = new Map<string, string>();

function spellingOf(candidate: string): string {
  let spelling = spellings.get(candidate);
  if (spelling === undefined) {
    if (spellings.size >= 10_000) spellings.clear();
    spelling = normaliseForSuggestion(candidate);
    spellings.set(candidate, spelling);
  }
  return spelling;
}

function memoOf(candidates: readonly string[]): ListMemo {
  let memo = memos.get(candidates);
  if (memo === undefined) {
    memo = { normalised: candidates.map(normaliseForSuggestion), answers: new Map() };
    memos.set(candidates, memo);
  }
  return memo;
}

/**
 * The candidate closest to `word`, if it is within `maxDistance` edits of it (default:
 * `allowedEdits(word)`), compared normalised (see the head of this file). The first candidate wins
 * a tie. Callers ask about words that are not candidates: a candidate that differs from `word` only
 * in case is a fine answer (`HVM` for `hvm`), so none is left out. Answers for an array of candidates
 * are remembered, so pass the same array each time; any other iterable is read afresh.
 */
export function closest(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  if (word.length === 0 || word.length > MAX_WORD_LENGTH) return undefined;
  if (!Array.isArray(candidates)) {
    const list = [...candidates];
    return search(word, list, list.map(spellingOf), maxDistance);
  }
  const memo = memoOf(candidates as readonly string[]);
  const question = maxDistance === undefined ? word : `${maxDistance}\u0000${word}`;
  if (memo.answers.has(question)) return memo.answers.get(question);
  if (memo.answers.size >= MAX_ANSWERS) memo.answers.clear();
  const answer = search(word, candidates as readonly string[], memo.normalised, maxDistance);
  memo.answers.set(question, answer);
  return answer;
}

function search(word: string, candidates: readonly string[], normalised: readonly string[], maxDistance: number | undefined): string | undefined {
  const wanted = normaliseForSuggestion(word);
  const limit = maxDistance ?? allowedEdits(wanted);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (let index = 0; index < candidates.length; index++) {
    const candidate = candidates[index];
    const spelling = normalised[index];
    if (Math.abs(spelling.length - wanted.length) >= bestDistance) continue;
    const distance = editDistance(wanted, spelling, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      if (distance === 0) break;
    }
  }
  return best;
}

/**
 * ` (did you mean "x"?)` for the closest candidate, or nothing. `aliases` maps words (in lower
 * case) that no edit distance would lead to their meaning, such as a man page's older name. A
 * known word written as it is (a key without its `=`, say) gets no suggestion of itself.
 */
export function didYouMean(word: string, candidates: readonly string[], aliases?: Readonly<Record<string, string>>): string {
  const lower = word.toLowerCase();
  const alias = aliases !== undefined && Object.hasOwn(aliases, lower) ? aliases[lower] : undefined;
  const suggestion = alias ?? closest(word, candidates);
  return suggestion === undefined || suggestion === word ? '' : ` (did you mean "${suggestion}"?)`;
}

/**
 * Damerau distance (optimal string alignment: adjacent swaps count as one edit), cut off at
 * `limit`: once every cell of a row reaches it, the answer is `limit`. So a long word against a
 * far candidate costs a few rows, not the whole table. Three rows of the table are kept, reused in
 * turn.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const columns = b.length + 1;
  let beforePrevious = new Int32Array(columns);
  let previous = new Int32Array(columns);
  let current = new Int32Array(columns);
  for (let j = 0; j < columns; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const letter = a.charCodeAt(i - 1);
    const letterBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j < columns; j++) {
      const other = b.charCodeAt(j - 1);
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter === other ? 0 : 1));
      if (j > 1 && letterBefore === other && letter === b.charCodeAt(j - 2)) value = Math.min(value, beforePrevious[j - 2] + 1);
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum >= limit) return limit;
    const spare = beforePrevious;
    beforePrevious = previous;
    previous = current;
    current = spare;
  }
  return previous[columns - 1];
}
