// A small deterministic generator of xl configs for property tests: statements with odd spacing,
// both quote styles, escapes, nested and multi-line lists, comments, blank lines, `;`, and a few
// syntax errors. No dependency: a seeded linear congruential generator drives every choice.

/** A Park-Miller generator: the same seed gives the same sequence on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed % 2147483647;
  if (state <= 0) state += 2147483646;
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const KEYS = ['name', 'memory', 'vcpus', 'disk', 'vif', 'extra', 'cpus', 'vnuma', 'boot', 'type', 'kernel', 'x.y_z'];
const WORDS = ['a', 'hvm', 'phy:/dev/vg/lv,xvda,rw', 'mac=00:16:3e:00:00:01', 'with space', "it's", 'say "hi"', 'x'.repeat(45), ''];
const ESCAPES = ['\\n', '\\\\', '\\t', "\\'", '\\"', '\\101'];
const BLANKS = ['', ' ', '  ', '\t'];
const BROKEN = ['Memory = 1', 'kernel = /boot/x', "disk = [ 'a' 'b' ]", 'vcpus = 2 3', 'name = "unterminated', '= 5', 'x = [', 'memory = 1G'];

export function generateConfig(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const blank = () => pick(BLANKS);
  const string = (): string => {
    const quote = random() < 0.5 ? '"' : "'";
    let body = pick(WORDS).replace(quote === '"' ? /"/g : /'/g, '');
    if (random() < 0.2) body += pick(ESCAPES);
    return quote + body + quote;
  };
  const atom = (): string => (random() < 0.3 ? String(Math.floor(random() * 5000)) : random() < 0.05 ? '0x1f' : string());
  const list = (depth: number): string => {
    const count = Math.floor(random() * 4);
    const multiline = random() < 0.4;
    const separator = () => (multiline ? `,${random() < 0.3 ? ' # note' : ''}\n${blank()}${random() < 0.1 ? '\n' : ''}` : `,${blank()}`);
    const items: string[] = [];
    for (let index = 0; index < count; index++) items.push(depth < 2 && random() < 0.2 ? list(depth + 1) : atom());
    const trailing = count > 0 && random() < 0.3 ? ',' : '';
    const open = multiline && random() < 0.3 ? '[ # open\n' : `[${blank()}`;
    return `${open}${items.join(separator())}${trailing}${multiline ? '\n' : blank()}]`;
  };
  const lines: string[] = [];
  const count = 1 + Math.floor(random() * 10);
  for (let index = 0; index < count; index++) {
    const roll = random();
    if (roll < 0.1) lines.push(`${blank()}# comment ${index}${blank()}`);
    else if (roll < 0.15) lines.push(blank());
    else if (roll < 0.22) lines.push(pick(BROKEN));
    else {
      const op = random() < 0.15 ? '+=' : '=';
      const value = random() < 0.4 ? list(0) : atom();
      let line = `${blank()}${pick(KEYS)}${blank()}${op}${blank()}${value}${blank()}`;
      if (random() < 0.1) line += `;${blank()}${pick(KEYS)}=${atom()}`;
      if (random() < 0.1) line += ' # trailing';
      lines.push(line);
    }
  }
  return lines.join('\n') + (random() < 0.9 ? '\n' : '');
}
