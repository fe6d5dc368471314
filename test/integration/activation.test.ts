// Startup cost, measured by the extension itself: from the first statement of dist/extension.js to
// the end of activate() (running the bundle, the host's wait before it calls activate(), activate()
// itself) and to the language server's first answer. Recorded
// for `npm run bench`, tagged with the commit and the digests of the bundles this window loaded, so
// the benchmark can refuse figures that another build produced.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StartupTimes } from '../../client/src/extension';
import { ourExtension } from './helpers';

describe('activation', () => {
  it('reports how long startup took, from loading the bundle, and it is short', async () => {
    const extension = await ourExtension();
    const exports = extension.exports as { activationMs?: unknown; startup?: Promise<StartupTimes> } | undefined;
    assert.equal(typeof exports?.activationMs, 'number');
    assert.ok(exports?.startup instanceof Promise, 'activate() returns its startup figures');
    const startup = await exports.startup;
    assert.equal(startup.serverError, undefined, `the language server started: ${startup.serverError}`);
    // The VSIX is built by scripts/build.mjs, whose banner records when the bundle began to run.
    assert.equal(typeof startup.bundleToActivateEndMs, 'number', 'dist/extension.js carries the load-time banner');
    assert.equal(typeof startup.bundleEvaluationMs, 'number', 'dist/extension.js carries the load-time footer');
    assert.equal(typeof startup.waitBeforeActivateMs, 'number');
    assert.equal(typeof startup.bundleToServerAnswerMs, 'number');
    // The parts add up (each is rounded to 0.1 ms on its own).
    const parts = startup.bundleEvaluationMs! + startup.waitBeforeActivateMs! + startup.activateMs;
    assert.ok(Math.abs(parts - startup.bundleToActivateEndMs!) <= 0.3, `${parts} ≈ ${startup.bundleToActivateEndMs}`);
    assert.ok(startup.bundleToActivateEndMs! <= startup.bundleToServerAnswerMs!, 'the server answers after activate() returned');
    // Generous bounds: the targets are tracked by the benchmark, not asserted here.
    assert.ok(startup.bundleToActivateEndMs! < 2000, `activation took ${startup.bundleToActivateEndMs} ms from bundle load`);
    assert.ok(startup.bundleToServerAnswerMs! < 20_000, `the server answered ${startup.bundleToServerAnswerMs} ms after bundle load`);

    // out/test/integration → the repository, whose test-results/e2e is where the benchmark looks.
    const repository = resolve(__dirname, '../../..');
    const digest = (path: string): string => createHash('sha256').update(readFileSync(join(extension.extensionPath, path))).digest('hex');
    const record = {
      commit: headCommit(repository),
      bundles: { 'dist/extension.js': digest('dist/extension.js'), 'dist/server.js': digest('dist/server.js') },
      activateMs: startup.activateMs,
      bundleEvaluationMs: startup.bundleEvaluationMs,
      waitBeforeActivateMs: startup.waitBeforeActivateMs,
      bundleToActivateEndMs: startup.bundleToActivateEndMs,
      bundleToServerAnswerMs: startup.bundleToServerAnswerMs,
      at: new Date().toISOString(),
    };
    const folder = join(repository, 'test-results/e2e');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'activation.json'), JSON.stringify(record, null, 2) + '\n');
  });
});

/** The checked-out commit, or null outside a git checkout (the benchmark then refuses the figures). */
function headCommit(repository: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repository, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    console.log(`activation.json gets no commit: git rev-parse HEAD failed (${error instanceof Error ? error.message : String(error)})`);
    return null;
  }
}
