// `npm test`: type-check, build dist/ and the test bundles, then run every unit and protocol test
// with Node's built-in test runner. Extra arguments are passed to `node --test`.
import { spawnSync } from 'node:child_process';
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

const node = process.execPath;
run(node, ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']);
run(node, ['scripts/build.mjs', '--tests']);
const suites = [...files('out/test/unit', '.test.js'), ...files('out/test/protocol', '.test.js')];
// The spec report goes to the terminal; a TAP copy is counted for the closing summary line.
const tap = 'out/test-results.tap';
const result = spawnSync(node, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...process.argv.slice(2), ...suites], { stdio: 'inherit' });
const report = readFileSync(tap, 'utf8');
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(report)?.[1] ?? 0);
console.log(`\n${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped`);
process.exit(result.status ?? 1);
