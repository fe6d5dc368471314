// Starts code-server for one suite: bound to 127.0.0.1 on a free port, no auth, and with every
// piece of state (user data, config, HOME, XDG dirs) in a temp dir that goes away at the end.

import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { log, makeTempDir, onCleanup, run, startDetached, stopGroup } from './processes.mjs';

/** Settings that keep the workbench quiet and deterministic (no tours, toasts, updates, AI). */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.reduceMotion': 'on',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  // Something may listen on a local port; without this a "port forwarded" toast can appear.
  'remote.autoForwardPorts': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * OpenSSH reads the user's config from the home folder of the passwd entry, not from $HOME, so a
 * profile's ~/.ssh/config would be ignored. This `ssh` (for the profile's ~/bin) makes ssh read
 * it, as it would for a user whose home the profile is: `ssh -F $HOME/.ssh/config "$@"`.
 */
export const sshUsingHome = {
  text: '#!/bin/sh\n# ssh with the user config of this profile ($HOME/.ssh/config); see test/e2e/lib/codeServer.mjs\nexec /usr/bin/ssh -F "$HOME/.ssh/config" "$@"\n',
  mode: 0o755,
};

/** Private dirs for one code-server instance. */
export function makeProfile(name, settings = {}) {
  const root = makeTempDir(`xen-xl-e2e-${name}-`);
  const dirs = {
    root,
    userData: join(root, 'user-data'),
    home: join(root, 'home'),
    xdgConfig: join(root, 'xdg-config'),
    xdgData: join(root, 'xdg-data'),
    xdgCache: join(root, 'xdg-cache'),
    log: join(root, 'code-server.log'),
  };
  for (const dir of [join(dirs.userData, 'User'), join(dirs.userData, 'Machine'), dirs.home, dirs.xdgConfig, dirs.xdgData, dirs.xdgCache]) mkdirSync(dir, { recursive: true });
  const text = JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2);
  // The workbench is a remote window: settings of scope `machine` / `machine-overridable` (such
  // as xen.xlPath) are read from the server's Machine settings, not the User ones, as with
  // Remote-SSH. Both files get the same content.
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), text);
  writeFileSync(join(dirs.userData, 'Machine', 'settings.json'), text);
  return dirs;
}

function environment(toolchain, profile, extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'NODE' || key === 'INIT_CWD' || key.startsWith('VSCODE_')) continue;
    env[key] = value;
  }
  return {
    ...env,
    PATH: `${toolchain.node24.bin}:${process.env.PATH}`,
    HOME: profile.home,
    XDG_CONFIG_HOME: profile.xdgConfig,
    XDG_DATA_HOME: profile.xdgData,
    XDG_CACHE_HOME: profile.xdgCache,
    ...extra,
  };
}

function commonArgs(toolchain, profile, extensionsDir) {
  return [toolchain.codeServer.entry, '--user-data-dir', profile.userData, '--extensions-dir', extensionsDir];
}

/** `code-server --install-extension FILE` into `extensionsDir`; returns the installed extension's folder. */
export async function installExtension(toolchain, vsix, extensionsDir, extensionId) {
  const profile = makeProfile('install');
  const { output } = await run('code-server --install-extension', toolchain.node24.node, [...commonArgs(toolchain, profile, extensionsDir), '--install-extension', vsix], {
    env: environment(toolchain, profile),
    timeoutMs: 120_000,
  });
  if (!/successfully installed/i.test(output)) throw new Error(`code-server --install-extension did not report success:\n${output}`);
  const list = await run('code-server --list-extensions', toolchain.node24.node, [...commonArgs(toolchain, profile, extensionsDir), '--list-extensions', '--show-versions'], {
    env: environment(toolchain, profile),
    timeoutMs: 60_000,
  });
  const line = list.output.split('\n').find((l) => l.toLowerCase().startsWith(`${extensionId.toLowerCase()}@`));
  if (!line) throw new Error(`${extensionId} is not listed after installing ${vsix}:\n${list.output}`);
  const version = line.trim().split('@')[1];
  // code-server keeps an index of installed extensions in extensions.json: it names the folder.
  const index = JSON.parse(readFileSync(join(extensionsDir, 'extensions.json'), 'utf8'));
  const entry = index.find((e) => e.identifier?.id?.toLowerCase() === extensionId.toLowerCase());
  const folder = entry?.relativeLocation ? join(extensionsDir, entry.relativeLocation) : join(extensionsDir, `${extensionId.toLowerCase()}-${version}`);
  return { version, folder };
}

/**
 * Starts code-server on `workspace`. Options: `extensionsDir`, `settings` (user settings.json),
 * `smokeTestDriver` (lets the workbench honour `?payload=`, for extension tests), `trust` (false:
 * workspace trust stays on and the folder is not trusted), `env` (extra environment), `homeFiles`
 * (relative path → text or { text, mode }, written into the profile's HOME, mode 0600 by default;
 * when one is under `bin/`, that folder comes first on PATH), `vscodeOptions` (flags for the VS
 * Code server inside, passed as `--vscode-option NAME`, e.g. disable-websocket-compression).
 * Resolves once /healthz answers; `stop()` kills its whole process group.
 */
export async function startCodeServer(toolchain, { name, workspace, extensionsDir, settings = {}, smokeTestDriver = false, trust = true, env = {}, port: fixedPort, homeFiles = {}, vscodeOptions = [] }) {
  const trustSettings = trust
    ? { 'security.workspace.trust.enabled': false }
    : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' };
  const profile = makeProfile(name, { ...trustSettings, ...settings });
  // Files a user would have in their home, e.g. ~/.ssh/config: private, as ssh insists.
  for (const [relative, content] of Object.entries(homeFiles)) {
    const { text, mode = 0o600 } = typeof content === 'string' ? { text: content } : content;
    const file = join(profile.home, relative);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    chmodSync(dirname(file), 0o700);
    writeFileSync(file, text, { mode });
    chmodSync(file, mode);
  }
  // ~/bin of the profile comes first on PATH (see sshUsingHome).
  if (Object.keys(homeFiles).some((relative) => relative.startsWith('bin/'))) {
    env = { ...env, PATH: `${join(profile.home, 'bin')}:${toolchain.node24.bin}:${process.env.PATH}` };
  }
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    writeFileSync(join(profile.root, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    const args = [
      ...commonArgs(toolchain, profile, extensionsDir),
      '--config', join(profile.root, 'config.yaml'),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(trust ? ['--disable-workspace-trust'] : []),
      ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      ...vscodeOptions.flatMap((option) => ['--vscode-option', option]),
      workspace,
    ];
    const child = startDetached(toolchain.node24.node, args, { env: environment(toolchain, profile, env), logFile: profile.log });
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
    const stop = async () => {
      await stopGroup(child.pid);
    };
    const unregister = onCleanup(stop);
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    let ready = false;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      try {
        const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) {
          ready = true;
          break;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (ready) {
      log(`code-server (${name}) listening on ${url}, pid ${child.pid}`);
      return {
        url,
        port,
        profile,
        pid: child.pid,
        exited,
        logTail: () => tail(profile.log),
        stop: async () => {
          unregister();
          await stop();
        },
      };
    }
    unregister();
    await stop();
    const output = tail(profile.log);
    // Another process may have taken the port between freePort() and the bind: try another one.
    if (attempt < 3 && fixedPort === undefined && /EADDRINUSE/.test(output)) continue;
    throw new Error(`code-server (${name}) did not come up within 60 s:\n${output}`);
  }
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
