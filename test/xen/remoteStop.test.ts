// A timed-out or cancelled call over ssh does not leave its remote process running: the runner
// ends it (its process group) on dom0 with a second ssh call, and after a stopped `xl create`
// `xl list` tells whether the guest exists. Against the rig's busybox + dropbear dom0.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import * as xl from '../../client/src/xl/commands';
import { stoppedCreateOutcome } from '../../client/src/xl/errors';
import { runXl } from '../../client/src/xl/runner';
import type { XlCommand } from '../../client/src/xl/types';
import { dom0, dom0Ok, guestConfig, options, rig, skipReason, upload } from './helpers';
import { rejection } from '../support/xlError';

/** Any program in dom0 through the runner, with its raw stdout. */
function program(args: string[]): XlCommand<string> {
  return { args, parse: (stdout) => stdout, description: `run ${args.join(' ')}` };
}

/** dom0's processes whose command line contains `marker` (busybox ps). */
async function remoteProcesses(marker: string): Promise<string[]> {
  const out = await dom0Ok('ps -o pid,stat,args');
  return out.split('\n').filter((line) => line.includes(marker) && !line.includes('ps -o'));
}

describe('real Xen: the remote process of a stopped call', { skip: skipReason }, () => {
  const name = 'xl-stopped-create';
  after(async () => {
    if (!skipReason) await dom0(`xl destroy -- ${name} 2>/dev/null; true`, { timeoutMs: 30_000 });
  });

  test('a timed-out call: the remote program and its child are ended, group and all', async () => {
    const error = await rejection(runXl(program(['-c', 'sleep 3141 & wait']), options({ xlPath: '/bin/sh', timeoutMs: 2000 })));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.remoteStop, 'ended', error.message);
    assert.match(error.message, /xl on xen-test was ended too\./);
    assert.deepEqual(await remoteProcesses('sleep 3141'), []);
  });

  test('a stopped (SIGSTOP) remote program ignores SIGTERM until killed: it is killed', async () => {
    const error = await rejection(runXl(program(['-c', 'sleep 3142 & kill -STOP $$; wait']), options({ xlPath: '/bin/sh', timeoutMs: 2000 })));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.remoteStop, 'killed', error.message);
    assert.deepEqual(await remoteProcesses('3142'), []);
  });

  test('a cancelled xl create: xl is ended on dom0, and xl list says whether the guest exists', async () => {
    const file = `${rig.guestDir}/stopped-create.cfg`;
    await upload({ [file]: guestConfig(name, 'pv', 'stopped-create') });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const error = await rejection(runXl(xl.create(file), options({ signal: controller.signal, timeoutMs: 120_000 })));
    assert.equal(error.kind, 'cancelled');
    assert.ok(error.remoteStop === 'ended' || error.remoteStop === 'killed' || error.remoteStop === 'gone', error.message);
    // No `xl create` left running in dom0 (xl's own daemonised monitor of a created guest is
    // `xl create` too, but in its own session, and only exists when the guest does).
    const domains = await runXl(xl.list(), options());
    const outcome = stoppedCreateOutcome(name, domains);
    const creates = await remoteProcesses(`create -f ${file}`);
    console.log(`after the cancelled create: ${outcome} Remote xl create processes: ${JSON.stringify(creates)}`);
    if (domains.some((domain) => domain.name === name)) assert.match(outcome, /was created anyway and is/);
    else {
      assert.equal(outcome, `No guest "${name}" was created.`);
      assert.deepEqual(creates, []);
    }
  });
});
