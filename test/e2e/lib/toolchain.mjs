// Installs, on demand, what the e2e tests need and the project's dependencies do not carry:
// Node 24 and code-server from the npm registry into a cache folder (never into package.json),
// and, on Debian as root, the chromium and libkrb5-dev packages. Every step has a hard timeout.
//
// Cache folder: $XEN_XL_E2E_CACHE, else $XDG_CACHE_HOME/xen-xl-e2e, else
// node_modules/.cache/xen-xl-e2e (so `npm ci` starts it afresh and `git clean` never sees it).

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { log, onPath, run } from './processes.mjs';

export const ROOT = resolve(import.meta.dirname, '../../..');

/** code-server 4.X.Y is VS Code 1.X.Y; 4.139 needs exactly Node 24 (its postinstall checks the major). */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';
/** Used only when playwright-core is missing from node_modules (it is a devDependency). */
const PLAYWRIGHT_FALLBACK_VERSION = '1.65.1';

const MINUTE = 60_000;

export function cacheDir() {
  if (process.env.XEN_XL_E2E_CACHE) return resolve(process.env.XEN_XL_E2E_CACHE);
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'xen-xl-e2e');
  return join(ROOT, 'node_modules', '.cache', 'xen-xl-e2e');
}

/** The environment for nested npm runs: without the npm_* variables of an outer `npm run`
 * (its npm_config_user_agent names the outer Node, which code-server's postinstall would read). */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'NODE' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

/** A folder holding one npm install, complete only when its stamp file exists. */
function stampedDir(name) {
  const dir = join(cacheDir(), name);
  const stamp = join(dir, '.complete');
  return { dir, stamp, complete: existsSync(stamp) };
}

function freshProject(dir, manifest) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, ...manifest }, null, 2));
}

// ---------------------------------------------------------------------------------------------
// Debian packages

function isDebian() {
  return existsSync('/etc/debian_version') && onPath('apt-get') && onPath('dpkg-query');
}

async function missingDebianPackages(names) {
  const missing = [];
  for (const name of names) {
    const { code, output } = await run(`dpkg-query ${name}`, 'dpkg-query', ['-W', '-f=${Status}', name], { timeoutMs: 30_000, allowFailure: true });
    if (code !== 0 || !output.includes('install ok installed')) missing.push(name);
  }
  return missing;
}

/** Installs the Debian packages that are missing (apt-get update first); only as root on Debian. */
export async function ensureDebianPackages(names, why) {
  if (names.length === 0) return;
  if (!isDebian()) {
    throw new Error(`the e2e tests need ${names.join(', ')} (${why}). This is not a Debian system: install the equivalent packages, or point XEN_XL_E2E_CHROMIUM at a Chromium binary.`);
  }
  const missing = await missingDebianPackages(names);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`the e2e tests need the Debian packages ${missing.join(', ')} (${why}). Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait (bounded) for another apt/dpkg run to release its lock instead of failing at once.
  const lock = ['-o', 'DPkg::Lock::Timeout=180'];
  log(`apt-get update (to install ${missing.join(', ')})`);
  await run('apt-get update', 'apt-get', [...lock, 'update', '-q'], { env, timeoutMs: 5 * MINUTE });
  log(`apt-get install ${missing.join(' ')}`);
  await run(`apt-get install ${missing.join(' ')}`, 'apt-get', [...lock, 'install', '-y', '-q', ...missing], { env, timeoutMs: 8 * MINUTE });
  log(`installed ${missing.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Chromium

export function chromiumPath() {
  return process.env.XEN_XL_E2E_CHROMIUM || '/usr/bin/chromium';
}

function checkChromium() {
  if (!existsSync(chromiumPath())) {
    const hint = process.env.XEN_XL_E2E_CHROMIUM ? 'XEN_XL_E2E_CHROMIUM points to a missing file' : 'install Debian\'s chromium package or set XEN_XL_E2E_CHROMIUM';
    throw new Error(`no Chromium at ${chromiumPath()}: ${hint}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Node 24 and code-server from npm

function nodePackageName() {
  const platform = { linux: 'linux', darwin: 'darwin' }[process.platform];
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (!platform || !arch) throw new Error(`code-server does not run on ${process.platform}-${process.arch}; the e2e tests need Linux or macOS`);
  return `node-${platform}-${arch}`;
}

/** Node 24 from the npm registry (`node-<os>-<arch>`, which ships bin/node and the headers). */
export async function ensureNode24() {
  const pkg = nodePackageName();
  const { dir, stamp, complete } = stampedDir(`node-${NODE_VERSION}`);
  const home = join(dir, 'node_modules', pkg);
  const bin = join(home, 'bin', 'node');
  if (!complete) {
    log(`installing ${pkg}@${NODE_VERSION} into ${dir}`);
    freshProject(dir, { name: 'xen-xl-e2e-node' });
    await run(`npm install ${pkg}@${NODE_VERSION}`, 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `${pkg}@${NODE_VERSION}`], {
      cwd: dir,
      env: cleanEnv(),
      timeoutMs: 4 * MINUTE,
    });
    const { output } = await run('node --version', bin, ['--version'], { timeoutMs: 30_000 });
    if (!output.startsWith(`v${NODE_VERSION}`)) throw new Error(`${bin} reports ${output.trim()}, expected v${NODE_VERSION}`);
    writeFileSync(stamp, `${NODE_VERSION}\n`);
  }
  return { home, bin: join(home, 'bin'), node: bin };
}

/** code-server under Node 24 (its native modules are built with node-gyp against Node 24's headers). */
export async function ensureCodeServer(node24) {
  const { dir, stamp, complete } = stampedDir(`code-server-${CODE_SERVER_VERSION}`);
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!complete) {
    log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (about 2 minutes: native modules are compiled)`);
    freshProject(dir, { name: 'xen-xl-e2e-code-server', allowScripts: { 'code-server': true, argon2: true } });
    await run(`npm install code-server@${CODE_SERVER_VERSION}`, 'npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: dir,
      // npm runs under Node 24 (first on PATH) so that code-server's postinstall accepts it, and
      // node-gyp builds against Node 24's headers instead of the nodedir an npmrc may set.
      env: cleanEnv({ PATH: `${node24.bin}:${process.env.PATH}`, npm_config_nodedir: node24.home }),
      timeoutMs: 10 * MINUTE,
    });
    const { output } = await run('code-server --version', node24.node, [entry, '--version'], { timeoutMs: 60_000, env: cleanEnv({ PATH: `${node24.bin}:${process.env.PATH}` }) });
    if (!output.includes(CODE_SERVER_VERSION)) throw new Error(`code-server --version printed ${output.trim()}`);
    writeFileSync(stamp, `${CODE_SERVER_VERSION}\n`);
    log(`code-server ${output.trim().split('\n').pop()}`);
  }
  return { entry };
}

/** playwright-core from node_modules (a devDependency), else a pinned copy in the cache. */
export async function loadPlaywright() {
  const fromRoot = createRequire(join(ROOT, 'package.json'));
  try {
    return fromRoot('playwright-core');
  } catch {
    // not installed in the project (e.g. before `npm ci` picked up the devDependency)
  }
  const wanted = devDependencyVersion('playwright-core') ?? PLAYWRIGHT_FALLBACK_VERSION;
  const { dir, stamp, complete } = stampedDir(`playwright-core-${wanted}`);
  if (!complete) {
    log(`playwright-core is not in node_modules; installing playwright-core@${wanted} into ${dir}`);
    freshProject(dir, { name: 'xen-xl-e2e-playwright' });
    await run(`npm install playwright-core@${wanted}`, 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `playwright-core@${wanted}`], {
      cwd: dir,
      env: cleanEnv(),
      timeoutMs: 4 * MINUTE,
    });
    writeFileSync(stamp, `${wanted}\n`);
  }
  return createRequire(join(dir, 'package.json'))('playwright-core');
}

function devDependencyVersion(name) {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const version = manifest.devDependencies?.[name];
  return version && /^\d/.test(version) ? version : undefined;
}

/** Everything the e2e suites need (`browser: false`: all but Chromium), installed where missing. */
export async function ensureToolchain({ browser = true } = {}) {
  // One apt round for everything missing: a browser, and (only while code-server is still to be
  // built) the krb5 headers, since its kerberos module is compiled by node-gyp here.
  const packages = [];
  if (browser && !process.env.XEN_XL_E2E_CHROMIUM) packages.push('chromium');
  if (!stampedDir(`code-server-${CODE_SERVER_VERSION}`).complete && process.platform === 'linux') packages.push('libkrb5-dev');
  if (packages.length > 0 && (isDebian() || (browser && !existsSync(chromiumPath())))) {
    await ensureDebianPackages(packages, 'a headless browser for the workbench and headers to build code-server');
  }
  if (browser) checkChromium();
  const node24 = await ensureNode24();
  const codeServer = await ensureCodeServer(node24);
  return { node24, codeServer, chromium: chromiumPath() };
}
