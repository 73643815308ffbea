// `npm test`: builds dist/ (end-to-end tests run the built CLI), then runs every test file
// under test/ with Node's test runner. Node 20 takes no globs, so the files are listed here.
// Arguments narrow the run: `npm test -- server` runs the files whose path contains "server".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const filters = process.argv.slice(2);
const files = readdirSync('test', { recursive: true })
  .map((f) => `test/${f}`)
  .filter((f) => /\.test\.tsx?$/.test(f))
  .filter((f) => filters.length === 0 || filters.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
// A backstop: a test that hangs fails after 5 minutes instead of holding the run (and CI) up.
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files], { stdio: 'inherit' });
process.exit(run.status ?? 1);
