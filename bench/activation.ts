// Startup figures come from the extension-host suite in code-server (test/integration/
// activation.test.ts writes test-results/e2e/activation.json). The benchmark uses them only when
// they were measured on this very build: the same commit and the same bundle bytes as the VSIX the
// benchmark has just packaged. Anything else is reported as not measured, never as a figure.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The bundles whose digests identify a build. */
export const BUNDLES = ['dist/extension.js', 'dist/server.js'] as const;

export interface BuildIdentity {
  /** `git rev-parse HEAD`, or undefined when it could not be read. */
  commit: string | undefined;
  /** sha256 (hex) of each of BUNDLES. */
  bundles: Record<string, string>;
}

export interface StartupFigures {
  /** Running the top-level code of dist/extension.js, first statement to last. */
  bundleEvaluationMs: number;
  /** From the bundle's last statement until the extension host called activate(). */
  waitBeforeActivateMs: number;
  /** activate() alone. */
  activateMs: number;
  /** From the first statement of dist/extension.js to the end of activate(). */
  bundleToActivateEndMs: number;
  /** From the first statement of dist/extension.js to the language server's `initialize` answer. */
  bundleToServerAnswerMs: number;
  /** When the e2e run recorded them. */
  at: string;
  commit: string;
}

export type StartupReading = { figures: StartupFigures } | { notMeasured: string };

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function buildIdentity(root: string, commit: string | undefined): BuildIdentity {
  return { commit, bundles: Object.fromEntries(BUNDLES.map((bundle) => [bundle, sha256File(join(root, bundle))])) };
}

const DURATIONS = ['bundleEvaluationMs', 'waitBeforeActivateMs', 'activateMs', 'bundleToActivateEndMs', 'bundleToServerAnswerMs'];
const isDuration = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Accepts the recorded startup figures (`text`, the file's content, undefined when there is no file)
 * only if they belong to `current`; otherwise says why they are not used.
 */
export function readStartupFigures(text: string | undefined, current: BuildIdentity): StartupReading {
  const rerun = 'run `npm run test:e2e -- --only extension-host` on this build first';
  if (text === undefined) return { notMeasured: `not measured in this run: no test-results/e2e/activation.json (${rerun})` };
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { notMeasured: 'not measured in this run: activation.json is not a JSON object' };
    record = parsed as Record<string, unknown>;
  } catch (error) {
    return { notMeasured: `not measured in this run: activation.json is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (current.commit === undefined) return { notMeasured: 'not measured in this run: the current commit is unknown (git rev-parse HEAD failed)' };
  if (typeof record.commit !== 'string') return { notMeasured: `not measured in this run: activation.json names no commit (${rerun})` };
  if (record.commit !== current.commit) return { notMeasured: `not measured in this run: activation.json is from commit ${record.commit.slice(0, 10)}, this is ${current.commit.slice(0, 10)} (${rerun})` };
  const bundles = record.bundles as Record<string, unknown> | undefined;
  const differing = BUNDLES.filter((bundle) => typeof bundles !== 'object' || bundles === null || bundles[bundle] !== current.bundles[bundle]);
  if (differing.length > 0) return { notMeasured: `not measured in this run: ${differing.join(' and ')} differ from the build activation.json measured (uncommitted changes?; ${rerun})` };
  const { bundleEvaluationMs, waitBeforeActivateMs, activateMs, bundleToActivateEndMs, bundleToServerAnswerMs } = record;
  if (![bundleEvaluationMs, waitBeforeActivateMs, activateMs, bundleToActivateEndMs, bundleToServerAnswerMs].every(isDuration)) {
    return { notMeasured: `not measured in this run: activation.json lacks one of ${DURATIONS.join(', ')}` };
  }
  return {
    figures: {
      bundleEvaluationMs: bundleEvaluationMs as number,
      waitBeforeActivateMs: waitBeforeActivateMs as number,
      activateMs: activateMs as number,
      bundleToActivateEndMs: bundleToActivateEndMs as number,
      bundleToServerAnswerMs: bundleToServerAnswerMs as number,
      at: typeof record.at === 'string' ? record.at : 'unknown',
      commit: record.commit,
    },
  };
}
