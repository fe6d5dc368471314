// Test helper: a `$0` marker in a test input stands for the cursor; `$1` (optional) for a second
// offset, such as the end of a selection.

export interface Marked {
  readonly text: string;
  readonly offset: number;
  readonly end: number;
}

export function marked(source: string): Marked {
  const first = source.indexOf('$0');
  if (first < 0) throw new Error(`no $0 cursor marker in ${JSON.stringify(source)}`);
  let text = source.slice(0, first) + source.slice(first + 2);
  const second = text.indexOf('$1');
  let end = first;
  if (second >= 0) {
    text = text.slice(0, second) + text.slice(second + 2);
    end = second;
  }
  return { text, offset: first, end };
}
