// What reaches dom0 is exactly what the user gave: hostile domain names and config paths pass
// through ssh and the remote shell verbatim. And sudo mode against real sudo 1.9 in dom0: a
// NOPASSWD rule for xl works, no rights gives the clear error, no sudo at all is "not root".

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runXl, xl, XlError, type XlErrorKind } from '../../client/src/xl';
import { dom0, dom0Ok, guestConfig, options, rig, runLogged, skipReason, sq, upload, waitFor } from './helpers';

/** Starts with `-`, has spaces, quotes, globs and every kind of shell substitution. */
const HOSTILE_NAME = "-x $(touch pwned-dollar) ;touch pwned-semi; 'q' `touch pwned-tick` & | > < *";
const HOSTILE_DIR = '/tmp/xen-xl-test/hostile $(touch pwned-dir)';
const HOSTILE_FILE = `${HOSTILE_DIR}/a;touch pwned-file;'b' \`touch pwned-file-tick\`.cfg`;

/** Files named pwned-* anywhere a remote shell could have created them (home, /, /tmp). */
async function pwnedFiles(): Promise<string> {
  // / and /root are the initramfs; /tmp and /run are tmpfs mounts of their own.
  return (await dom0Ok('find / /tmp /run -xdev -name "pwned-*" 2>/dev/null | sort -u; true')).trim();
}

describe('real Xen: hostile names and paths', { skip: skipReason }, () => {
  after(async () => {
    if (!skipReason) await dom0(`xl destroy -- ${sq(HOSTILE_NAME)} 2>/dev/null; true`);
  });

  test('a hostile name in a hostile path: created with that exact name, nothing else runs', async () => {
    const config = guestConfig('placeholder', 'pv', 'hostile').replace('name = "placeholder"', `name = "${HOSTILE_NAME}"`);
    await upload({ [HOSTILE_FILE]: config });
    assert.equal(await pwnedFiles(), '');

    // Paused: the domain is built (name registered, kernel loaded) but does not need to boot.
    const created = await runLogged(xl.create(HOSTILE_FILE, { paused: true }), { timeoutMs: 120_000 });
    if (created.error) {
      // Also acceptable: xl itself refuses the name. Then it must be xl's refusal, not a shell error.
      assert.equal(created.error.kind, 'failed', created.error.message);
      assert.doesNotMatch(created.entry.stderr, /not found|syntax error|unexpected/i, created.entry.stderr);
      console.log(`xl refused the hostile name: ${created.error.message}`);
    } else {
      const domains = await runXl(xl.list(), options());
      const domain = domains.find((d) => d.name === HOSTILE_NAME);
      assert.ok(domain, `listed with its exact name: ${JSON.stringify(domains.map((d) => d.name))}`);
      assert.equal(domain.state, 'paused');
      const [details] = await runXl(xl.listLong(HOSTILE_NAME), options());
      assert.equal(details.name, HOSTILE_NAME);
      console.log(`created and listed as ${JSON.stringify(domain.name)} (domid ${domain.id})`);
      await runXl(xl.destroy(HOSTILE_NAME), options());
      await waitFor('the hostile domain to go', async () => ((await runXl(xl.list(), options())).some((d) => d.name === HOSTILE_NAME) ? undefined : true), 15_000);
    }
    assert.equal(await pwnedFiles(), '', 'no shell in the chain ran any part of the name or path');
    assert.equal((await dom0Ok(`test -f ${sq(HOSTILE_FILE)} && echo kept`)).trim(), 'kept');
  });

  test('a hostile name that is not a domain: xl says so, nothing runs', async () => {
    const error = await runXl(xl.shutdown('$(touch pwned-shutdown)'), options()).then(
      () => assert.fail('shutdown of a missing domain succeeded'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof XlError);
    assert.equal(error.kind, 'failed');
    assert.match(error.detail, /\$\(touch pwned-shutdown\) is an invalid domain identifier/);
    assert.equal(await pwnedFiles(), '');
  });
});

async function kindOf(promise: Promise<unknown>): Promise<{ kind: XlErrorKind; error: XlError }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof XlError, String(error));
    return { kind: error.kind, error };
  }
  assert.fail('expected the call to fail');
}

describe('real Xen: sudo mode with real sudo in dom0', { skip: skipReason }, () => {
  const as = (user: string): { target: { kind: 'ssh'; destination: string; controlDir: string } } => ({
    target: { kind: 'ssh', destination: `${user}@${rig.host}`, controlDir: rig.controlDir },
  });

  test('the rig: users, sudo and its rules are what these tests assume', async () => {
    const out = await dom0Ok('sudo -V | head -1; ls -l /usr/bin/sudo; sudo -l -U xenadmin; id xenuser');
    assert.match(out, /Sudo version 1\.9/);
    assert.match(out, /^-rws/m);
    assert.match(out, /NOPASSWD: \/usr\/sbin\/xl/);
  });

  test('NOPASSWD rule for xl: sudo "always" and "auto" run xl as root', async () => {
    for (const sudo of ['always', 'auto'] as const) {
      const domains = await runXl(xl.list(), options({ ...as('xenadmin'), sudo }));
      assert.ok(domains.some((d) => d.name === 'Domain-0'), sudo);
    }
    const info = await runXl(xl.info(), options({ ...as('xenadmin'), sudo: 'always' }));
    assert.ok((info.xenVersion ?? '').startsWith(`${rig.xenVersion}.`), `xl info says Xen ${info.xenVersion}, the rig boots ${rig.xenVersion}`);
  });

  test('root with sudo "auto" runs xl directly (no sudo involved)', async () => {
    let commandLine = '';
    await runXl(xl.list(), options({ sudo: 'auto', log: (e) => (commandLine = e.commandLine) }));
    assert.match(commandLine, /id -u/);
  });

  test('no sudo rights: the clear error (sudo would need a password), never a prompt', async () => {
    const { kind, error } = await kindOf(runXl(xl.list(), options({ ...as('xenuser'), sudo: 'auto', timeoutMs: 30_000 })));
    assert.equal(kind, 'sudo-password', error.message);
    assert.match(error.message, /sudoers/);
    assert.match(error.detail, /sudo: a password is required/);
  });

  test('sudo rights that need a password: the same clear error', async () => {
    const { kind, error } = await kindOf(runXl(xl.list(), options({ ...as('xenpw'), sudo: 'always', timeoutMs: 30_000 })));
    assert.equal(kind, 'sudo-password', error.message);
  });

  test('a non-root user without sudo: "not root" (xl is denied the hypervisor)', async () => {
    const { kind, error } = await kindOf(runXl(xl.list(), options({ ...as('xenadmin'), sudo: 'never', xlPath: '/usr/sbin/xl' })));
    assert.equal(kind, 'not-root', error.message);
    assert.match(error.detail, /Permission denied/);
  });

  test('a non-root user without sudo and plain `xl`: not on that user\'s PATH, as on Debian', async () => {
    const { kind, error } = await kindOf(runXl(xl.list(), options({ ...as('xenadmin'), sudo: 'never' })));
    assert.equal(kind, 'not-found', error.message);
  });

  test('an unknown user: an ssh error, not an xl one', async () => {
    const { kind, error } = await kindOf(runXl(xl.list(), options({ ...as('nobody-here'), sudo: 'never', timeoutMs: 30_000 })));
    assert.equal(kind, 'ssh', error.message);
  });
});
