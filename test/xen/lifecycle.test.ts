// Our xl runner (ssh-host mode) against a real Xen 4.17 dom0: host queries, then the life of a
// PV and a PVH guest: start, running in the parsed list, console, shutdown, create + destroy.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { buildTerminalArgv, quoteForRemoteShell, runXl, xl, type Domain } from '../../client/src/xl';
import { dom0, dom0Ok, guestConfig, options, rig, skipReason, upload, waitFor } from './helpers';

const LIVE_STATES = new Set<Domain['state']>(['running', 'blocked', 'idle']);

async function listed(name: string): Promise<Domain | undefined> {
  return (await runXl(xl.list(), options())).find((d) => d.name === name);
}

/**
 * Waits until neither the name nor the domid is listed: while a domain dies, xl list can show it
 * as `(null)` for a moment, and its name stays taken until then.
 */
async function gone(name: string, id: number | undefined, timeoutMs: number): Promise<void> {
  await waitFor(
    `${name} to leave xl list`,
    async () => ((await runXl(xl.list(), options())).some((d) => d.name === name || d.id === id) ? undefined : true),
    timeoutMs,
  );
}

/**
 * Opens the guest console exactly as the extension's terminal would (buildTerminalArgv: `ssh -t
 * ... xl console`), inside a local pseudo-terminal (`script`), waits for `pattern`, then detaches
 * with xenconsole's escape Ctrl-]. Returns what the console showed and the exit status.
 */
function readConsole(name: string, pattern: RegExp, timeoutMs: number): Promise<{ text: string; status: number | null; detached: boolean }> {
  const argv = buildTerminalArgv(options(), xl.console(name));
  assert.equal(argv[0], rig.ssh);
  assert.ok(argv.includes('-t'), 'the terminal argv asks ssh for a tty');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', quoteForRemoteShell(argv), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let text = '';
    let detached = false;
    const kill = (): void => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    };
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`console of ${name} did not show ${pattern} within ${timeoutMs / 1000} s; it showed:\n${text.slice(-2000)}`));
    }, timeoutMs);
    const onData = (data: Buffer): void => {
      text += data.toString('utf8');
      if (!detached && pattern.test(text.replace(/\r/g, ''))) {
        detached = true;
        child.stdin.write('\x1d'); // Ctrl-]: xenconsole's escape character
        setTimeout(kill, 10_000).unref(); // if the escape did not work, the exit status shows it
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ text: text.replace(/\r/g, ''), status, detached });
    });
  });
}

describe('real Xen: the host', { skip: skipReason }, () => {
  test('xl list shows Domain-0 (our parser, over ssh)', async () => {
    const domains = await runXl(xl.list(), options());
    const dom0Row = domains.find((d) => d.id === 0);
    assert.ok(dom0Row, JSON.stringify(domains));
    assert.equal(dom0Row.name, 'Domain-0');
    assert.ok(dom0Row.memoryMiB > 0);
    assert.ok(dom0Row.vcpus >= 1);
    assert.ok(LIVE_STATES.has(dom0Row.state), dom0Row.flags);
  });

  test('the real xl info parses', async () => {
    const info = await runXl(xl.info(), options());
    assert.match(info.xenVersion ?? '', new RegExp(`^${rig.xenVersion.replace('.', '\\.')}\\.\\d+`));
    assert.ok(info.virtCaps.includes('pv'), info.virtCaps.join(' '));
    assert.ok(info.virtCaps.includes('hvm'), 'TCG emulates SVM, so Xen offers HVM');
    assert.ok((info.nrCpus ?? 0) >= 1, `nr_cpus ${info.nrCpus}`);
    // Dom0 and Xen itself hold memory, so less than the total is free; both are read as numbers.
    assert.ok((info.totalMemoryMiB ?? 0) > 0, `total_memory ${info.totalMemoryMiB}`);
    assert.ok(info.freeMemoryMiB !== undefined && info.freeMemoryMiB >= 0 && info.freeMemoryMiB < info.totalMemoryMiB!, `free_memory ${info.freeMemoryMiB} of ${info.totalMemoryMiB}`);
    assert.ok(info.xenCaps.some((c) => c.startsWith('xen-3.0-x86_64')), info.xenCaps.join(' '));
    assert.equal(info.machine, 'x86_64');
    assert.match(info.xenScheduler ?? '', /^(credit|credit2|rtds|arinc653|null)$/, 'xen_scheduler names one of Xen\'s schedulers');
    assert.equal(info.raw.xend_config_format, '4');
  });

  test('xl list -l parses: each entry is a listed domain under its name, every guest has one', async () => {
    const [details, domains] = await Promise.all([runXl(xl.listLong(), options()), runXl(xl.list(), options())]);
    // Domain-0 appears only where xen-init-dom0 stored a configuration for it; then as itself.
    // Each guest xl list shows has its stored configuration, unless it is dying (that goes first).
    const shown = JSON.stringify({ details: details.map((entry) => [entry.domid, entry.name]), domains });
    for (const entry of details) assert.equal(domains.find((domain) => domain.id === entry.domid)?.name, entry.name, shown);
    for (const guest of domains.filter((domain) => domain.id !== 0 && domain.state !== 'dying')) {
      assert.ok(details.some((entry) => entry.domid === guest.id), `no stored configuration for ${guest.name}: ${shown}`);
    }
  });
});

// The PV and the PVH guest go through their steps side by side, each one's steps in order
// (`concurrency` is inherited, hence the explicit 1): under TCG a guest start is mostly dom0 CPU
// time, and dom0 has two vCPUs.
describe('real Xen: guests', { skip: skipReason, concurrency: 2 }, () => {
  for (const type of ['pv', 'pvh'] as const) {
    describe(`a ${type.toUpperCase()} guest`, { concurrency: 1 }, () => {
      const name = `xen-xl-${type}`;
      const tag = `${type}-${process.pid}`;
      const file = `/tmp/xen-xl-test/${name}.cfg`;
      let domid: number | undefined;

      after(async () => {
        if (!skipReason) await dom0(`xl destroy -- ${name} 2>/dev/null; true`, { timeoutMs: 30_000 });
      });

      test('Start guest: xl create, then it is running in the parsed list', async () => {
        await upload({ [file]: guestConfig(name, type, tag) });
        await runXl(xl.create(file), options({ timeoutMs: 120_000 }));
        let domain = await listed(name);
        assert.ok(domain, `${name} is listed after create`);
        if (!LIVE_STATES.has(domain.state)) {
          // The TCG triple fault of the console test below can come this early: the guest is
          // listed as shut down, for a reboot, and xl restarts it. Follow it to its new domid.
          const first = domain;
          const live = await waitFor(`${name} to run again`, async () => {
            const now = await listed(name);
            return now !== undefined && LIVE_STATES.has(now.state) ? now : undefined;
          }, 30_000).catch(() => undefined);
          if (live !== undefined) {
            console.log(`${name} (domid ${first.id}) was ${first.state} (${first.flags}) right after create; xl restarted it as domid ${live.id}`);
            domain = live;
          }
        }
        assert.ok(domain.id > 0, `domid ${domain.id}`);
        domid = domain.id;
        assert.equal(domain.name, name);
        assert.equal(domain.memoryMiB, 128);
        assert.equal(domain.vcpus, 1);
        assert.ok(LIVE_STATES.has(domain.state), `state ${domain.state} (${domain.flags})`);
        // The same triple fault can restart the guest between the two calls (CI saw `xl list -l`
        // answer "invalid domain identifier" while xl was restarting it): ask again then, for 30 s.
        const details = await waitFor(`xl list -l ${name}`, async () => (await runXl(xl.listLong(name), options()))[0], 30_000, 500);
        assert.equal(details.name, name);
        assert.equal(details.type, type);
        assert.equal(details.kernel, rig.guestKernel);
        // What xl stored from our config: the same domain, its ramdisk, command line and memory.
        if (details.domid !== domid) {
          // Restarted in between: then `xl list` must show the new domid too.
          assert.equal((await listed(name))?.id, details.domid, `${name} was restarted: xl list and xl list -l must agree on its domid`);
          console.log(`${name} was restarted by xl between xl list (domid ${domid}) and xl list -l (domid ${details.domid})`);
          domid = details.domid ?? domid;
        }
        assert.equal(details.domid, domid);
        assert.match(details.uuid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.equal(details.ramdisk, `${rig.guestDir}/initrd.gz`);
        assert.match(details.cmdline ?? '', new RegExp(`xenxl\\.tag=${tag}\\b`));
        assert.equal(details.targetMemKiB, 128 * 1024);
      });

      test('console: the guest\'s boot line is readable through the terminal argv, Ctrl-] detaches', async () => {
        const pattern = new RegExp(`XEN-XL-GUEST-UP tag=${tag}`);
        let seen = await readConsole(name, pattern, 150_000);
        // Under TCG the emulated SVM now and then makes a PVH guest triple-fault in early boot.
        // Xen turns that into a reboot request (`d<id>v0 Triple fault - invoking HVM shutdown
        // action 1`), xl restarts the guest under a new domid, and the console of the old domid
        // ends. That is the emulator, not what this test checks: follow the guest to its new domid
        // (or start it again if it is gone) and read its console again, twice at most. When the
        // guest we read is still running, the console itself failed, and so does the test.
        for (let retry = 1; !seen.detached && retry <= 2; retry++) {
          const before = domid;
          const now = await listed(name);
          if (now !== undefined && now.id === before && LIVE_STATES.has(now.state)) break;
          const restarted = await waitFor(`xl to restart ${name}`, async () => {
            const domain = await listed(name);
            return domain !== undefined && domain.id !== before && LIVE_STATES.has(domain.state) ? domain : undefined;
          }, 20_000).catch(() => undefined);
          const xenLog = (await dom0('xl dmesg')).stdout.split('\n').filter((line) => line.includes(`d${before}v0`)).slice(-2).join(' | ');
          if (restarted !== undefined) {
            domid = restarted.id;
            console.log(`${name} (domid ${before}) was restarted by xl as domid ${domid} before its boot line (Xen: ${xenLog || 'nothing logged'}); reading its console again`);
          } else {
            console.log(`${name} (domid ${before}) is gone before its boot line (Xen: ${xenLog || 'nothing logged'}); starting it again`);
            await dom0(`xl destroy -- ${name} 2>/dev/null; true`, { timeoutMs: 30_000 });
            await gone(name, before, 60_000);
            await runXl(xl.create(file), options({ timeoutMs: 120_000 }));
            domid = (await listed(name))?.id;
          }
          seen = await readConsole(name, pattern, 150_000);
        }
        assert.ok(seen.detached, `console ended (exit status ${seen.status}) without the boot line; it showed:\n${seen.text.slice(-1500)}`);
        assert.equal(seen.status, 0, `xl console exit status after Ctrl-]: ${seen.status}\n${seen.text.slice(-500)}`);
      });

      test('shutdown with wait: the guest powers off and leaves the list', async () => {
        await runXl(xl.shutdown(name, { wait: true }), options({ timeoutMs: 90_000 }));
        // After -w returns, xl's monitor still has to destroy it (on_poweroff = "destroy").
        await gone(name, domid, 30_000);
        // A clean poweroff by the guest (reason 0), not a crash: it reacted to control/shutdown.
        const monitorLog = await dom0Ok(`cat /var/log/xen/xl-${name}.log`);
        assert.match(monitorLog, new RegExp(`Domain ${domid} has shut down, reason code 0 `), monitorLog);
      });

      test('create again, then destroy: gone', async () => {
        await runXl(xl.create(file), options({ timeoutMs: 120_000 }));
        const again = await listed(name);
        assert.ok(again, `${name} is listed after the second create`);
        assert.equal(again.name, name);
        assert.ok(again.id > 0 && again.id !== domid, `a new domid (${again.id}) after ${domid}`);
        await runXl(xl.destroy(name), options());
        await gone(name, again.id, 15_000);
      });
    });
  }
});
