// The file facts of the model: what a config already states, that new values must not repeat.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { macsOf, usedVdevs } from '../../../server/src/analysis/model';
import { parseConfig } from '../../../server/src/syntax';

describe('model: file facts', () => {
  test('macsOf takes the MACs of every vif statement, lower case, not only the effective one', () => {
    const document = parseConfig("vif = [ 'mac=00:16:3E:AA:00:01,bridge=xenbr0', 'bridge=xenbr1' ]\nvif = [ 'mac=00:16:3e:aa:00:02' ]\ndisk = [ 'mac=00:16:3e:aa:00:03' ]\n");
    assert.deepEqual([...macsOf(document)].sort(), ['00:16:3e:aa:00:01', '00:16:3e:aa:00:02']);
  });

  test('usedVdevs takes every disk but the one being edited, in both spec forms', () => {
    const text = "disk = [ 'phy:/dev/vg/a,xvda,w', 'vdev=xvdb,target=/x.img' ]\ndisk = [ 'file:/y.img,xvdc:cdrom,r' ]\n";
    const document = parseConfig(text);
    assert.deepEqual([...usedVdevs(document, undefined)].sort(), ['xvda', 'xvdb', 'xvdc']);
    assert.deepEqual([...usedVdevs(document, text.indexOf("'vdev="))].sort(), ['xvda', 'xvdc']);
  });
});
