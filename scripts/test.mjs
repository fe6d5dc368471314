// `npm test`: type-check (the extension and the console webview), lint the whole tree (ESLint,
// eslint.config.mjs: any warning fails), build dist/ and the test bundles, then run every unit
// and protocol test and the console webview test (test/webview) with Node's built-in test runner.
// Extra arguments are passed to `node --test`.
//
// The end-to-end suites (test/e2e/run.mjs: the extension in code-server, its extension-host suite
// and the UI suite) run too when asked: `npm test -- --e2e`, XEN_XL_E2E=1, or in CI (CI set).
// XEN_XL_E2E=0 turns them off even in CI. Their counts join the closing summary line.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(command, args) {
  console.log(`\n> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function files(dir, suffix) {
  const found = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(suffix)) found.push(path);
    }
  };
  walk(dir);
  return found.sort();
}

const flag = (value) => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
const argv = process.argv.slice(2).filter((arg) => arg !== '--e2e');
const e2e = process.env.XEN_XL_E2E !== undefined ? flag(process.env.XEN_XL_E2E) : process.argv.includes('--e2e') || flag(process.env.CI);

if (process.env.XEN_XL_E2E !== undefined && !e2e) {
  console.log('\n' + '!'.repeat(78) + `\n!! XEN_XL_E2E=${process.env.XEN_XL_E2E}: the end-to-end suites (code-server, extension host, UI) are OFF.\n!! Nothing ran in a real VS Code; this run proves only the unit and protocol tests.\n` + '!'.repeat(78) + '\n');
}

const node = process.execPath;
run(node, ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']);
run(node, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.webview.json', '--noEmit']);
const lintStart = performance.now();
run(node, ['node_modules/eslint/bin/eslint.js', '.', '--max-warnings', '0']);
console.log(`lint: clean in ${((performance.now() - lintStart) / 1000).toFixed(1)} s`);
run(node, ['scripts/build.mjs', '--tests']);
// Real QEMU VNC servers on this machine (skipped loudly without qemu-system-x86_64 or Chromium,
// a failure when CI is set): test/qemu, the console's transport; test/webview, the console webview
// in headless Chromium.
const suites = [
  ...files('out/test/unit', '.test.js'),
  ...files('out/test/protocol', '.test.js'),
  ...files('out/test/qemu', '.test.js'),
  ...files('test/webview', '.test.mjs'),
];
// The spec report goes to the terminal; a TAP copy is counted for the closing summary line.
const tap = 'out/test-results.tap';
const result = spawnSync(node, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...argv, ...suites], { stdio: 'inherit' });
const report = readFileSync(tap, 'utf8');
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(report)?.[1] ?? 0);
let passed = count('pass');
let failed = count('fail') + count('cancelled');
let status = result.status ?? 1;

if (e2e) {
  console.log(`\n${passed} passed, ${failed} failed, ${count('skipped')} skipped (unit and protocol tests)`);
  const outcome = await runE2e();
  passed += outcome.passed;
  failed += outcome.failed;
  if (outcome.status !== 0 && status === 0) status = outcome.status;
}

const e2eOff = process.env.XEN_XL_E2E !== undefined && !e2e ? ` (END-TO-END SUITES OFF: XEN_XL_E2E=${process.env.XEN_XL_E2E})` : '';
console.log(`\n${passed} passed, ${failed} failed, ${count('skipped')} skipped${e2eOff}`);
process.exit(status);

/** Runs test/e2e/run.mjs, showing its output, and reads its closing "N passed, N failed" line. */
function runE2e() {
  console.log('\n> node test/e2e/run.mjs');
  return new Promise((resolve) => {
    const child = spawn(node, ['test/e2e/run.mjs'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output = (output + chunk).slice(-4096);
    });
    // Ctrl-C reaches the child as well (same process group): wait for its cleanup. A SIGTERM sent
    // to this process alone is passed on.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.on('close', (code) => {
      const summary = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
      const e2ePassed = Number(summary?.[1] ?? 0);
      // No summary line means the run broke before counting: one failure.
      const e2eFailed = summary ? Number(summary[2]) : 1;
      resolve({ passed: e2ePassed, failed: code !== 0 && e2eFailed === 0 ? 1 : e2eFailed, status: code ?? 1 });
    });
  });
}
