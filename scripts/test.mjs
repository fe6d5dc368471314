// `npm test`: type-check, build dist/ and the test bundles, then run every unit and protocol test
// with Node's built-in test runner. Extra arguments are passed to `node --test`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
run(node, ['--test', '--test-reporter=spec', ...process.argv.slice(2), ...suites]);
