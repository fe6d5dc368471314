// Finding where a key is set in xl.cfg text, for drift diagnostics: the last assignment wins,
// comments and strings never count, lists give their elements (across lines, with `+=`).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { locateDrift, locateKey, scanAssignments } from '../../../../client/src/drift/locate';

const slice = (text: string, range: { start: number; end: number } | undefined): string | undefined => (range === undefined ? undefined : text.slice(range.start, range.end));

describe('drift: locating keys', () => {
  test('the last assignment is the one xl uses', () => {
    const text = 'name = "web"\nmemory = 1024\nvcpus=2\nmemory=2048 # more\n';
    assert.equal(slice(text, locateKey(text, 'memory')?.range), 'memory=2048');
    assert.equal(slice(text, locateKey(text, 'vcpus')?.range), 'vcpus=2');
    assert.equal(locateKey(text, 'maxmem'), undefined);
  });

  test('comments and strings do not count as keys', () => {
    const text = [
      '# memory = 1',
      'name = "memory = 2" # memory = 3',
      "extra = 'a # not a comment; memory = 4'",
      '   memory   =   512   ;  vcpus = 1',
      '#memory = 5',
    ].join('\n');
    assert.equal(slice(text, locateKey(text, 'memory')?.range), 'memory   =   512');
    assert.equal(slice(text, locateKey(text, 'extra')?.range), "extra = 'a # not a comment; memory = 4'");
    assert.equal(slice(text, locateKey(text, 'vcpus')?.range), 'vcpus = 1');
    assert.deepEqual(scanAssignments(text).map((assignment) => assignment.key), ['name', 'extra', 'memory', 'vcpus']);
  });

  test('escaped quotes stay inside the string', () => {
    const text = 'cmdline = "a \\" memory = 9 "\nmemory = 64\n';
    assert.deepEqual(scanAssignments(text).map((assignment) => assignment.key), ['cmdline', 'memory']);
    assert.equal(slice(text, locateKey(text, 'memory')?.range), 'memory = 64');
  });

  test('list elements across lines, with comments between them', () => {
    const text = [
      'disk = [',
      "  'phy:/dev/vg/web,xvda,w',   # root",
      '  # "not,an,element"',
      '  "file:/srv/data.img,xvdb,w"',
      ']',
      'vif = [ "bridge=xenbr0" ]',
    ].join('\n');
    const disk = locateKey(text, 'disk');
    assert.deepEqual(disk?.elements?.map((element) => slice(text, element)), ["'phy:/dev/vg/web,xvda,w'", '"file:/srv/data.img,xvdb,w"']);
    assert.equal(slice(text, disk?.range)?.endsWith(']'), true);
    assert.equal(slice(text, locateDrift(text, { key: 'disk', element: 1 })), '"file:/srv/data.img,xvdb,w"');
    assert.equal(slice(text, locateDrift(text, { key: 'vif', element: 0 })), '"bridge=xenbr0"');
  });

  test('+= appends to the list set before it; a later = starts over', () => {
    const text = 'disk = ["a"]\ndisk += ["b", "c"]\n';
    assert.deepEqual(locateKey(text, 'disk')?.elements?.map((element) => slice(text, element)), ['"a"', '"b"', '"c"']);
    assert.equal(slice(text, locateDrift(text, { key: 'disk', element: 2 })), '"c"');
    const again = `${text}disk = ["d"]\n`;
    assert.deepEqual(locateKey(again, 'disk')?.elements?.map((element) => slice(again, element)), ['"d"']);
  });

  test('fallbacks: maxmem without its own line points at memory; an unset key at the name line', () => {
    const text = 'name = "web"\nmemory = 1024\n';
    assert.equal(slice(text, locateDrift(text, { key: 'maxmem' })), 'memory = 1024');
    assert.equal(slice(text, locateDrift(text, { key: 'boot' })), 'name = "web"');
    assert.equal(slice(text, locateDrift(text, { key: 'maxvcpus' })), 'name = "web"');
    // A device the file does not have: the list itself.
    assert.equal(slice(text + 'disk = ["x"]\n', locateDrift(text + 'disk = ["x"]\n', { key: 'disk', element: 3 })), 'disk = ["x"]');
    assert.equal(slice('', locateDrift('', { key: 'memory' })), '');
  });

  test('odd and broken text never stalls and never throws', () => {
    const samples = [
      'disk = [ "unclosed',
      'disk = [\f"a"\v, b ]',
      'memory = ',
      '= 5\nmemory = 3',
      'memory 5\nmemory = 6',
      'memory=1;memory=2;;memory=3',
      '"stray string" memory = 4\nmemory = 7',
      'disk = [ [ "x" ] ]',
      'disk = ["a",,"b",]',
      '\u00a0memory = 8',
    ];
    for (const text of samples) assert.doesNotThrow(() => scanAssignments(text), text);
    assert.equal(slice('memory=1;memory=2;;memory=3', locateKey('memory=1;memory=2;;memory=3', 'memory')?.range), 'memory=3');
    assert.equal(slice('memory 5\nmemory = 6', locateKey('memory 5\nmemory = 6', 'memory')?.range), 'memory = 6');
    assert.deepEqual(locateKey('disk = ["a",,"b",]', 'disk')?.elements?.length, 2);
    assert.equal(locateKey('disk = [ "unclosed', 'disk')?.range.end, 'disk = [ "unclosed'.length);
  });

  test('CRLF line ends', () => {
    const text = 'name = "w"\r\nmemory = 256\r\nvcpus = 2\r\n';
    assert.equal(slice(text, locateKey(text, 'memory')?.range), 'memory = 256');
    assert.equal(slice(text, locateKey(text, 'vcpus')?.range), 'vcpus = 2');
  });
});

describe('drift: offsets to editor positions', () => {
  test('lines and characters, CRLF and the ends', async () => {
    const { positionAt } = await import('../../../../client/src/drift/locate');
    const text = 'a = 1\r\nmemory = 2\nvcpus = 3';
    assert.deepEqual(positionAt(text, 0), { line: 0, character: 0 });
    assert.deepEqual(positionAt(text, text.indexOf('memory')), { line: 1, character: 0 });
    assert.deepEqual(positionAt(text, text.indexOf('2')), { line: 1, character: 9 });
    assert.deepEqual(positionAt(text, text.length), { line: 2, character: 9 });
    assert.deepEqual(positionAt(text, text.length + 5), { line: 2, character: 9 }, 'clamped');
    assert.deepEqual(positionAt(text, -1), { line: 0, character: 0 });
  });
});

describe('drift: the rig configs', () => {
  const pv = readFileSync('test/fixtures/xl/rig-guest-pv.cfg', 'utf8');
  const hvm = readFileSync('test/fixtures/xl/rig-guest-hvm.cfg', 'utf8');
  test('each drift key lands on its line', () => {
    assert.equal(slice(pv, locateDrift(pv, { key: 'memory' })), 'memory = 128');
    assert.equal(slice(pv, locateDrift(pv, { key: 'vcpus' })), 'vcpus = 1');
    assert.equal(slice(pv, locateDrift(pv, { key: 'maxmem' })), 'maxmem = 256');
    assert.equal(slice(pv, locateDrift(pv, { key: 'maxvcpus' })), 'maxvcpus = 2');
    assert.equal(slice(pv, locateDrift(pv, { key: 'type' })), 'type = "pv"');
    assert.equal(slice(pv, locateDrift(pv, { key: 'vif', element: 0 })), '"mac=00:16:3e:5a:01:01, bridge=xenbr0"');
    assert.equal(slice(hvm, locateDrift(hvm, { key: 'disk', element: 1 })), '"format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/opt/isos/xenxl-installer.iso"');
    assert.equal(slice(hvm, locateDrift(hvm, { key: 'boot' })), 'boot = "dc"');
    assert.equal(slice(hvm, locateDrift(hvm, { key: 'maxmem' })), 'memory = 128', 'no maxmem line: memory decides it');
  });
});
