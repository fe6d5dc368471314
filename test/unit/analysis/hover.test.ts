// Hover: keys, plain values and parts of spec strings, each with the exact hovered range.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hover } from '../../../server/src/analysis/hover';
import { KEY_BY_NAME } from '../../../server/src/catalogue';
import { parseConfig } from '../../../server/src/syntax';
import { marked } from './cursor';

/** Hovers at `$0`; checks the hovered text and that the markdown contains every `contains`. */
function check(source: string, hovered: string | undefined, contains: readonly (string | RegExp)[] = []): string {
  const { text, offset } = marked(source);
  const result = hover(parseConfig(text), offset);
  if (hovered === undefined) {
    assert.equal(result, undefined);
    return '';
  }
  assert.ok(result, `a hover at ${offset}`);
  assert.equal(text.slice(result.start, result.end), hovered);
  for (const expected of contains) {
    if (typeof expected === 'string') assert.ok(result.markdown.includes(expected), `${JSON.stringify(expected)} in ${JSON.stringify(result.markdown)}`);
    else assert.match(result.markdown, expected);
  }
  return result.markdown;
}

describe('hover: keys', () => {
  test('our doc, kind, unit, default and guest types', () => {
    const spec = KEY_BY_NAME.get('memory')!;
    check('me$0mory = 4096', 'memory', [spec.doc, '*Value:* integer, in MiB', `*Default:* ${spec.default}`, '*Applies to:* PV, PVH, HVM', 'memory = 4096']);
  });

  test('deprecation with the replacement', () => {
    const spec = KEY_BY_NAME.get('builder')!;
    check('bui$0lder = "hvm"', 'builder', ['**Deprecated**', spec.replacement !== undefined ? `\`${spec.replacement}\`` : 'should go']);
  });

  test('guest types of an HVM-only key', () => {
    check('$0boot = "c"', 'boot', ['*Applies to:* HVM']);
  });

  test('an unknown key, with a suggestion', () => {
    check('memroy$0 = 1', undefined);
    check('memr$0oy = 1', 'memroy', ['xl does not read this key', '`memory`']);
  });

  test('a key whose statement does not parse is still explained', () => {
    check('vcp$0us 2', 'vcpus', [KEY_BY_NAME.get('vcpus')!.doc]);
  });

  test('a key after a semicolon is explained', () => {
    // Until the hover asked the cursor context, only a key at the start of its line was.
    check('vcpus = 2; maxv$0cpus = 4', 'maxvcpus', [KEY_BY_NAME.get('maxvcpus')!.doc]);
  });

  test('a key after a list left open is explained; a bare word in a list is not a key', () => {
    check("disk = [ 'phy:/dev/vg/a,xvda,w'\nmem$0ory = 256", 'memory', [KEY_BY_NAME.get('memory')!.doc]);
    check('disk = [\n  fo$0o,\n]', undefined);
  });
});

describe('hover: values', () => {
  test('sizes in friendly units', () => {
    check('memory = 40$096', '4096', ['4096 MiB = **4 GiB**']);
    check('maxmem = $01536', '1536', ['**1.5 GiB**']);
    check('vmtrace_buf_kb = $0256', '256', ['256 KiB']);
  });

  test('boot order spelled out', () => {
    check('boot = "d$0c"', 'dc', ['Boot order: **CD-ROM first, then hard disk**', '- `d`:']);
    check('boot = "$0c"', 'c', ['**hard disk only**']);
  });

  test('actions from the action language', () => {
    check('on_crash = "re$0start"', 'restart', ['`restart`: Destroy the domain and start a fresh one']);
    check('on_poweroff = "$0destroy"', 'destroy', ['`destroy`:']);
  });

  test('booleans, counts and displays', () => {
    check('acpi = $01', '1', ['On (1']);
    check('acpi = $00', '0', ['Off (0)']);
    check('vcpus = $02', '2', ['2 virtual CPUs online']);
    check('vncdisplay = $01', '1', ['TCP port 5901']);
  });

  test('enumerations', () => {
    check('type = "h$0vm"', '"hvm"', ['One of `pv`, `pvh`, `hvm`']);
  });

  test('nothing on punctuation or unknown keys', () => {
    check('memory $0= 1', undefined);
    check('foo = "b$0ar"', undefined);
  });
});

describe('hover: spec strings', () => {
  const disk = "disk = [ 'phy:/dev/vg/lv,xvda,rw', 'file:/opt/isos/x.iso,xvdb:cdrom,r' ]";

  test('a positional vdev:devtype field explains both', () => {
    check(disk.replace('xvdb', 'xv$0db'), 'xvdb:cdrom', ['**vdev** = `xvdb` (disk)', 'Device name the guest', '**devtype** = `cdrom` (disk)', 'Removable read-only']);
  });

  test('the access mode', () => {
    check(disk.replace(',r\'', ',$0r\''), 'r', ['**access** = `r` (disk)', '`r`: Read-only.']);
  });

  test('the prefix', () => {
    check(disk.replace('phy', 'p$0hy'), 'phy:/dev/vg/lv', ['**prefix** = `phy`', 'Ignored; kept for old configs', '**target** = `/dev/vg/lv`']);
  });

  test('key=value parts', () => {
    check("disk = [ 'format=qcow2, vdev=xvda, target=/srv/a.qcow2' ]".replace('qcow2,', 'qc$0ow2,'), 'format=qcow2', ['**format** = `qcow2` (disk)', 'QEMU copy-on-write v2']);
  });

  test('a MAC says whether it is in the Xen range, locally administered, or multicast', () => {
    check("vif = [ 'mac=00:16:3e:00:0$00:01,bridge=xenbr0' ]", 'mac=00:16:3e:00:00:01', ['**mac**', 'In the Xen range (OUI `00:16:3e`)']);
    check("vif = [ 'mac=00:50:56:00:0$00:01' ]", 'mac=00:50:56:00:00:01', ['Not in the Xen range', 'hardware vendor']);
    check("vif = [ 'mac=52:54:00:00:0$00:01' ]", 'mac=52:54:00:00:00:01', ['locally administered']);
    check("vif = [ 'mac=01:00:5e:00:0$00:01' ]", 'mac=01:00:5e:00:00:01', ['multicast']);
  });

  test('vif model values', () => {
    check("vif = [ 'model=e1$0000' ]", 'model=e1000', ['**model** = `e1000` (vif)', 'Intel 82540EM']);
  });

  test('offsets after escapes map to the right part', () => {
    check("disk = [ 'vdev=xvda, script=a\\\\b, access=r$0o' ]", 'access=ro', ['**access** = `ro`']);
    check("disk = [ 'vdev=xvda, scr$0ipt=a\\\\b' ]", 'script=a\\\\b', ['**script** = `a\\b`']);
  });
});
