import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from '../../../src/client/index.js';
import { runAction, stoppedError } from '../../../src/cli/run/run-action.js';
import type { RunOutcome, RunOutput } from '../../../src/cli/output/types.js';
import { startServer, type PktServer } from '../../../src/server/index.js';

let server: PktServer;
before(async () => {
  server = await startServer({ port: 0 });
});
after(() => server.close());

function recorder() {
  const calls: string[] = [];
  const output: RunOutput = {
    start: (info) => void calls.push(`start ${info.action} ${info.streaming}`),
    runId: () => void calls.push('runId'),
    event: (e) => void calls.push(`event ${e.type} ${e.id}`),
    finish: async (o: RunOutcome) => void calls.push(`finish ${o.ok}`),
  };
  return { calls, output };
}

const request = (overrides: Partial<Parameters<typeof runAction>[0]> = {}) => ({
  client: createClient({ baseUrl: server.url }),
  action: 'task.process',
  input: { name: 'a', steps: 2, delayMs: 0 },
  stream: true,
  detach: false,
  signal: new AbortController().signal,
  url: server.url,
  ...overrides,
});

test('feeds the output start, the run id and every event; leaves finish to the command', async () => {
  const { calls, output } = recorder();
  const { outcome, runId } = await runAction(request(), output);
  assert.deepEqual(outcome, { ok: true, result: { status: 'done', taskName: 'a' } });
  assert.ok(runId);
  assert.deepEqual(calls, ['start task.process true', 'runId', 'event progress 1', 'event progress 2', 'event complete 3']);
});

test('--no-stream: no events, the call result', async () => {
  const { calls, output } = recorder();
  const { outcome } = await runAction(request({ stream: false }), output);
  assert.deepEqual(outcome, { ok: true, result: { taskName: 'a', status: 'completed' } });
  assert.deepEqual(calls, ['start task.process false']);
});

test('a failure is an ActionError outcome', async () => {
  const { output } = recorder();
  const { outcome } = await runAction(request({ input: { steps: 0 } }), output);
  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.error.status, 422);
  assert.equal(!outcome.ok && outcome.interrupted, undefined);
});

test('stopping marks the outcome interrupted and says what became of the run', async () => {
  const stop = new AbortController();
  const { output } = recorder();
  const run = runAction(request({ input: { name: 'a', steps: 100, delayMs: 20 }, signal: stop.signal }), output);
  setImmediate(() => stop.abort('interrupt'));
  const { outcome } = await run;
  assert.equal(outcome.ok, false);
  assert.ok(!outcome.ok && outcome.interrupted);
  assert.match(!outcome.ok ? outcome.error.message : '', /^(the run|run \S+) cancelled on the server$/);
});

test('stoppedError words each case', () => {
  const server = { url: 'http://h:1', embedded: false };
  assert.equal(stoppedError('interrupt', 'r1', 'cancelled', server).message, 'run r1 cancelled on the server');
  assert.equal(stoppedError('interrupt', 'r1', 'cancelled', server).code, 'CANCELLED');
  assert.equal(stoppedError('stdout-closed', undefined, 'cancelled', server).message, 'stdout closed: the run cancelled on the server');
  const goesOn = stoppedError('interrupt', 'r1', 'goes-on', server);
  assert.equal(goesOn.message, 'stopped watching; run r1 goes on: pkt attach r1 --url http://h:1');
  assert.equal(goesOn.code, 'STOPPED_WATCHING');
  assert.match(stoppedError('interrupt', 'r1', 'lingers', server).message, /run r1 was not detached, so the server cancels it unless someone re-attaches soon: pkt attach r1/);
  assert.match(stoppedError('interrupt', 'r1', 'goes-on', { ...server, embedded: true }).message, /run r1 ends with pkt's embedded server/);
});

test("reads the stream no faster than the output's whenWritable allows", async () => {
  const { calls, output } = recorder();
  let asked = 0;
  output.whenWritable = async () => {
    asked += 1;
  };
  const { outcome } = await runAction(request(), output);
  assert.equal(outcome.ok, true);
  assert.ok(asked > 0, 'the call waited on the output before reading');
  assert.ok(calls.includes('event complete 3'), calls.join());
});
