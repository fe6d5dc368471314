// How drift shows on a guest in the Guests view: the tooltip lines and the mark.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DRIFT_CONTEXT_SUFFIX, DRIFT_MARK, driftTooltipLines } from '../../../../client/src/drift/presentation';

describe('drift: presentation', () => {
  test('no lines without drift', () => {
    assert.deepEqual(driftTooltipLines(undefined), []);
    assert.deepEqual(driftTooltipLines([]), []);
  });
  test('a heading, then one line per difference naming the device', () => {
    const lines = driftTooltipLines(
      [
        { key: 'memory', running: '96 MiB', file: '128 MiB', message: 'running with 96 MiB; this file says 128 MiB: Set Memory (xl mem-set) applies it without a restart' },
        { key: 'disk', subject: 'xvdb', running: '(none)', file: '/srv/a.img', message: 'this file has disk xvdb (/srv/a.img, raw, read-write); the running guest has none: restart the guest from this file to apply', element: 1 },
      ],
      '/etc/xen/web.cfg',
    );
    assert.deepEqual(lines, [
      '',
      'Differs from /etc/xen/web.cfg:',
      '• memory: running with 96 MiB; this file says 128 MiB: Set Memory (xl mem-set) applies it without a restart',
      '• disk xvdb: this file has disk xvdb (/srv/a.img, raw, read-write); the running guest has none: restart the guest from this file to apply',
    ]);
  });
  test('the mark and the suffix the menus match', () => {
    assert.equal(DRIFT_MARK, '≠ config');
    assert.match(`guest:running${DRIFT_CONTEXT_SUFFIX}`, /^guest:(running|paused):drift(:|$)/);
  });
});
