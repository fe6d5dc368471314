// The language server restart policy: a few restarts within three minutes, then a plain message.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_RESTARTS, RestartPolicy, WINDOW_MS } from '../../../client/src/restartPolicy';

test('restarts up to the limit, then stops and says why', () => {
  let now = 0;
  const policy = new RestartPolicy(() => now);
  for (let crash = 1; crash <= MAX_RESTARTS; crash++) {
    now += 1000;
    const decision = policy.onServerClosed();
    assert.equal(decision.restart, true, `crash ${crash}`);
    assert.match(decision.message, new RegExp(`${crash} of ${MAX_RESTARTS}`));
  }
  now += 1000;
  const last = policy.onServerClosed();
  assert.equal(last.restart, false);
  assert.match(last.message, /not restarted again/);
  assert.match(last.message, /Reload Window/);
});

test('crashes older than the window are forgotten', () => {
  let now = 0;
  const policy = new RestartPolicy(() => now);
  for (let crash = 0; crash < MAX_RESTARTS; crash++) policy.onServerClosed();
  now += WINDOW_MS + 1;
  assert.equal(policy.onServerClosed().restart, true);
});
