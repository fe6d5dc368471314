// parseConfigMessages on stderr captured from the real xl 4.17.7 in the test/xen rig
// (`xl -N create` of the test/fixtures/conformance configs).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfigMessages } from '../../../client/src/xl/configMessages';

const FILE = '/tmp/xen-xl-conformance/memory-string.cfg';

describe('parseConfigMessages', () => {
  test('a located libxlu warning: line and key, "Parsing config" skipped', () => {
    const stderr = `Parsing config from ${FILE}\n${FILE}:5: warning: parameter \`memory' is not a valid number\n`;
    const messages = parseConfigMessages(stderr, { configPath: FILE, exitCode: 0 });
    assert.deepEqual(messages, [
      {
        severity: 'warning',
        line: 5,
        key: 'memory',
        message: "warning: parameter `memory' is not a valid number",
        text: `${FILE}:5: warning: parameter \`memory' is not a valid number`,
      },
    ]);
  });

  test('a located syntax error is an error on its line', () => {
    const stderr = `Parsing config from ${FILE}\n${FILE}:3: config parsing error near \`2': syntax error, unexpected NUMBER, expecting += or '='\n`;
    const [message] = parseConfigMessages(stderr, { configPath: FILE, exitCode: 1 });
    assert.equal(message.severity, 'error');
    assert.equal(message.line, 3);
    assert.equal(message.key, undefined);
  });

  test('without the path, FILE:LINE: is still found (paths with spaces too)', () => {
    const [message] = parseConfigMessages("/srv/my xen/a.cfg:12: warning: parameter `vcpus' is not a valid number\n");
    assert.equal(message.line, 12);
    assert.equal(message.key, 'vcpus');
  });

  test('a path that itself contains ":digits: " is matched exactly when given', () => {
    const path = '/tmp/odd:7: dir/x.cfg';
    const [message] = parseConfigMessages(`${path}:2: warning: parameter \`disk' is a single value but should be a list\n`, { configPath: path });
    assert.equal(message.line, 2);
    assert.equal(message.key, 'disk');
  });

  test("xl's unlocated errors name their key where xl's wording allows", () => {
    const cases: [string, string | undefined][] = [
      ['Unknown on_poweroff action "explode" specified', 'on_poweroff'],
      ['ERROR: invalid value "scsi" for "hdtype"', 'hdtype'],
      ['ERROR: invalid value 100 for "mmio_hole"', 'mmio_hole'],
      ['ERROR: "timer_mode" option is not supported for PV guests.', 'timer_mode'],
      ['Invalid domain type bogus.', undefined],
      [`${FILE}: config parsing error in disk specification: unknown value for format: near \`qcow9' in \`format=qcow9, vdev=xvda'`, 'disk'],
      ['Domain name must be specified.', undefined],
    ];
    for (const [line, key] of cases) {
      const [message] = parseConfigMessages(`Parsing config from ${FILE}\n${line}\n`, { configPath: FILE, exitCode: 1 });
      assert.equal(message.severity, 'error', line);
      assert.equal(message.key, key, line);
      assert.equal(message.line, undefined);
    }
  });

  test('unlocated lines: WARNING is a warning; others are info when xl succeeded', () => {
    const stderr = 'WARNING: vif2: netchannel2 is deprecated and not supported by xl\ngot a tsc mode string: "native"\n';
    const messages = parseConfigMessages(stderr, { exitCode: 0 });
    assert.deepEqual(
      messages.map((m) => m.severity),
      ['warning', 'info'],
    );
  });

  test("ssh's ControlMaster race notice is not xl's", () => {
    const stderr = `ControlSocket /run/user/0/xen-xl/ab12 already exists, disabling multiplexing\nParsing config from ${FILE}\n`;
    assert.deepEqual(parseConfigMessages(stderr, { configPath: FILE, exitCode: 0 }), []);
  });

  test('empty and CRLF input', () => {
    assert.deepEqual(parseConfigMessages(''), []);
    const [message] = parseConfigMessages(`${FILE}:1: warning: x\r\n`, { configPath: FILE });
    assert.equal(message.message, 'warning: x');
  });
});
