// Issue 11 §9: the bundled task.process answers its plain call with status "completed" and
// completes its stream with status "done", as Piko's example does; pkt run --help says so.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ensureBuilt, runPkt } from '../cli/helpers/pkt-process.js';

before(() => ensureBuilt());

test('--no-stream is the call, a stream completes with its own result, and the help says so', { timeout: 90_000 }, async () => {
  const plain = await runPkt(['run', 'task.process', '--name', 'x', '--delayMs', '0', '--no-stream', '-q']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(JSON.parse(plain.stdout).status, 'completed');
  const streamed = await runPkt(['run', 'task.process', '--name', 'x', '--delayMs', '0', '-q']);
  assert.equal(JSON.parse(streamed.stdout).status, 'done');
  const help = await runPkt(['run', '--help']);
  assert.match(help.stdout.replace(/\s+/g, ' '), /--no-stream prints only the action's plain call result, which may differ from what its stream completes with \(task\.process: status "completed" vs "done"\)/);
});
