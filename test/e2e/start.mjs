#!/usr/bin/env node
// `npm start`: builds the extension (the VSIX, as `npm run package` does), installs it into a
// throwaway extensions dir and opens it in code-server (VS Code in the browser) on examples/.
// Prints the URL and stays up until Ctrl-C; then code-server and its temp dirs are removed.
//
//   npm start                      examples/ on a free port
//   npm start -- /etc/xen          another folder
//   PORT=8080 npm start            a fixed port
//
// code-server and Node 24 are installed on first use into node_modules/.cache/xen-xl-e2e (see
// test/e2e/lib/toolchain.mjs); nothing is added to the project's dependencies.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { installExtension, startCodeServer } from './lib/codeServer.mjs';
import { cleanupAll, installSignalHandlers, log, makeTempDir, run, shuttingDown } from './lib/processes.mjs';
import { ensureToolchain, ROOT } from './lib/toolchain.mjs';

installSignalHandlers();
const folder = resolve(process.argv[2] ?? join(ROOT, 'examples'));
if (!existsSync(folder)) {
  console.error(`npm start: ${folder} does not exist`);
  process.exit(2);
}

try {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const toolchain = await ensureToolchain({ browser: false });
  log('building the VSIX (npm run package)');
  // See run.mjs for the extra vsce flag.
  await run('npm run package', 'npm', ['run', 'package', '--', '--no-rewrite-relative-links'], { cwd: ROOT, timeoutMs: 4 * 60_000 });
  const vsix = join(ROOT, `${manifest.name}-${manifest.version}.vsix`);
  const extensionsDir = makeTempDir('xen-xl-start-extensions-');
  const installed = await installExtension(toolchain, vsix, extensionsDir, `${manifest.publisher}.${manifest.name}`);
  log(`installed ${manifest.publisher}.${manifest.name}@${installed.version}`);
  const server = await startCodeServer(toolchain, {
    name: 'start',
    workspace: folder,
    extensionsDir,
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
  });
  const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  console.log(`\n  xen-xl is running in code-server:\n\n    ${url}\n\n  Open it in a browser (from another machine: ssh -L ${server.port}:127.0.0.1:${server.port} this-host). Ctrl-C stops it.\n  code-server's log: ${server.profile.log}\n`);
  const code = await server.exited;
  // After Ctrl-C the signal handler is stopping everything and exits by itself.
  if (shuttingDown()) await new Promise(() => {});
  console.error(`code-server exited (${code}); its log:\n${server.logTail()}`);
  await cleanupAll();
  process.exit(1);
} catch (error) {
  console.error(`\nnpm start: ${error instanceof Error ? error.message : String(error)}`);
  await cleanupAll();
  process.exit(1);
}
