// The extension-host side of the code-server harness's bridge (test/e2e/lib/extensionHost.mjs):
// for what the `vscode` API cannot do (take a screenshot of the workbench, click a modal dialog,
// read files the workbench wrote), a suite logs one request line and polls for the harness's
// answer in the folder that XEN_XL_E2E_BRIDGE names. Shared by the extension-host suite
// (test/integration) and the workbench-on-Xen suite (test/e2e/xen/suite).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A console line that starts with this is a request to the harness (BRIDGE_PREFIX there). */
const BRIDGE_PREFIX = '@@XEN-XL-E2E ';

let sequence = 0;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True when the harness answers bridge requests in this window. */
export function bridgeAvailable(): boolean {
  return (process.env.XEN_XL_E2E_BRIDGE ?? '') !== '';
}

/** Asks the harness to do `op` in the page; resolves to its answer, rejects with its error. */
export async function bridge<T>(op: string, args: Record<string, unknown> = {}, timeoutMs = 90_000): Promise<T> {
  const dir = process.env.XEN_XL_E2E_BRIDGE;
  assert.ok(dir, 'XEN_XL_E2E_BRIDGE is set by the harness');
  const id = `${process.pid}-${Date.now()}-${++sequence}-${Math.random().toString(36).slice(2, 8)}`;
  console.log(`${BRIDGE_PREFIX}${JSON.stringify({ id, op, ...args })}`);
  const file = join(dir, `${id}.json`);
  const deadline = Date.now() + timeoutMs + 10_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the harness did not answer the bridge request ${op} within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
  await sleep(20); // the answer is written in one call; give it a moment to be complete
  const answer = JSON.parse(readFileSync(file, 'utf8')) as { ok: boolean; value?: T; error?: string };
  if (!answer.ok) throw new Error(`${op}: ${answer.error}`);
  return answer.value as T;
}
