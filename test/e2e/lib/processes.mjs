// Child processes for the e2e harness: every program runs in its own process group (spawned
// detached) with a hard timeout, and every group and temp dir still open is torn down when the
// harness exits, fails, or gets Ctrl-C / SIGTERM / SIGHUP.

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Process-group ids (= pids of detached children) that are still alive. */
const liveGroups = new Set();
/** Temp dirs to delete at exit. */
const tempDirs = new Set();
/** Async cleanups (close a browser, stop a server), run newest first. */
const cleanups = [];

const started = Date.now();
/** Seconds since the harness started, for log lines. */
export const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
export const log = (message) => console.log(`[e2e ${elapsed()}] ${message}`);

export function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to the whole group, then SIGKILL after `graceMs` if anything in it is still alive. */
export async function stopGroup(pid, graceMs = 5000) {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
  // A killed group can take a moment to disappear from the process table.
  for (let i = 0; i < 30 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  liveGroups.delete(pid);
}

/**
 * Starts a long-running program in its own process group. Its output goes to `logFile` (and to
 * the terminal too when `echo` is set). Returns the ChildProcess; stop it with `stopGroup(child.pid)`.
 */
export function startDetached(command, args, { env, cwd, logFile, echo = false } = {}) {
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  liveGroups.add(child.pid);
  child.on('exit', () => {
    if (!groupAlive(child.pid)) liveGroups.delete(child.pid);
  });
  const sink = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      sink?.write(chunk);
      if (echo) process.stdout.write(chunk);
    });
  }
  return child;
}

/**
 * Runs a program to completion in its own process group, killing the group after `timeoutMs`.
 * Output is collected (and echoed when `echo`); on failure or timeout this rejects with the step
 * name and the last lines of output.
 */
export function run(step, command, args, { env, cwd, timeoutMs, echo = false, allowFailure = false } = {}) {
  if (!timeoutMs) throw new Error(`run(${step}): a timeout is required`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    liveGroups.add(child.pid);
    let output = '';
    let timedOut = false;
    const collect = (chunk) => {
      output += chunk;
      if (output.length > 400_000) output = output.slice(-200_000);
      if (echo) process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      timedOut = true;
      void stopGroup(child.pid, 3000);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      liveGroups.delete(child.pid);
      reject(new Error(`${step}: cannot start ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Anything the step left behind in its group (daemons, watchers) goes too.
      if (groupAlive(child.pid)) signalGroup(child.pid, 'SIGKILL');
      liveGroups.delete(child.pid);
      const tail = output.trimEnd().split('\n').slice(-40).join('\n');
      if (timedOut) reject(new Error(`${step}: timed out after ${timeoutMs / 1000} s\n${tail}`));
      else if (code !== 0 && !allowFailure) reject(new Error(`${step}: exit ${code ?? signal}\n${tail}`));
      else resolve({ code, output });
    });
  });
}

/** A fresh temp dir that is deleted when the harness exits (also on failure or Ctrl-C). */
export function makeTempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Registers an async cleanup; returns a function that unregisters it. */
export function onCleanup(fn) {
  cleanups.push(fn);
  return () => {
    const index = cleanups.indexOf(fn);
    if (index >= 0) cleanups.splice(index, 1);
  };
}

let cleaning;
/** True once cleanup has begun (a signal arrived or the run is ending): exits are expected then. */
export const shuttingDown = () => cleaning !== undefined;

/** Runs the registered cleanups (newest first), stops every live group, removes the temp dirs. */
export function cleanupAll() {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop();
      try {
        await Promise.race([fn(), new Promise((r) => setTimeout(r, 10_000))]);
      } catch (error) {
        console.error(`[e2e] cleanup failed: ${error instanceof Error ? error.message : error}`);
      }
    }
    await Promise.all([...liveGroups].map((pid) => stopGroup(pid, 3000)));
    removeTempDirs();
  })();
  return cleaning;
}

function removeTempDirs() {
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // a process may still hold a file open; nothing more to do
    }
    tempDirs.delete(dir);
  }
}

/** Synchronous last resort (an uncaught error in a caller that has its own handlers): SIGKILL every live group. */
export function killAllNow() {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  removeTempDirs();
}

let handlersInstalled = false;
/** Ctrl-C, SIGTERM and SIGHUP stop everything and exit 130/143/129; a plain exit kills what is left. */
export function installSignalHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(codes)) {
    process.on(signal, () => {
      console.error(`\n[e2e] ${signal}: stopping code-server and every child process...`);
      const hardExit = setTimeout(() => process.exit(code), 15_000);
      hardExit.unref();
      void cleanupAll().finally(() => process.exit(code));
    });
  }
  // Last resort when the process exits without going through cleanupAll (uncaught error):
  // synchronous kills only.
  process.on('exit', () => {
    for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
    removeTempDirs();
  });
}

/** True when `command` can be found on PATH. */
export function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
