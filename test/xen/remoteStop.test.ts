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

/**
 * A dom0 script that waits (up to 20 s, polling every 20 ms) for a process whose command line
 * contains `marker` and is not a shell or this watcher, stops it with SIGSTOP and prints its pid;
 * it exits 1 if none showed.
 */
function freezeWhenSeen(marker: string): string {
  const pattern = marker.replace(/[\\/.^$*+?()[\]{}|]/g, '\\$&');
  const find = `ps -o pid,args | awk '/${pattern}/ && !/awk/ && !/sh -c/ { print $1; exit }'`;
  return `i=0; while [ $i -lt 1000 ]; do p=$(${find}); if [ -n "$p" ]; then kill -STOP "$p" && echo "$p" && exit 0; fi; i=$((i+1)); sleep 0.02; done; echo "no process matching ${marker} showed" >&2; exit 1`;
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
    // A PV create takes about a second under TCG, so a cancel on a timer may come after it is done
    // (CI saw that). Instead a watcher in dom0 freezes the xl create (SIGSTOP) as soon as it
    // shows, and the cancel comes then: the call is always stopped while xl is at work.
    for (let attempt = 1; ; attempt++) {
      const watcher = dom0(freezeWhenSeen(`xl create -f ${file}`), { timeoutMs: 40_000 });
      const controller = new AbortController();
      const call = runXl(xl.create(file), options({ signal: controller.signal, timeoutMs: 120_000 }));
      const frozen = await watcher;
      if (frozen.status !== 0) {
        // The create was over before the watcher saw it: let it settle, remove the guest, try again.
        await call.catch(() => undefined);
        await dom0(`xl destroy -- ${name} 2>/dev/null; true`, { timeoutMs: 30_000 });
        assert.ok(attempt < 3, `xl create finished before it could be frozen, ${attempt} times: ${frozen.stderr}`);
        continue;
      }
      controller.abort();
      const error = await rejection(call);
      assert.equal(error.kind, 'cancelled');
      // A stopped xl ignores SIGTERM until it is killed.
      assert.equal(error.remoteStop, 'killed', error.message);
      // No `xl create` left running in dom0 (xl's own daemonised monitor of a created guest is
      // `xl create` too, but in its own session, and only exists when the guest does).
      const domains = await runXl(xl.list(), options());
      const outcome = stoppedCreateOutcome(name, domains);
      const creates = await remoteProcesses(`create -f ${file}`);
      console.log(`after the cancelled create (xl frozen as pid ${frozen.stdout.trim()}): ${outcome} Remote xl create processes: ${JSON.stringify(creates)}`);
      if (domains.some((domain) => domain.name === name)) assert.match(outcome, /was created anyway and is/);
      else {
        assert.equal(outcome, `No guest "${name}" was created.`);
        assert.deepEqual(creates, []);
      }
      return;
    }
  });
});
