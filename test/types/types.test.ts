// The typed client without code generation (issue 15): tsc checks fixture.ts, whose assertions
// fail on any type that degrades to any or unknown, and degraded.ts, a control whose marked
// lines must fail (so the assertions are shown to catch what they should).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const here = fileURLToPath(new URL('.', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** tsc's errors as `file:line`, with their messages. */
function typeErrors(): { at: string; message: string }[] {
  const run = spawnSync(process.execPath, [tsc, '-p', `${here}tsconfig.json`], { encoding: 'utf8' });
  assert.notEqual(run.status, null, `tsc did not finish: ${run.error?.message ?? run.signal}`);
  return run.stdout
    .split('\n')
    .map((line) => /^(?:.*\/)?([\w.-]+\.ts)\((\d+),\d+\): (error .*)$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({ at: `${m[1]}:${m[2]}`, message: m[3]! }));
}

test('createClient<typeof actions> types inputs, results and events; a degraded type fails the check', () => {
  const errors = typeErrors();
  const inFixture = errors.filter((e) => !e.at.startsWith('degraded.ts:'));
  assert.deepEqual(inFixture, [], 'fixture.ts type-checks: every expected type holds, every @ts-expect-error is an error');

  const marked = readFileSync(`${here}degraded.ts`, 'utf8')
    .split('\n')
    .flatMap((line, i) => (line.endsWith('// fails') ? [`degraded.ts:${i + 1}`] : []));
  assert.ok(marked.length >= 3, 'the control marks its failing lines');
  assert.deepEqual([...new Set(errors.map((e) => e.at))].sort(), marked.sort(), 'tsc fails on each marked line of the control, and on no other');
});
