// The lists of a value as they are read: the stack of open lists (no recursion, so no nesting
// depth can overflow the call stack) and the stored value of a finished list.

import type { ListNode, ValueNode, XlValue } from './ast';

/** libxlu's bison stack (10000 entries, two per nesting level) fails at about this depth. */
export const MAX_LIST_DEPTH = 4990;

/**
 * The lists being read, innermost last, kept in parallel arrays rather than an object per list:
 * in a nest thousands deep every open level stays alive until its `]`, and plain array slots cost
 * the collector far less than objects. A list's first element is held on its own and an array is
 * made only for a second one.
 */
export class ListStack {
  private readonly starts: number[] = [];
  private readonly expects: boolean[] = [];
  private readonly firsts: (ValueNode | undefined)[] = [];
  /** Every element, once a list has two or more. */
  private readonly alls: (ValueNode[] | undefined)[] = [];

  get depth(): number {
    return this.starts.length;
  }

  /** Opens a list whose `[` is at `start`. */
  push(start: number): void {
    this.starts.push(start);
    this.expects.push(true);
    this.firsts.push(undefined);
    this.alls.push(undefined);
  }

  /** Whether the innermost list expects an element next (after `[` or `,`). */
  get expectValue(): boolean {
    return this.expects[this.expects.length - 1];
  }

  set expectValue(value: boolean) {
    this.expects[this.expects.length - 1] = value;
  }

  add(node: ValueNode): void {
    const top = this.starts.length - 1;
    const all = this.alls[top];
    const first = this.firsts[top];
    if (all !== undefined) all.push(node);
    else if (first === undefined) this.firsts[top] = node;
    else this.alls[top] = [first, node];
  }

  last(): ValueNode | undefined {
    const top = this.starts.length - 1;
    const all = this.alls[top];
    return all !== undefined ? all[all.length - 1] : this.firsts[top];
  }

  /** Closes the innermost list: `closeEnd` is the offset after its `]`, undefined when missing. */
  finish(closeEnd: number | undefined): ListNode {
    const start = this.starts.pop()!;
    this.expects.pop();
    const first = this.firsts.pop();
    const items = this.alls.pop() ?? (first === undefined ? [] : [first]);
    const end = closeEnd ?? (items.length > 0 ? items[items.length - 1].end : start + 1);
    return { kind: 'list', closed: closeEnd !== undefined, items, start, end };
  }
}

/** The stored value of a node. Iterative, so 5,000 nested lists cannot overflow the stack. */
export function toXlValue(node: ValueNode): XlValue {
  if (node.kind === 'atom') return node.value;
  // Arrays are made at their final size, and the walk keeps its stack in three plain arrays:
  // a deep nest of one-element lists costs one small array per level.
  const root: XlValue[] = new Array<XlValue>(node.items.length);
  const lists: ListNode[] = [node];
  const outs: XlValue[][] = [root];
  const nexts: number[] = [0];
  while (lists.length > 0) {
    const top = lists.length - 1;
    const list = lists[top];
    const index = nexts[top];
    if (index >= list.items.length) {
      lists.pop();
      outs.pop();
      nexts.pop();
      continue;
    }
    nexts[top] = index + 1;
    const item = list.items[index];
    if (item.kind === 'atom') {
      outs[top][index] = item.value;
    } else {
      const out: XlValue[] = new Array<XlValue>(item.items.length);
      outs[top][index] = out;
      lists.push(item);
      outs.push(out);
      nexts.push(0);
    }
  }
  return root;
}
