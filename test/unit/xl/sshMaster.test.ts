// The ssh connection gate: while no shared connection is up, one call goes first and the others
// wait for its socket, its end, or the bound; once a call has ended recently, all go at once.

import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { MASTER_FRESH_MS, forgetSshConnections, sshTurn, type MasterClock } from '../../../client/src/xl/sshMaster';

function fakeHost(): MasterClock & { sockets: string[]; time: number } {
  const host = { sockets: [] as string[], time: 1_000_000, now: () => host.time, listSockets: () => [...host.sockets] };
  return host;
}
const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => forgetSshConnections());

test('a burst on a cold host: the first goes, the rest wait until its master socket appears', async () => {
  const host = fakeHost();
  const order: string[] = [];
  const first = await sshTurn('/c', 'dom0', host);
  order.push('first');
  const others = [1, 2, 3].map((n) => sshTurn('/c', 'dom0', host).then((end) => (order.push(`other ${n}`), end)));
  await tick(120);
  assert.deepEqual(order, ['first'], 'nobody else starts while the connection is being opened');
  host.sockets.push('a1b2c3');
  const ends = await Promise.all(others);
  assert.deepEqual(order, ['first', 'other 1', 'other 2', 'other 3']);
  first();
  for (const end of ends) end();
});

test('the others also go when the first call ends (it failed, or was quick), without a socket', async () => {
  const host = fakeHost();
  const first = await sshTurn('/c', 'dom0', host);
  let started = false;
  const other = sshTurn('/c', 'dom0', host).then((end) => ((started = true), end));
  await tick(80);
  assert.equal(started, false);
  first();
  (await other)();
  assert.equal(started, true);
});

test('a host used within the last 50 s: every call goes at once; after that, one opens again', async () => {
  const host = fakeHost();
  (await sshTurn('/c', 'dom0', host))();
  const together = await Promise.all([sshTurn('/c', 'dom0', host), sshTurn('/c', 'dom0', host)]);
  together.forEach((end) => end());
  host.time += MASTER_FRESH_MS + 1;
  const opener = await sshTurn('/c', 'dom0', host);
  let waited = true;
  const later = sshTurn('/c', 'dom0', host).then((end) => ((waited = false), end));
  await tick(80);
  assert.equal(waited, true, 'a stale connection is opened by one call first');
  opener();
  (await later)();
});

test('hosts do not wait for each other', async () => {
  const host = fakeHost();
  const a = await sshTurn('/c', 'dom0-a', host);
  const b = await Promise.race([sshTurn('/c', 'dom0-b', host), tick(200).then(() => undefined)]);
  assert.ok(b, 'dom0-b opens its own connection at once');
  a();
  b();
});

test('an opener that ends after the next one began opening does not strand the calls waiting for that one', async () => {
  const host = fakeHost();
  const first = await sshTurn('/c', 'dom0', host);
  const second = sshTurn('/c', 'dom0', host);
  const third = sshTurn('/c', 'dom0', host);
  host.sockets.push('master');
  const secondEnd = await second;
  // The second is now opening (no call has ended yet, so the connection is not known to be up).
  first();
  secondEnd();
  const thirdEnd = await Promise.race([third, tick(1000).then(() => undefined)]);
  assert.ok(thirdEnd, 'the third call got its turn');
  thirdEnd();
});

test('once the master socket is there, the waiting calls go together (none of them opens again)', async () => {
  const host = fakeHost();
  const first = await sshTurn('/c', 'dom0', host);
  const waiting = [sshTurn('/c', 'dom0', host), sshTurn('/c', 'dom0', host), sshTurn('/c', 'dom0', host)];
  host.sockets.push('master');
  const ends = await Promise.race([Promise.all(waiting), tick(1000).then(() => undefined)]);
  assert.ok(ends, 'all three run at the same time, while the first still runs');
  for (const end of ends) end();
  first();
});

test('a join-only call (a stream) on a cold host neither opens nor holds back: the next call still opens the master', async () => {
  const host = fakeHost();
  const stream = await sshTurn('/c', 'dom0', host, 'join-only');
  const first = await sshTurn('/c', 'dom0', host);
  let started = false;
  const other = sshTurn('/c', 'dom0', host).then((end) => ((started = true), end));
  await tick(80);
  assert.equal(started, false, 'the stream did not count as an open master');
  stream();
  await tick(80);
  assert.equal(started, false, "the stream's end says nothing about a master");
  host.sockets.push('m1');
  (await other)();
  first();
});

test('a join-only call waits while another call opens the master, then joins it', async () => {
  const host = fakeHost();
  const first = await sshTurn('/c', 'dom0', host);
  let joined = false;
  const stream = sshTurn('/c', 'dom0', host, 'join-only').then((end) => ((joined = true), end));
  await tick(80);
  assert.equal(joined, false);
  host.sockets.push('m2');
  (await stream)();
  assert.equal(joined, true);
  first();
});
