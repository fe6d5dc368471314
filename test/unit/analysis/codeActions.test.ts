// Refactorings: each offered where it applies (exact edits), and not offered where it does not.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { refactorings, sortIntoSections, type RefactoringOptions } from '../../../server/src/analysis/codeActions';
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
});
