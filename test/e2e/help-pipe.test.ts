// Help piped into a reader that leaves early (`pkt run task.process --help | head -3`) ends
// quietly with exit 0: no EPIPE stack trace. `| true` makes the early leaving certain: the
// reader is gone before pkt has even started.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { BIN, ROOT, cliEnv, ensureBuilt } from '../cli/helpers/pkt-process.js';

ensureBuilt();

for (const args of [['run', 'task.process', '--help'], ['run', '--help']]) {
  test(`pkt ${args.join(' ')} | true exits 0 without a stack trace`, { timeout: 60_000 }, () => {
    const script = `"${process.execPath}" "${BIN}" ${args.join(' ')} | true; echo "status=\${PIPESTATUS[0]}" >&2`;
    const result = spawnSync('bash', ['-c', script], { cwd: ROOT, env: cliEnv(), encoding: 'utf8' });
    assert.doesNotMatch(result.stderr, /EPIPE|node:events|Unhandled/, result.stderr);
    assert.match(result.stderr, /status=0/);
  });
}
