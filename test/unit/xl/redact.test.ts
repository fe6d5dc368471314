// Passwords hidden from Show Running Configuration: libxl JSON as `xl list -l` prints it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HIDDEN_PASSWORD, hidePasswords } from '../../../client/src/xl/redact';

describe('hidePasswords', () => {
  test('HVM vnc and spice passwords, PV framebuffer passwords', () => {
    const config = {
      c_info: { name: 'win', type: 'hvm' },
      b_info: {
        'type.hvm': {
          vnc: { enable: 'True', listen: '0.0.0.0', passwd: 's3cret', display: 1 },
          spice: { enable: 'True', port: 6000, passwd: 'sp1ce' },
        },
      },
      vfbs: [{ vnc: { enable: 'True', passwd: 'pv-pass' } }, { vnc: { enable: 'True', passwd: '' } }],
    };
    const { value, hidden } = hidePasswords([{ domid: 3, config }]);
    assert.equal(hidden, 3);
    const shown = value[0].config;
    assert.equal(shown.b_info['type.hvm'].vnc.passwd, HIDDEN_PASSWORD);
    assert.equal(shown.b_info['type.hvm'].spice.passwd, HIDDEN_PASSWORD);
    assert.equal(shown.vfbs[0].vnc.passwd, HIDDEN_PASSWORD);
    assert.equal(shown.vfbs[1].vnc.passwd, '', 'an empty password stays empty: nothing to hide');
    assert.equal(shown.b_info['type.hvm'].vnc.listen, '0.0.0.0', 'other settings stay');
    assert.equal(config.b_info['type.hvm'].vnc.passwd, 's3cret', 'the input is not changed');
    assert.ok(!JSON.stringify(value).includes('s3cret') && !JSON.stringify(value).includes('sp1ce') && !JSON.stringify(value).includes('pv-pass'));
  });

  const specs: { input: string; output: string; hidden: number }[] = [
    { input: 'vnc=1,vnclisten=0.0.0.0,vncpasswd=abc,keymap=de', output: `vnc=1,vnclisten=0.0.0.0,vncpasswd=${HIDDEN_PASSWORD},keymap=de`, hidden: 1 },
    { input: 'vncpasswd=abc', output: `vncpasswd=${HIDDEN_PASSWORD}`, hidden: 1 },
    { input: 'spice=1, spicepasswd=xyz', output: `spice=1, spicepasswd=${HIDDEN_PASSWORD}`, hidden: 1 },
    { input: 'vnc=1,vncpasswd=', output: 'vnc=1,vncpasswd=', hidden: 0 },
    { input: 'vnc=1,vncdisplay=2', output: 'vnc=1,vncdisplay=2', hidden: 0 },
    { input: 'mypasswdfile=/x', output: `mypasswdfile=/x`, hidden: 0 },
  ];
  for (const { input, output, hidden } of specs) {
    test(`spec string ${JSON.stringify(input)}`, () => {
      assert.deepEqual(hidePasswords({ vfb: [input] }), { value: { vfb: [output] }, hidden });
    });
  }

  test('config-style keys in any object', () => {
    const result = hidePasswords({ vncpasswd: 'a', spicepasswd: 'b', password: 'c', name: 'passwd' });
    assert.deepEqual(result, { value: { vncpasswd: HIDDEN_PASSWORD, spicepasswd: HIDDEN_PASSWORD, password: HIDDEN_PASSWORD, name: 'passwd' }, hidden: 3 });
  });

  test('numbers, booleans, null and nesting pass through', () => {
    assert.deepEqual(hidePasswords({ a: [1, true, null, { b: 'x' }] }), { value: { a: [1, true, null, { b: 'x' }] }, hidden: 0 });
  });
});
