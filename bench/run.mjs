// `npm run bench`: builds the server and the benchmark, then runs it. Arguments pass through
// (`--quick` for a shorter run, `--package` to rebuild the VSIX first, `--relay-only` for the
// console relay alone). `--console` runs bench/console.mjs instead: the graphical console in
// code-server (a full-screen update reaching the canvas).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
if (process.argv.includes('--console')) {
  const measured = spawnSync(process.execPath, [resolve(root, 'bench/console.mjs'), ...process.argv.slice(2).filter((arg) => arg !== '--console')], { cwd: root, stdio: 'inherit' });
  process.exit(measured.status ?? 1);
}
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
await esbuild.build({
  entryPoints: [resolve(root, 'bench/bench.ts')],
  outfile: resolve(root, 'out/bench/bench.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  // The sidebar state imports `vscode` for its event emitter only; the bench runs under plain Node.
  alias: { vscode: resolve(root, 'bench/vscodeShim.ts') },
});
const run = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=16', resolve(root, 'out/bench/bench.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
