// "Did you mean" suggestions: the closest candidate by edit distance, bounded so that a long
// input costs at most O(n * m) on short candidate strings.

/** The candidate closest to `word`, if it is within `maxDistance` edits (default: 1 per 4 chars, at least 1, at most 3). */
export function closest(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  if (word.length === 0 || word.length > 64) return undefined;
  const limit = maxDistance ?? Math.min(3, Math.max(1, Math.floor(word.length / 4)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const distance = editDistance(word, candidate, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Damerau-Levenshtein distance (adjacent swaps count as one edit), cut off at `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  let previousPrevious: number[] = [];
  let previous = Array.from({ length: columns }, (_, index) => index);
  for (let i = 1; i < rows; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previousPrevious[j - 2] + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previousPrevious = previous;
    previous = current;
  }
  return previous[columns - 1];
}
