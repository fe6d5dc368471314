// Bundles the extension, the language server and the CLI with esbuild.
//   node scripts/build.mjs               development build with source maps
//   node scripts/build.mjs --production  minified, no source maps (used by `npm run package`)
//   node scripts/build.mjs --watch       rebuild on change
//   node scripts/build.mjs --tests       also bundle test/**/*.test.ts to out/test (used by `npm test`;
//                                        the test/xen bundles are run by test/xen/run.mjs, not `npm test`)
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
};

const products = [
  // The banner is the bundle's first statement and the footer its last: they note when the
  // extension host began and finished running the file, so activate() can report startup from
  // there (client/src/extension.ts). The banner repeats "use strict", which esbuild would
  // otherwise emit after it, where it is no directive.
  {
    entryPoints: { extension: 'client/src/extension.ts' },
    outdir: 'dist',
    banner: { js: '"use strict";var __xenXlBundleStart=typeof performance==="object"?performance.now():undefined;' },
    footer: { js: 'var __xenXlBundleEnd=typeof performance==="object"?performance.now():undefined;' },
  },
  { entryPoints: { server: 'server/src/server.ts' }, outdir: 'dist' },
  { entryPoints: { cli: 'server/src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // The graphical console's webview (noVNC and our UI): loaded by the console panel only, never by
  // the extension host. noVNC 1.7 is ES modules with a top-level await, hence ESM for a modern
  // browser target. Its license comments carry no esbuild legal-comment marker; the notices file
  // below stands in for them.
  {
    entryPoints: { console: 'client/src/console/webview/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    external: [],
    tsconfig: 'tsconfig.webview.json',
  },
  { entryPoints: { console: 'client/src/console/webview/console.css' }, outdir: 'dist/webview', platform: 'browser', format: undefined, target: 'chrome114', external: [] },
  // The Host Dashboard's webview: our code only, loaded by the dashboard panel.
  {
    entryPoints: { dashboard: 'client/src/dashboard/webview/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    external: [],
    tsconfig: 'tsconfig.webview.json',
  },
  { entryPoints: { dashboard: 'client/src/dashboard/webview/dashboard.css' }, outdir: 'dist/webview', platform: 'browser', format: undefined, target: 'chrome114', external: [] },
];

/**
 * dist/webview/THIRD-PARTY-NOTICES.txt: our notice (client/src/console/webview/third-party-notices.txt,
 * with the installed noVNC version filled in), then the license texts that the bundled code's
 * licenses ask binary copies to carry, copied from the installed package.
 */
function writeWebviewNotices() {
  const novnc = 'node_modules/@novnc/novnc';
  const { version } = JSON.parse(readFileSync(join(novnc, 'package.json'), 'utf8'));
  const ours = readFileSync('client/src/console/webview/third-party-notices.txt', 'utf8').replaceAll('{{NOVNC_VERSION}}', version);
  const desSource = readFileSync(join(novnc, 'core/crypto/des.js'), 'utf8');
  const desHeader = /^\/\*[\s\S]*?\*\//.exec(desSource)?.[0];
  if (!desHeader) throw new Error(`${novnc}/core/crypto/des.js no longer starts with its license comment`);
  const parts = [
    ours,
    ['noVNC LICENSE.txt', readFileSync(join(novnc, 'LICENSE.txt'), 'utf8')],
    ['Mozilla Public License 2.0 (noVNC docs/LICENSE.MPL-2.0)', readFileSync(join(novnc, 'docs/LICENSE.MPL-2.0'), 'utf8')],
    ['pako (noVNC vendor/pako/LICENSE)', readFileSync(join(novnc, 'vendor/pako/LICENSE'), 'utf8')],
    ['DES (the header of noVNC core/crypto/des.js)', desHeader],
  ];
  const text = parts.map((part) => (typeof part === 'string' ? part : `\n${'-'.repeat(99)}\n${part[0]}\n${'-'.repeat(99)}\n\n${part[1].trimEnd()}\n`)).join('');
  mkdirSync('dist/webview', { recursive: true });
  writeFileSync('dist/webview/THIRD-PARTY-NOTICES.txt', text);
}

/** Every `*.test.ts` below a folder, as an esbuild entry map keyed by its path without extension. */
function testEntries(root) {
  const entries = {};
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.test.ts')) entries[relative('test', path).replace(/\.ts$/, '')] = path;
    }
  };
  if (existsSync(root)) walk(root);
  return entries;
}

if (tests) {
  rmSync('out/test', { recursive: true, force: true });
  products.push({ entryPoints: { ...testEntries('test/unit'), ...testEntries('test/protocol'), ...testEntries('test/qemu'), ...testEntries('test/xen') }, outdir: 'out/test' });
  // The extension-host suite runs inside VS Code: `vscode` comes from the host, mocha from node_modules.
  const integration = { ...testEntries('test/integration'), 'integration/index': 'test/integration/index.ts' };
  products.push({ entryPoints: integration, outdir: 'out/test', external: ['vscode', 'mocha'] });
  // The workbench-on-Xen suite (test/e2e/xen/suite), run inside code-server by test/e2e/xen/harness.mjs.
  const workbenchOnXen = { ...testEntries('test/e2e/xen/suite'), 'e2e/xen/suite/index': 'test/e2e/xen/suite/index.ts' };
  products.push({ entryPoints: workbenchOnXen, outdir: 'out/test', external: ['vscode', 'mocha'] });
}

writeWebviewNotices();

if (watch) {
  for (const product of products) {
    const ctx = await esbuild.context({ ...common, ...product });
    await ctx.watch();
  }
  console.log('[build] watching for changes');
} else {
  await Promise.all(products.map((product) => esbuild.build({ ...common, ...product })));
  console.log(`[build] ${production ? 'production' : 'development'} build done`);
}
