// Refactorings: each offered where it applies (exact edits), and not offered where it does not.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FINISH_INSTALL_EMPTY_CD, FINISH_INSTALL_REMOVE_CD, refactorings, sortIntoSections, type RefactoringOptions } from '../../../server/src/analysis/codeActions';
import { computeDiagnostics } from '../../../server/src/analysis/diagnostics';
import { applyEdits } from '../../../server/src/analysis/format';
import { parseConfig } from '../../../server/src/syntax';
import { SPEC_LANGUAGES } from '../../../server/src/specs';
import { marked } from './cursor';

/** Runs the refactoring titled `title` at `$0` and returns the new text, or undefined when it is not offered. */
function check(source: string, title: string, options: RefactoringOptions = {}): string | undefined {
  const { text, offset, end } = marked(source);
  const found = refactorings(parseConfig(text), offset, end, options).find((action) => action.title.startsWith(title));
  return found === undefined ? undefined : applyEdits(text, found.edits);
}

const fixed = (values: number[]) => {
  let at = 0;
  return () => values[at++ % values.length];
};

describe('refactorings', () => {
  test('boot from disk only', () => {
    assert.equal(check('type = "hvm"\nboot = "d$0c"\n', 'Boot from disk only'), 'type = "hvm"\nboot = "c"\n');
    assert.equal(check("boot = 'd$0'\n", 'Boot from disk only'), "boot = 'c'\n");
    assert.equal(check('boot = "c$0"\n', 'Boot from disk only'), undefined);
    assert.equal(check('boot = "dc"\nme$0mory = 1\n', 'Boot from disk only'), undefined);
    assert.equal(check('boot = "dc"\nme$0mory = 1\n', 'Boot from disk only', { explicit: true }), 'boot = "c"\nmemory = 1\n');
  });

  test('enable PV drivers on an HVM guest without xen_platform_pci', () => {
    assert.equal(check('ty$0pe = "hvm"\nname = "a"\n', 'Enable PV drivers (PVHVM)'), 'type = "hvm"\nxen_platform_pci = 1\nname = "a"\n');
    assert.equal(check('name = "a"\nbuil$0der = "hvm"', 'Enable PV drivers (PVHVM)'), 'name = "a"\nbuilder = "hvm"\nxen_platform_pci = 1\n');
    assert.equal(check('ty$0pe = "hvm"\nxen_platform_pci = 0\n', 'Enable PV drivers (PVHVM)'), undefined);
    assert.equal(check('ty$0pe = "pvh"\n', 'Enable PV drivers (PVHVM)'), undefined);
  });

  test('convert a positional disk spec to key=value', () => {
    const title = 'Convert to key=value disk spec';
    assert.equal(check("disk = [ 'phy:/dev/vg/l$0v,xvda,rw' ]", title), "disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/vg/lv' ]");
    assert.equal(
      check("disk = [ 'a', 'file:/opt/isos/x.iso,xvdb:cdrom,$0r' ]", title),
      "disk = [ 'a', 'format=raw, vdev=xvdb, access=r, devtype=cdrom, target=/opt/isos/x.iso' ]",
    );
    assert.equal(check("disk = [ '/dev/vg/guest,qcow2,hd$0a,w' ]", title), "disk = [ 'format=qcow2, vdev=hda, access=w, target=/dev/vg/guest' ]");
    assert.equal(check("disk = [ 'iscsi:iqn.x:y,xv$0da,w' ]", title), "disk = [ 'format=raw, vdev=xvda, access=w, script=block-iscsi, target=iqn.x:y' ]");
    assert.equal(check("disk = [ ',,hd$0c:cdrom' ]", title), "disk = [ 'format=raw, vdev=hdc, devtype=cdrom' ]");
    // Already key=value, or broken: not offered.
    assert.equal(check("disk = [ 'vdev=xvda, target=/x$0' ]", title), undefined);
    assert.equal(check("disk = [ 'phy:/dev/vg/lv,xvda,rwx$0' ]", title), undefined);
  });

  test('the converted disk means the same to the disk parser', () => {
    const before = "phy:/dev/vg0/web,xvda,w";
    const after = check(`disk = [ '${before.replace('web', 'w$0eb')}' ]`, 'Convert to key=value disk spec')!;
    const parse = (spec: string) => {
      const fields = Object.fromEntries(SPEC_LANGUAGES.get('disk')!.parse(spec).parts.filter((part) => part.key !== 'prefix').map((part) => [part.key, part.value]));
      return { target: fields.target, vdev: fields.vdev, access: fields.access };
    };
    assert.deepEqual(parse(after.slice(10, -3)), parse(before));
  });

  test('generate a MAC address: a fresh one, not used in the workspace', () => {
    const options = { random: fixed([0.5, 0.5, 0.5, 0.1, 0.2, 0.3]), usedMacs: new Set(['00:16:3e:80:80:80']) };
    assert.equal(check("vif = [ 'bridge=xen$0br0' ]", 'Generate MAC address', options), "vif = [ 'mac=00:16:3e:19:33:4c,bridge=xenbr0' ]");
    assert.equal(check("vif = [ 'mac=00:16:3e:00:00:01,bri$0dge=xenbr0' ]", 'Generate MAC address', { random: fixed([0.5]) }), "vif = [ 'mac=00:16:3e:80:80:80,bridge=xenbr0' ]");
    assert.equal(check("vif = [ '$0' ]", 'Generate MAC address', { random: fixed([0]) }), "vif = [ 'mac=00:16:3e:00:00:00' ]");
    assert.equal(check("disk = [ 'x$0' ]", 'Generate MAC address', { random: fixed([0]) }), undefined);
  });

  test('sort keys into sections', () => {
    const input = ['# My guest.', '', 'vif = [ "bridge=xenbr0" ]', '# the size', 'memory = 1024', 'name = "a"', 'frob = 1', 'type = "hvm"', 'boot = "c"', '# end', ''].join('\n');
    assert.equal(
      check(`$0${input}$1`, 'Sort keys into sections'),
      ['# My guest.', '', 'name = "a"', 'type = "hvm"', '', '# the size', 'memory = 1024', '', 'vif = [ "bridge=xenbr0" ]', '', 'boot = "c"', '', 'frob = 1', '# end', ''].join('\n'),
    );
    // Needs a selection of two statements, or an explicit request.
    assert.equal(check('name = "a"\nmem$0ory = 1\n', 'Sort keys into sections'), undefined);
  });

  test('sorting keeps += in order and refuses broken or already sorted files', () => {
    assert.equal(sortIntoSections(parseConfig('extra = "a"\nname = "x"\nextra += "b"\n')), 'name = "x"\n\nextra = "a"\nextra += "b"\n');
    assert.equal(sortIntoSections(parseConfig('memory = 1\nName = "x"\n')), undefined);
    assert.equal(sortIntoSections(parseConfig('name = "x"\ntype = "hvm"\n')), undefined);
    assert.equal(sortIntoSections(parseConfig('memory = 1; name = "x"\n')), undefined);
  });

  test('finish install: boot from disk and empty the CD drive, in every spelling of a CD drive', () => {
    const cases: [before: string, after: string][] = [
      ['format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/opt/isos/x.iso', 'format=raw, vdev=hdc, access=ro, devtype=cdrom'],
      ['vdev=hdc,devtype=cdrom,target=/opt/isos/a,b.iso', 'vdev=hdc,devtype=cdrom'],
      ['/opt/isos/x.iso,raw,hdc:cdrom,r', ',raw,hdc:cdrom,r'],
      ['file:/opt/isos/x.iso,hdc:cdrom,r', ',hdc:cdrom,r'],
      ['/opt/isos/x.iso,raw,hdc,r,cdrom', ',raw,hdc,r,cdrom'],
      // Already empty: only the boot order changes.
      [',,hdc:cdrom', ',,hdc:cdrom'],
    ];
    for (const [before, after] of cases) {
      const source = `name = "g"\ntype = "hvm"\nmemory = 512\nboot = "d$0c"\ndisk = [ "/dev/vg/g,raw,hda,rw", "${before}" ]\n`;
      const result = check(source, 'Finish install: boot from disk, empty the CD drive', {});
      assert.equal(result, `name = "g"\ntype = "hvm"\nmemory = 512\nboot = "c"\ndisk = [ "/dev/vg/g,raw,hda,rw", "${after}" ]\n`, before);
      assert.deepEqual(diagnosticsOf(result), [], before);
    }
  });

  test('finish install: remove the CD drive, one-line lists', () => {
    const title = 'Finish install: boot from disk, remove the CD drive';
    const finish = (disk: string) => check(`type = "hvm"\nboot = "dc"\n$0disk = ${disk}\n`, title);
    assert.equal(finish('[ "/dev/vg/g,raw,hda,rw", ",,hdc:cdrom" ]'), 'type = "hvm"\nboot = "c"\ndisk = [ "/dev/vg/g,raw,hda,rw" ]\n');
    assert.equal(finish('[ ",,hdc:cdrom", "/dev/vg/g,raw,hda,rw" ]'), 'type = "hvm"\nboot = "c"\ndisk = [ "/dev/vg/g,raw,hda,rw" ]\n');
    assert.equal(finish('[ "/dev/vg/g,raw,hda,rw", ",,hdc:cdrom", ]'), 'type = "hvm"\nboot = "c"\ndisk = [ "/dev/vg/g,raw,hda,rw", ]\n');
    assert.equal(finish('["/a,raw,hda,rw","vdev=hdc,devtype=cdrom,target=/x.iso","/b,raw,hdb,rw"]'), 'type = "hvm"\nboot = "c"\ndisk = ["/a,raw,hda,rw","/b,raw,hdb,rw"]\n');
    // Two CD drives side by side at the end: one edit, not two overlapping ones.
    assert.equal(finish("[ '/a,raw,hda,rw', ',,hdc:cdrom', 'vdev=hdd, cdrom' ]"), 'type = "hvm"\nboot = "c"\ndisk = [ \'/a,raw,hda,rw\' ]\n');
    assert.equal(finish('[ ",,hdc:cdrom" ]'), 'type = "hvm"\nboot = "c"\ndisk = []\n');
  });

  test('finish install: remove the CD drive, multi-line lists keep their layout', () => {
    const title = 'Finish install: boot from disk, remove the CD drive';
    const lines = (...rows: string[]) => rows.join('\n');
    const finish = (...rows: string[]) => check(lines('$0boot = "dc"', ...rows, ''), title);
    assert.equal(
      finish('disk = [', '    "/dev/vg/g,raw,hda,rw",', '    "/opt/isos/x.iso,raw,hdc:cdrom,r",', ']'),
      lines('boot = "c"', 'disk = [', '    "/dev/vg/g,raw,hda,rw",', ']', ''),
    );
    // The last item had no comma: the new last item loses its comma too.
    assert.equal(
      finish('disk = [', '    "/dev/vg/g,raw,hda,rw",', '    "/opt/isos/x.iso,raw,hdc:cdrom,r"  # the installer', ']'),
      lines('boot = "c"', 'disk = [', '    "/dev/vg/g,raw,hda,rw"', ']', ''),
    );
    assert.equal(
      finish('disk = [', '  ",,hdc:cdrom",  # empty drive', '  "/dev/vg/g,raw,hda,rw",', ']'),
      lines('boot = "c"', 'disk = [', '  "/dev/vg/g,raw,hda,rw",', ']', ''),
    );
    // Sharing a line with the bracket.
    assert.equal(finish('disk = [ "/a,raw,hda,rw",', '         ",,hdc:cdrom" ]'), lines('boot = "c"', 'disk = [ "/a,raw,hda,rw" ]', ''));
    // A comment in an emptied list stays.
    assert.equal(finish('disk = [', '  # none yet', '  ",,hdc:cdrom",', ']'), lines('boot = "c"', 'disk = [', '  # none yet', ']', ''));
    assert.equal(finish('disk = [ ",,hdc:cdrom", # none yet', ']'), lines('boot = "c"', 'disk = [ # none yet', ']', ''));
    // `disk +=`: the drive in the appended list goes.
    assert.equal(finish('disk = [ "/a,raw,hda,rw" ]', 'disk += [ ",,hdc:cdrom" ]'), lines('boot = "c"', 'disk = [ "/a,raw,hda,rw" ]', 'disk += []', ''));
  });

  test('finish install: every result parses with no new diagnostics', () => {
    const configs = [
      'name = "g"\ntype = "hvm"\nboot = "dc"\ndisk = [ "format=raw, vdev=hda, access=rw, target=/dev/vg/g", "format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/opt/isos/x.iso" ]\n',
      'name = "g"\ntype = "hvm"\nboot = "dnc"\ndisk = [\n  "phy:/dev/vg/g,hda,w",\n  "file:/opt/isos/x.iso,hdc:cdrom,r",\n]\nvnc = 1\n',
      "name = 'g'\ntype = 'hvm'\nboot = 'd'\ndisk = [ '/dev/vg/g,,hda', '/opt/isos/x.iso,,hdc:cdrom' ]\n",
    ];
    for (const text of configs) {
      const document = parseConfig(text);
      const before = diagnosticsOf(text);
      const offered = refactorings(document, 0, 0, { explicit: true }).filter((action) => action.kind === FINISH_INSTALL_EMPTY_CD || action.kind === FINISH_INSTALL_REMOVE_CD);
      assert.equal(offered.length, 2, text);
      for (const action of offered) {
        const after = applyEdits(text, action.edits);
        assert.deepEqual(diagnosticsOf(after), before, `${action.title}\n${after}`);
        assert.match(after, /^boot = ["']c["']$/m);
        assert.doesNotMatch(after, /x\.iso/);
        if (action.kind === FINISH_INSTALL_REMOVE_CD) assert.doesNotMatch(after, /cdrom/);
      }
    }
  });

  test('finish install on every layout of a disk list: edits never overlap, the CD goes, nothing new is reported', () => {
    const disks = ['"/dev/vg/g,raw,hda,rw"', '"/srv/d.img,raw,hdb,rw"'];
    const cds = ['"/opt/isos/x.iso,raw,hdc:cdrom,r"', '"format=raw, vdev=hdd, access=ro, devtype=cdrom, target=/opt/isos/y.iso"'];
    const layouts: ((items: string[]) => string)[] = [
      (items) => `[ ${items.join(', ')} ]`,
      (items) => `[${items.join(',')}]`,
      (items) => `[ ${items.join(', ')}, ]`,
      (items) => `[\n${items.map((item) => `  ${item},`).join('\n')}\n]`,
      (items) => `[\n${items.map((item) => `  ${item}`).join(',\n')}\n]`,
      (items) => `[\n${items.map((item) => `  ${item}, # note`).join('\n')}\n]`,
      (items) => `[ ${items.join(',\n         ')} ]`,
    ];
    // Every placement of one or two CD drives among the disks.
    const orders: string[][] = [];
    for (let mask = 1; mask < 4; mask++) {
      const chosen = cds.filter((_, index) => mask & (1 << index));
      for (let at = 0; at <= disks.length; at++) orders.push([...disks.slice(0, at), ...chosen, ...disks.slice(at)]);
      orders.push([...chosen, ...disks]);
      orders.push(chosen);
    }
    let checked = 0;
    for (const layout of layouts) {
      for (const items of orders) {
        const text = `name = "g"\ntype = "hvm"\nboot = "dc"\ndisk = ${layout(items)}\nmemory = 1024\n`;
        const before = diagnosticsOf(text);
        const actions = refactorings(parseConfig(text), 0, 0, { explicit: true }).filter((action) => action.title.startsWith('Finish install'));
        assert.equal(actions.length, 2, text);
        for (const action of actions) {
          const after = applyEdits(text, action.edits);
          assert.ok(after !== undefined, `overlapping edits: ${action.title}\n${text}`);
          assert.deepEqual(diagnosticsOf(after), before, `${action.title}\n${text}\n---\n${after}`);
          assert.doesNotMatch(after, /\.iso/, after);
          assert.equal(parseConfig(after).errors.length, 0, after);
          if (action.kind === FINISH_INSTALL_REMOVE_CD) {
            assert.doesNotMatch(after, /cdrom/, after);
            for (const disk of disks.filter((disk) => items.includes(disk))) assert.ok(after.includes(disk), after);
            assert.doesNotMatch(after, /,\s*,|\[\s*,/, `a doubled or leading comma\n${after}`);
          }
          checked++;
        }
      }
    }
    assert.ok(checked > 100, `${checked} results checked`);
  });

  test('finish install: offered only on a config that boots from a CD drive it has', () => {
    const offered = (text: string, options: RefactoringOptions = {}) => {
      const { text: plain, offset, end } = marked(text);
      return refactorings(parseConfig(plain), offset, end, options).filter((action) => action.title.startsWith('Finish install')).map((action) => action.kind);
    };
    const disk = 'disk = [ "/a,raw,hda,rw", ",,hdc:cdrom" ]\n';
    assert.deepEqual(offered(`boot = "d$0c"\n${disk}`), [FINISH_INSTALL_EMPTY_CD, FINISH_INSTALL_REMOVE_CD]);
    assert.deepEqual(offered(`boot = "dc"\ndisk = [ "/a,raw,hda,rw", ",,h$0dc:cdrom" ]\n`), [FINISH_INSTALL_EMPTY_CD, FINISH_INSTALL_REMOVE_CD]);
    assert.deepEqual(offered(`boot = "c$0d"\n${disk}`), []);
    assert.deepEqual(offered(`boot = "c$0"\n${disk}`), []);
    assert.deepEqual(offered('boot = "d$0c"\ndisk = [ "/a,raw,hda,rw" ]\n'), []);
    // A broken CD spec is not touched.
    assert.deepEqual(offered('boot = "d$0c"\ndisk = [ "/a,raw,hda,rw", "vdev=hdc,devtype=cdrom,bogus=1" ]\n'), []);
    // Elsewhere in the file only when asked for refactorings by name.
    assert.deepEqual(offered(`boot = "dc"\n${disk}mem$0ory = 1\n`), []);
    assert.deepEqual(offered(`boot = "dc"\n${disk}mem$0ory = 1\n`, { explicit: true }), [FINISH_INSTALL_EMPTY_CD, FINISH_INSTALL_REMOVE_CD]);
  });

  test('finish install shares its boot edit with "Boot from disk only"', () => {
    const { text, offset } = marked('boot = "d$0c"\ndisk = [ "/a,raw,hda,rw", ",,hdc:cdrom" ]\n');
    const actions = refactorings(parseConfig(text), offset, offset);
    const only = actions.find((action) => action.title === 'Boot from disk only')!;
    for (const action of actions.filter((candidate) => candidate.title.startsWith('Finish install'))) assert.deepEqual(action.edits[0], only.edits[0]);
  });
});

/** The codes and texts of the diagnostics of `text`. */
function diagnosticsOf(text: string): string[] {
  return computeDiagnostics(parseConfig(text)).map((problem) => `${problem.code} ${text.slice(problem.start, problem.end)}`);
}
