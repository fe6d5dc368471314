// The console's password bookkeeping (client/src/console/credentials.ts): stored passwords first,
// the user's after a refusal; a typed password is offered for remembering only once the server
// took it; a refused remembered password is forgotten; and while a password waits for its verdict,
// the stream's end is not taken for a guest that went away. Also serverText.ts, which cleans a
// server's refusal text for the status line.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConsoleCredentials } from '../../../client/src/console/credentials';
import { serverText } from '../../../client/src/console/serverText';

describe('ConsoleCredentials', () => {
  test('stored passwords may be used until the server refuses one', () => {
    const credentials = new ConsoleCredentials();
    assert.equal(credentials.mayUseStored, true);
    credentials.sent(1, 'config');
    assert.deepEqual(credentials.refused(1), { forgetRemembered: false });
    assert.equal(credentials.mayUseStored, false, 'after a refusal the user is asked');
  });

  test('a typed password is offered for remembering only after the connection succeeded, and once', () => {
    const credentials = new ConsoleCredentials();
    credentials.sent(3, 'user', 'hunter22');
    assert.equal(credentials.awaitingVerdict(3), true);
    assert.equal(credentials.connected(2), undefined, 'another session connecting says nothing about this password');
    assert.equal(credentials.connected(3), 'hunter22');
    assert.equal(credentials.connected(3), undefined, 'offered once');
    assert.equal(credentials.awaitingVerdict(3), false);
  });

  test('a typed password that the server refused is never offered for remembering', () => {
    const credentials = new ConsoleCredentials();
    credentials.sent(1, 'user', 'wrong-pw');
    assert.deepEqual(credentials.refused(1), { forgetRemembered: false });
    assert.equal(credentials.connected(1), undefined);
    // The next attempt, typed again, works: that one is offered.
    credentials.sent(2, 'user', 'right-pw');
    assert.equal(credentials.connected(2), 'right-pw');
    assert.equal(credentials.mayUseStored, true, 'a success lets stored passwords be used again');
  });

  test('passwords from the config or the secret storage are not offered for remembering', () => {
    const credentials = new ConsoleCredentials();
    credentials.sent(1, 'config', 'from-cfg');
    assert.equal(credentials.connected(1), undefined);
    credentials.sent(2, 'secret', 'stored');
    assert.equal(credentials.connected(2), undefined);
  });

  test('a refused remembered password is to be forgotten; a refused configured one is not', () => {
    const remembered = new ConsoleCredentials();
    remembered.sent(5, 'secret');
    assert.deepEqual(remembered.refused(5), { forgetRemembered: true });
    const configured = new ConsoleCredentials();
    configured.sent(5, 'config');
    assert.deepEqual(configured.refused(5), { forgetRemembered: false });
  });

  test('a refusal of another session does not forget anything, but the next password is still asked', () => {
    const credentials = new ConsoleCredentials();
    credentials.sent(7, 'secret');
    assert.deepEqual(credentials.refused(6), { forgetRemembered: false });
    assert.equal(credentials.mayUseStored, false);
  });

  test('awaiting a verdict: only the session whose password went out, until it ends', () => {
    const credentials = new ConsoleCredentials();
    assert.equal(credentials.awaitingVerdict(1), false, 'no password sent: a closed stream means what it says');
    credentials.sent(1, 'user', 'pw');
    assert.equal(credentials.awaitingVerdict(1), true);
    assert.equal(credentials.awaitingVerdict(2), false);
    credentials.ended(2);
    assert.equal(credentials.awaitingVerdict(1), true, 'ending another session changes nothing');
    credentials.ended(1);
    assert.equal(credentials.awaitingVerdict(1), false);
    assert.equal(credentials.connected(1), undefined, 'an ended session keeps no password');
  });

  test('clear() drops the password that waits', () => {
    const credentials = new ConsoleCredentials();
    credentials.sent(1, 'user', 'pw');
    credentials.clear();
    assert.equal(credentials.awaitingVerdict(1), false);
    assert.equal(credentials.connected(1), undefined);
  });
});

describe('serverText', () => {
  test("QEMU's refusal keeps its words and loses the NUL it counts in the length", () => {
    assert.equal(serverText('Authentication failed\u0000'), 'Authentication failed');
  });

  test('control characters become blanks, blanks collapse, long texts are cut', () => {
    assert.equal(serverText('\u001b[31mtoo\r\nmany\tattempts\u007f '), '[31mtoo many attempts');
    assert.equal(serverText('x'.repeat(500)).length, 200);
    assert.ok(serverText('x'.repeat(500)).endsWith('…'));
    assert.equal(serverText(''), '');
  });
});
