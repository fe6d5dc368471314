// Missing host paths over the protocol (rule xl.missing-path): the built server, given a fake host
// root with XEN_XL_HOST_ROOT, looks for a config's paths there after it has published the other
// diagnostics, and publishes again with the missing ones. With `xen.checkHostPaths` on `auto` it
// does so only on a Xen control domain (`proc/xen/capabilities` says `control_d`).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lspClient';

const GUEST = [
  'name = "web01"',
  'type = "pvh"',
  'kernel = "/boot/vmlinuz-gone"',
  'disk = [ "phy:/dev/xenvg/no-such-volume,xvda,w", "format=raw,vdev=xvdb,target=/dev/xenvg/web01-data", ",raw,xvdc:cdrom,r" ]',
  'memory = 512',
  '',
].join('\n');

/** The missing-path diagnostics as `line:start-end severity message`. */
function rows(published: PublishDiagnosticsParams): string[] {
  return published.diagnostics
    .filter((diagnostic) => diagnostic.code === 'xl.missing-path')
    .map((diagnostic) => `${diagnostic.range.start.line}:${diagnostic.range.start.character}-${diagnostic.range.end.character} ${diagnostic.severity} ${typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value}`);
}

const KERNEL_ROW = '2:10-28 2 `/boot/vmlinuz-gone` does not exist on this host: xl cannot load the kernel, and `xl create` fails';
const DISK_ROW = '3:14-39 2 `/dev/xenvg/no-such-volume` does not exist on this host: `xl create` fails to attach this disk';

/** A folder standing for a host's `/`: an LVM volume (a file stands for the device), and `capabilities` when given. */
function fakeHost(capabilities: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'xen-host-root-'));
  mkdirSync(join(root, 'dev/xenvg'), { recursive: true });
  writeFileSync(join(root, 'dev/xenvg/web01-data'), '');
  mkdirSync(join(root, 'boot'));
  writeFileSync(join(root, 'boot/vmlinuz-6.1'), '');
  if (capabilities !== undefined) {
    mkdirSync(join(root, 'proc/xen'), { recursive: true });
    writeFileSync(join(root, 'proc/xen/capabilities'), capabilities);
  }
  return root;
}

function setting(client: LspClient, value: string): Promise<void> {
  return client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { xen: { checkHostPaths: value } } });
}

// A bound on each suite, since a publish or log line that never comes would otherwise wait forever.
describe('missing host paths on a Xen control domain', { timeout: 30_000 }, () => {
  const uri = 'file:///etc/xen/web01.cfg';
  let root: string;
  let client: LspClient;

  before(async () => {
    root = fakeHost('control_d\n');
    client = new LspClient({ env: { ...process.env, XEN_XL_HOST_ROOT: root } });
    // The server says once that it found a control domain; the test opens documents after that.
    const detected = new Promise<void>((resolve) => {
      client.connection.onNotification('window/logMessage', (params: { message: string }) => {
        if (params.message.includes('Xen control domain')) resolve();
      });
    });
    await client.initialize();
    await detected;
  }, { timeout: 20_000 });
  after(async () => {
    await client.shutdown();
    assert.equal(client.exitCode, 0);
    rmSync(root, { recursive: true, force: true });
  });

  test('the other diagnostics first, then again with the missing kernel and disk', async () => {
    const first = client.nextDiagnostics(uri, 1);
    const second = client.nextDiagnostics(uri, 1);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xl', version: 1, text: GUEST } });
    assert.deepEqual(rows(await first), []);
    const published = await second;
    assert.deepEqual(rows(published), [KERNEL_ROW, DISK_ROW]);
    // Nothing else: the existing volume, the empty CD drive and the guest's other settings are fine.
    assert.equal(published.diagnostics.length, 2);
  });

  test('after a change, a path known missing is flagged at once, a fixed one is not', async () => {
    const published = await client.replace(uri, GUEST.replace('no-such-volume', 'web01-data'), 2);
    assert.deepEqual(rows(published), [KERNEL_ROW]);
  });

  test('xen.checkHostPaths: never drops the warnings, always brings them back', async () => {
    let next = client.nextDiagnostics(uri, 2);
    await setting(client, 'never');
    assert.deepEqual(rows(await next), []);
    next = client.nextDiagnostics(uri, 2);
    await setting(client, 'always');
    assert.deepEqual(rows(await next), [KERNEL_ROW]);
  });
});

describe('missing host paths elsewhere', { timeout: 30_000 }, () => {
  const uri = 'file:///home/me/web01.cfg';
  let root: string;
  let client: LspClient;

  before(async () => {
    // A machine without Xen: no proc/xen.
    root = fakeHost(undefined);
    client = new LspClient({ env: { ...process.env, XEN_XL_HOST_ROOT: root } });
    await client.initialize();
  });
  after(async () => {
    await client.shutdown();
    assert.equal(client.exitCode, 0);
    rmSync(root, { recursive: true, force: true });
  });

  test('auto: no host paths are looked for; always: they are', async () => {
    assert.deepEqual(rows(await client.open(uri, GUEST)), []);
    // Had `auto` looked, the server would know the answers, and the first diagnostics after the
    // setting changes would carry them already.
    const first = client.nextDiagnostics(uri, 1);
    const second = client.nextDiagnostics(uri, 1);
    await setting(client, 'always');
    assert.deepEqual(rows(await first), []);
    assert.deepEqual(rows(await second), [KERNEL_ROW, DISK_ROW]);
  });
});
