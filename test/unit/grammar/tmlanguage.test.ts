// Tests for syntaxes/xl.tmLanguage.json and language-configuration.json.
//
// vscode-textmate / vscode-oniguruma are not dependencies of this project, so this file carries a
// small TextMate engine of its own (MiniTextMate below). It implements the subset of TextMate the
// xl grammar uses: top-level and nested `patterns`, `include` (#name and $self), `match` rules
// with `captures`, and `begin`/`end` rules (name, contentName, beginCaptures, endCaptures, nested
// patterns, state carried across lines). Scanning works like vscode-textmate: at each position
// every candidate regex is searched from that position; the earliest match wins, ties go to the
// `end` pattern first and then to pattern order. Regexes are Oniguruma syntax, converted to JS
// (the grammar deliberately avoids Oniguruma-only constructs; the conversion handles the few that
// are common and the tests reject \G, which this engine does not model). Lines are tokenized
// without their newline; `^`/`$` therefore mean start/end of line, as in vscode-textmate.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// ---------------------------------------------------------------------------------------------
// Grammar types and loading

interface Capture {
  name?: string;
  patterns?: unknown;
}
interface Rule {
  name?: string;
  contentName?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Record<string, Capture>;
  beginCaptures?: Record<string, Capture>;
  endCaptures?: Record<string, Capture>;
  patterns?: Rule[];
  include?: string;
  applyEndPatternLast?: boolean | number;
  comment?: string;
}
interface Grammar extends Rule {
  scopeName: string;
  repository: Record<string, Rule>;
}

const root = process.cwd();
const grammar = JSON.parse(readFileSync(join(root, 'syntaxes/xl.tmLanguage.json'), 'utf8')) as Grammar;
const languageConfiguration = JSON.parse(readFileSync(join(root, 'language-configuration.json'), 'utf8')) as {
  comments: { lineComment: string };
  brackets: [string, string][];
  autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
  surroundingPairs: [string, string][];
  folding?: { markers?: unknown; offSide?: boolean };
  indentationRules?: { increaseIndentPattern: string; decreaseIndentPattern: string };
  wordPattern: string;
};

/** Oniguruma → JS RegExp source. Only constructs with a faithful (or, for a compile check, close) JS equivalent. */
function onigToJs(source: string): string {
  return source
    .replace(/\\h/g, '[0-9a-fA-F]')
    .replace(/\\H/g, '[^0-9a-fA-F]')
    .replace(/\\A/g, '^')
    .replace(/\\[zZ]/g, '$')
    .replace(/\(\?>/g, '(?:') // atomic group: same matches for our purposes
    .replace(/([*+?}])\+/g, '$1'); // possessive quantifier
}

function compile(source: string): RegExp {
  // 'd' gives capture indices, 'g' lets the search start at lastIndex.
  return new RegExp(onigToJs(source), 'dg');
}

/** Every rule in the grammar, with a path for messages. */
function allRules(): { path: string; rule: Rule }[] {
  const out: { path: string; rule: Rule }[] = [];
  const walk = (rule: Rule, path: string) => {
    out.push({ path, rule });
    rule.patterns?.forEach((r, i) => walk(r, `${path}.patterns[${i}]`));
  };
  walk(grammar, '$self');
  for (const [name, rule] of Object.entries(grammar.repository)) walk(rule, `#${name}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// MiniTextMate

interface Token {
  text: string;
  start: number;
  scopes: string[];
}

interface Frame {
  rule: Rule; // a begin/end rule, or the grammar itself at the bottom
  scopes: string[]; // scopes of the content (name + contentName)
  end?: RegExp;
}

const regexCache = new Map<string, RegExp>();
function re(source: string): RegExp {
  let r = regexCache.get(source);
  if (!r) {
    r = compile(source);
    regexCache.set(source, r);
  }
  return r;
}

function resolve(patterns: Rule[] | undefined, seen = new Set<Rule>()): Rule[] {
  const out: Rule[] = [];
  for (const p of patterns ?? []) {
    if (p.include !== undefined) {
      let target: Rule | undefined;
      if (p.include === '$self' || p.include === '$base') target = grammar;
      else if (p.include.startsWith('#')) target = grammar.repository[p.include.slice(1)];
      if (!target) throw new Error(`unresolved include ${p.include}`);
      if (seen.has(target)) continue;
      seen.add(target);
      // An include of a rule that only groups patterns expands to those patterns.
      if (target.match === undefined && target.begin === undefined) out.push(...resolve(target.patterns, seen));
      else out.push(target);
      seen.delete(target);
    } else if (p.match === undefined && p.begin === undefined) {
      out.push(...resolve(p.patterns, seen));
    } else {
      out.push(p);
    }
  }
  return out;
}

function scopesWith(base: string[], name?: string): string[] {
  return name ? [...base, ...name.split(/\s+/)] : base;
}

class MiniTextMate {
  private stack: Frame[] = [{ rule: grammar, scopes: [grammar.scopeName] }];

  /** Tokenizes the lines of a document in order, keeping begin/end state across lines. */
  static tokenize(text: string): Token[][] {
    const engine = new MiniTextMate();
    return text.split('\n').map((line) => engine.line(line));
  }

  line(line: string): Token[] {
    const charScopes: string[][] = new Array(line.length);
    // Token boundaries: like vscode-textmate, every match (and capture) starts a new token.
    const breaks = new Set<number>();
    const paint = (from: number, to: number, scopes: string[]) => {
      for (let i = from; i < to; i++) charScopes[i] = scopes;
      breaks.add(from).add(to);
    };
    const paintCaptures = (m: RegExpExecArray, base: string[], captures?: Record<string, Capture>) => {
      const indices = m.indices!;
      // Capture 0 first, then groups in order: outer groups have lower numbers, so inner ones
      // are painted on top of them.
      for (let k = 0; k < indices.length; k++) {
        const span = indices[k];
        const name = captures?.[String(k)]?.name;
        if (!span || !name) continue;
        for (let i = span[0]; i < span[1]; i++) charScopes[i] = scopesWith(charScopes[i] ?? base, name);
        breaks.add(span[0]).add(span[1]);
      }
    };

    // Like vscode-oniguruma's scanner cache: a search from an earlier position whose result lies
    // at or after the current position (or found nothing) gives the same answer now.
    const cache = new Map<RegExp, { from: number; m: RegExpExecArray | null }>();
    const search = (regex: RegExp, from: number): RegExpExecArray | null => {
      const hit = cache.get(regex);
      if (hit && hit.from <= from && (hit.m === null || hit.m.index >= from)) return hit.m;
      regex.lastIndex = from;
      const m = regex.exec(line);
      cache.set(regex, { from, m });
      return m;
    };

    let pos = 0;
    let lastPush = -1;
    for (;;) {
      const frame = this.stack[this.stack.length - 1];
      const candidates: { rule: Rule | null; regex: RegExp }[] = [];
      const endFirst = frame.end && !frame.rule.applyEndPatternLast;
      if (frame.end && endFirst) candidates.push({ rule: null, regex: frame.end });
      for (const r of resolve(frame.rule.patterns)) candidates.push({ rule: r, regex: re((r.match ?? r.begin)!) });
      if (frame.end && !endFirst) candidates.push({ rule: null, regex: frame.end });

      let best: { rule: Rule | null; m: RegExpExecArray } | undefined;
      for (const c of candidates) {
        const m = search(c.regex, pos);
        if (m && (!best || m.index < best.m.index)) best = { rule: c.rule, m };
      }
      if (!best) {
        paint(pos, line.length, frame.scopes);
        break;
      }
      const { rule, m } = best;
      const matchEnd = m.index + m[0].length;
      paint(pos, m.index, frame.scopes);

      if (rule === null) {
        // end of a begin/end rule: painted with the rule's name, not its contentName
        const outer = scopesWith(this.stack[this.stack.length - 2].scopes, frame.rule.name);
        paint(m.index, matchEnd, outer);
        paintCaptures(m, outer, frame.rule.endCaptures ?? frame.rule.captures);
        this.stack.pop();
      } else if (rule.match !== undefined) {
        const scopes = scopesWith(frame.scopes, rule.name);
        paint(m.index, matchEnd, scopes);
        paintCaptures(m, scopes, rule.captures);
        if (m[0].length === 0) {
          // an empty match that changes nothing would loop forever (vscode-textmate stops too)
          paint(matchEnd, line.length, frame.scopes);
          break;
        }
      } else {
        if (m[0].length === 0 && lastPush === pos) throw new Error('begin rule matched empty twice at the same place');
        lastPush = pos;
        const outer = scopesWith(frame.scopes, rule.name);
        paint(m.index, matchEnd, outer);
        paintCaptures(m, outer, rule.beginCaptures ?? rule.captures);
        this.stack.push({ rule, scopes: scopesWith(outer, rule.contentName), end: re(rule.end!) });
      }
      pos = matchEnd;
      if (pos > line.length) break;
    }

    // characters between two boundaries form one token
    const tokens: Token[] = [];
    for (let i = 0; i < line.length; i++) {
      const last = tokens[tokens.length - 1];
      if (last && !breaks.has(i)) last.text += line[i];
      else tokens.push({ text: line[i], start: i, scopes: charScopes[i] });
    }
    return tokens;
  }
}

// ---------------------------------------------------------------------------------------------
// Assertion helpers

function tokenizeLine(line: string): Token[] {
  return MiniTextMate.tokenize(line)[0];
}

/** Human-readable dump for failure messages. */
function dump(tokens: Token[]): string {
  return tokens.map((t) => `${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`).join('\n');
}

/** The token whose text is exactly `text` (the `nth` such token) must carry a scope starting with `scope`. */
function expectToken(tokens: Token[], text: string, scope: string, nth = 0): void {
  const found = tokens.filter((t) => t.text === text);
  assert.ok(found[nth], `no token ${JSON.stringify(text)} (#${nth}) in:\n${dump(tokens)}`);
  assert.ok(
    found[nth].scopes.some((s) => s === scope || s.startsWith(scope + '.')),
    `token ${JSON.stringify(text)} has scopes [${found[nth].scopes.join(', ')}], expected ${scope}\n${dump(tokens)}`,
  );
}

function hasScope(token: Token, prefix: string): boolean {
  return token.scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));
}

function invalidTokens(tokens: Token[]): Token[] {
  return tokens.filter((t) => hasScope(t, 'invalid'));
}

// ---------------------------------------------------------------------------------------------
// Tests

const WALKTHROUGH = `builder = "hvm"
name = "c6-x8664.hvm"
memory = 4096
vcpus = 2
serial='pty'
vif = [ 'mac=00:16:3E:29:00:00,bridge=xenbr0' ]
disk = [ 'phy:/dev/vg_c6xendom0/c68-x8664-hvm,xvda,rw', 'file:/opt/isos/CentOS-6.8-x86_64-minimal.iso,xvdb:cdrom,r' ]
boot = "dc"
vnc = 1
vnclisten  = "192.168.0.9"
vncdisplay = 0
`;

describe('xl.tmLanguage.json structure', () => {
  test('has the expected identity', () => {
    assert.equal(grammar.scopeName, 'source.xl');
    // The top level tries comments first and the catch-all `illegal` last; every include resolves.
    const includes = (grammar.patterns ?? []).map((pattern: { include?: string }) => pattern.include);
    assert.equal(includes[0], '#comment');
    assert.equal(includes.at(-1), '#illegal');
    for (const include of includes) assert.ok(include !== undefined && include.slice(1) in grammar.repository, `${include} is in the repository`);
    for (const rule of ['key', 'operator', 'string-double', 'string-single', 'number']) assert.ok(includes.includes(`#${rule}`), rule);
  });

  test('every match/begin/end regex compiles as a JS RegExp', () => {
    for (const { path, rule } of allRules()) {
      for (const key of ['match', 'begin', 'end'] as const) {
        const source = rule[key];
        if (source === undefined) continue;
        assert.equal(typeof source, 'string', `${path}.${key}`);
        assert.doesNotThrow(() => compile(source), `${path}.${key}: ${source}`);
        // \G depends on where the previous match ended; MiniTextMate does not model it.
        assert.ok(!/\\G/.test(source), `${path}.${key} uses \\G`);
      }
      if (rule.begin !== undefined) assert.ok(rule.end !== undefined, `${path} has begin without end`);
    }
  });

  test('every include resolves and every scope name ends in .xl', () => {
    for (const { path, rule } of allRules()) {
      if (rule.include !== undefined) {
        const ok = rule.include === '$self' || (rule.include.startsWith('#') && rule.include.slice(1) in grammar.repository);
        assert.ok(ok, `${path}: include ${rule.include}`);
      }
      // the grammar's own `name` is its display name, not a scope
      const names = rule === (grammar as Rule) ? [] : [rule.name, rule.contentName];
      for (const caps of [rule.captures, rule.beginCaptures, rule.endCaptures]) {
        for (const c of Object.values(caps ?? {})) {
          names.push(c.name);
          assert.equal(c.patterns, undefined, `${path}: capture patterns are not supported by the test engine`);
        }
      }
      for (const n of names) if (n !== undefined) for (const s of n.split(/\s+/)) assert.match(s, /\.xl$/, `${path}: ${s}`);
    }
  });

  test('regexes stay fast on long pathological lines', () => {
    const lines = [
      'a = "' + 'k=v,'.repeat(3000),
      "a = '" + '\\'.repeat(5001),
      'a = [ ' + '"x", '.repeat(2000) + ']',
      'A'.repeat(10000),
      'disk = [ "' + 'tap:'.repeat(2000) + '" ]',
      'a = "' + '00:'.repeat(4000) + '"',
    ];
    const started = Date.now();
    for (const l of lines) MiniTextMate.tokenize(l);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});

describe('xl.tmLanguage.json tokenization', () => {
  test('walkthrough config: keys, operators, values, no invalid tokens', () => {
    const lines = MiniTextMate.tokenize(WALKTHROUGH);
    for (const tokens of lines) assert.deepEqual(invalidTokens(tokens), [], dump(tokens));

    const [builder, name, memory, , serial, vif, disk, , , vnclisten] = lines;
    expectToken(builder, 'builder', 'variable.other.key.xl');
    expectToken(builder, '=', 'keyword.operator.assignment.xl');
    expectToken(builder, '"', 'punctuation.definition.string.begin.xl');
    expectToken(builder, 'hvm', 'string.quoted.double.xl');
    expectToken(name, 'c6-x8664.hvm', 'string.quoted.double.xl');
    expectToken(memory, 'memory', 'variable.other.key.xl');
    expectToken(memory, '4096', 'constant.numeric.xl');
    expectToken(serial, 'serial', 'variable.other.key.xl');
    expectToken(serial, 'pty', 'string.quoted.single.xl');

    expectToken(vif, '[', 'punctuation.section.list.begin.xl');
    expectToken(vif, ']', 'punctuation.section.list.end.xl');
    expectToken(vif, 'mac', 'support.type.property-name.xl');
    expectToken(vif, 'mac', 'string.quoted.single.xl');
    expectToken(vif, '=', 'punctuation.separator.key-value.xl', 1);
    expectToken(vif, '00:16:3E:29:00:00', 'constant.other.mac-address.xl');
    expectToken(vif, ',', 'punctuation.separator.item.xl');
    expectToken(vif, 'bridge', 'support.type.property-name.xl');
    expectToken(vif, 'xenbr0', 'string.quoted.single.xl');

    expectToken(disk, 'phy', 'storage.type.disk-prefix.xl');
    expectToken(disk, 'file', 'storage.type.disk-prefix.xl');
    expectToken(disk, ':', 'punctuation.separator.disk-prefix.xl');
    expectToken(disk, '/dev/vg_c6xendom0/c68-x8664-hvm', 'string.quoted.single.xl');
    expectToken(disk, ',', 'punctuation.separator.comma.xl', 2); // the list comma between the two specs
    const cdrom = disk.find((t) => t.text.includes('xvdb:cdrom'));
    assert.ok(cdrom && !hasScope(cdrom, 'storage'), 'xvdb:cdrom is not a disk prefix');

    expectToken(vnclisten, 'vnclisten', 'variable.other.key.xl');
    expectToken(vnclisten, '192.168.0.9', 'string.quoted.double.xl');
  });

  test('Memory = 512: upper case makes the whole key illegal', () => {
    const tokens = tokenizeLine('Memory = 512');
    expectToken(tokens, 'Memory', 'invalid.illegal.character.xl');
    expectToken(tokens, '512', 'constant.numeric.xl');
  });

  test('a = "A\\x41B": hex escapes are illegal, valid escapes are constants', () => {
    let tokens = tokenizeLine('a = "A\\x41B"');
    expectToken(tokens, 'a', 'variable.other.key.xl');
    expectToken(tokens, '\\x41', 'invalid.illegal.escape.hex.xl');
    expectToken(tokens, 'B', 'string.quoted.double.xl');
    expectToken(tokens, '"', 'punctuation.definition.string.end.xl', 1);

    tokens = tokenizeLine(`a = 'it\\'s \\"\\\\\\a\\b\\f\\n\\r\\t\\v'`);
    for (const e of ["\\'", '\\"', '\\\\', '\\a', '\\b', '\\f', '\\n', '\\r', '\\t', '\\v']) {
      expectToken(tokens, e, 'constant.character.escape.xl');
    }
    assert.deepEqual(invalidTokens(tokens), [], dump(tokens));

    tokens = tokenizeLine('a = "A\\101B\\0\\q"');
    expectToken(tokens, '\\101', 'invalid.illegal.escape.octal.xl');
    expectToken(tokens, '\\0', 'invalid.illegal.escape.octal.xl');
    expectToken(tokens, '\\q', 'invalid.illegal.escape.xl');
  });

  test('numbers follow xl: 0x1f is one number, 0x1F is 0x1 + illegal F', () => {
    let tokens = tokenizeLine('a = 0x1f');
    expectToken(tokens, '0x1f', 'constant.numeric.xl');
    assert.deepEqual(invalidTokens(tokens), []);

    tokens = tokenizeLine('a = 0x1F');
    expectToken(tokens, '0x1', 'constant.numeric.xl');
    expectToken(tokens, 'F', 'invalid.illegal.character.xl');

    tokens = tokenizeLine('a = 12abc');
    expectToken(tokens, '12abc', 'constant.numeric.xl');

    tokens = tokenizeLine('a = 1.5');
    expectToken(tokens, '1', 'constant.numeric.xl');
    expectToken(tokens, '.5', 'invalid.illegal.character.xl');

    tokens = tokenizeLine('a = -1');
    expectToken(tokens, '-1', 'invalid.illegal.character.xl');
  });

  test('comments, including after values and inside strings', () => {
    let tokens = tokenizeLine('# a comment = "x"');
    expectToken(tokens, '#', 'punctuation.definition.comment.xl');
    expectToken(tokens, ' a comment = "x"', 'comment.line.number-sign.xl');

    tokens = tokenizeLine('memory = 512 # MiB');
    expectToken(tokens, 'memory', 'variable.other.key.xl');
    expectToken(tokens, ' MiB', 'comment.line.number-sign.xl');

    tokens = tokenizeLine('a = "x # y"');
    assert.equal(tokens.filter((t) => hasScope(t, 'comment')).length, 0, dump(tokens));
    expectToken(tokens, 'x # y', 'string.quoted.double.xl');
  });

  test('multi-line lists with comments and a trailing comma', () => {
    const lines = MiniTextMate.tokenize('a = [ # start\n"x", # first\n\n"y"\n, "z",\n]\nb = 1\n');
    for (const tokens of lines) assert.deepEqual(invalidTokens(tokens), [], dump(tokens));
    expectToken(lines[0], '[', 'punctuation.section.list.begin.xl');
    expectToken(lines[0], ' start', 'comment.line.number-sign.xl');
    expectToken(lines[1], 'x', 'string.quoted.double.xl');
    expectToken(lines[1], ',', 'punctuation.separator.comma.xl');
    expectToken(lines[1], ' first', 'comment.line.number-sign.xl');
    expectToken(lines[4], ',', 'punctuation.separator.comma.xl', 1);
    expectToken(lines[5], ']', 'punctuation.section.list.end.xl');
    expectToken(lines[6], 'b', 'variable.other.key.xl');
  });

  test('extra += " quiet": compound assignment and key=value inside strings', () => {
    let tokens = tokenizeLine('extra += " quiet"');
    expectToken(tokens, 'extra', 'variable.other.key.xl');
    expectToken(tokens, '+=', 'keyword.operator.assignment.compound.xl');
    expectToken(tokens, '+=', 'keyword.operator.assignment');
    expectToken(tokens, ' quiet', 'string.quoted.double.xl');

    tokens = tokenizeLine('extra = "console=hvc0 root=/dev/xvda1"');
    expectToken(tokens, 'console', 'support.type.property-name.xl');
    expectToken(tokens, 'root', 'support.type.property-name.xl');
  });

  test('statements separated by ;, dotted keys, keys only in key position', () => {
    let tokens = tokenizeLine('a = 1;  b = "x";; c += [ ]');
    expectToken(tokens, 'a', 'variable.other.key.xl');
    expectToken(tokens, 'b', 'variable.other.key.xl');
    expectToken(tokens, 'c', 'variable.other.key.xl');
    expectToken(tokens, ';', 'punctuation.terminator.statement.xl');
    assert.deepEqual(invalidTokens(tokens), [], dump(tokens));

    tokens = tokenizeLine('  vif.default.script = "s"');
    expectToken(tokens, 'vif.default.script', 'variable.other.key.xl');

    tokens = tokenizeLine('a = true');
    expectToken(tokens, 'true', 'invalid.illegal.unexpected-identifier.xl');

    tokens = tokenizeLine('a = 1 b = 2');
    expectToken(tokens, 'b', 'invalid.illegal.unexpected-identifier.xl');
  });

  test('characters xl cannot lex are illegal outside strings', () => {
    const cases: [string, string][] = [
      ['a-b = 1', '-b'],
      ['_a = 1', '_a'],
      ['a + = "x"', '+'],
      ['a: 1', ':'],
      ['a = (1)', '(1)'],
      ['a = {1}', '{1}'],
      ['a = 1\r', '\r'],
      ['café = 1', 'é'],
      ['a = \\', '\\'],
    ];
    for (const [line, bad] of cases) expectToken(tokenizeLine(line), bad, 'invalid.illegal.character.xl');
    // '+=' itself is fine, and so is everything inside a string
    assert.deepEqual(invalidTokens(tokenizeLine('a += "(A-Z): +.é"')), []);
  });

  test('strings are single-line: an unterminated string is illegal and does not leak', () => {
    const lines = MiniTextMate.tokenize('a = "abc\ndef" \nb = 1');
    expectToken(lines[0], '"abc', 'invalid.illegal.unterminated-string.xl');
    expectToken(lines[2], 'b', 'variable.other.key.xl');
    expectToken(lines[2], '1', 'constant.numeric.xl');
    // 'it''s' is two adjacent strings for xl; the highlighting shows two strings
    const tokens = tokenizeLine("a = 'it''s'");
    expectToken(tokens, 'it', 'string.quoted.single.xl');
    expectToken(tokens, 's', 'string.quoted.single.xl');
  });

  test('sub-spec details: chained disk prefixes, PCI BDF, no prefix in the middle of a word', () => {
    let tokens = tokenizeLine("disk = [ 'tap:qcow2:/srv/img.qcow2,xvda,w' ]");
    expectToken(tokens, 'tap', 'storage.type.disk-prefix.xl');
    expectToken(tokens, 'qcow2', 'storage.type.disk-prefix.xl');

    tokens = tokenizeLine("pci = [ '0000:01:00.0,permissive=1' ]");
    expectToken(tokens, '0000:01:00.0', 'constant.other.pci-bdf.xl');
    expectToken(tokens, 'permissive', 'support.type.property-name.xl');

    tokens = tokenizeLine("disk = [ '/srv/myphy:x,,xvda' ]");
    assert.equal(tokens.filter((t) => hasScope(t, 'storage')).length, 0, dump(tokens));
  });
});

describe('language-configuration.json', () => {
  test('comments, brackets, pairs', () => {
    assert.equal(languageConfiguration.comments.lineComment, '#');
    assert.deepEqual(languageConfiguration.brackets, [['[', ']']]);
    const opens = languageConfiguration.autoClosingPairs.map((p) => p.open).sort();
    assert.deepEqual(opens, ['"', "'", '[']);
    for (const p of languageConfiguration.autoClosingPairs) assert.deepEqual(p.notIn, ['string', 'comment']);
    assert.deepEqual(languageConfiguration.surroundingPairs.map((p) => p[0]).sort(), ['"', "'", '[']);
    assert.equal(languageConfiguration.folding?.markers, undefined, 'xl has no region markers');
  });

  test('wordPattern keeps dotted keys and numbers whole', () => {
    const word = new RegExp(languageConfiguration.wordPattern, 'g');
    assert.deepEqual('vif.default.script = 0x1f'.match(word), ['vif.default.script', '0x1f']);
    assert.deepEqual("disk = ['phy:/dev/vg/lv,xvda,w']".match(word), ['disk', 'phy', 'dev', 'vg', 'lv', 'xvda', 'w']);
    assert.deepEqual('on_poweroff = "destroy"'.match(word), ['on_poweroff', 'destroy']);
  });

  test('indentation rules', () => {
    const inc = new RegExp(languageConfiguration.indentationRules!.increaseIndentPattern);
    const dec = new RegExp(languageConfiguration.indentationRules!.decreaseIndentPattern);
    assert.ok(inc.test('disk = ['));
    assert.ok(inc.test('disk = [ # disks'));
    assert.ok(!inc.test('disk = [ "a" ]'));
    assert.ok(!inc.test('# see [1'));
    assert.ok(dec.test('  ]'));
  });
});
