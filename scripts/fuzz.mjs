// `npm run fuzz -- --seconds N [--seed S] [--inputs N] [--specs] [--replay]`: builds the mutation fuzzer
// (test/fuzz/fuzz.ts) and runs it. Crashes land in test/fuzz-crashes/.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
await esbuild.build({
  entryPoints: [resolve(root, 'test/fuzz/fuzz.ts')],
  outfile: resolve(root, 'out/fuzz/fuzz.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
// --single-threaded-gc: the time-bound oracle counts the process's CPU time, and collector work
// done in parallel on helper threads would be counted once per thread. The young generation is
// the size the extension gives the server (client/src/languageClient.ts).
const run = spawnSync(process.execPath, ['--max-semi-space-size=16', '--single-threaded-gc', resolve(root, 'out/fuzz/fuzz.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env: { ...process.env, XEN_XL_ROOT: root } });
process.exit(run.status ?? 1);
