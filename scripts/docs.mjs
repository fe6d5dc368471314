// `npm run docs`: writes the generated reference, docs/rules.md (from the rule table in
// server/src/analysis/rules.ts), docs/keys.md (from the key catalogue) and docs/xl-conf.md (from the
// xl.conf catalogue), rendered by scripts/docsReference.ts. `--check` writes nothing and exits 1 when a committed file is stale;
// the unit test test/unit/docs/reference.test.ts makes the same comparison in `npm test`.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

// The renderer is TypeScript that imports the server's tables: bundle it to a temporary module.
const scratch = mkdtempSync(join(tmpdir(), 'xen-xl-docs-'));
try {
  const outfile = join(scratch, 'reference.mjs');
  await build({ entryPoints: [join(root, 'scripts/docsReference.ts')], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
  const { renderRules, renderKeys, renderXlConf } = await import(pathToFileURL(outfile).href);
  const outputs = [
    ['docs/rules.md', renderRules()],
    ['docs/keys.md', renderKeys()],
    ['docs/xl-conf.md', renderXlConf()],
  ];
  let stale = 0;
  for (const [path, text] of outputs) {
    const target = join(root, path);
    let previous;
    try {
      previous = readFileSync(target, 'utf8');
    } catch {
      previous = undefined;
    }
    if (previous === text) {
      console.log(`${path} is up to date`);
    } else if (check) {
      console.log(`${path} is stale: run \`npm run docs\``);
      stale++;
    } else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      console.log(`wrote ${path}`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
