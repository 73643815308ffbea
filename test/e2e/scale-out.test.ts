// More than one process (issue 10, PROTOCOL.md §4b): two front ends and two workers as separate
// processes, on a real redis-server. Whatever dies (a front end, a worker, Redis itself), every
// client still gets every event exactly once, or an error event that says what happened.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startPkt, until } from '../cli/helpers/pkt-process.js';
import { attach, BASE, CLUSTER_ACTIONS, contiguous, seqs, startFront, startRun, startWorker, type Front, type Proc } from '../helpers/cluster.js';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis.js';

const pidOf = (data: unknown) => (data as { pid: number }).pid;

/**
 * A run's state once it has ended. The worker writes a cancelled run's CANCELLED event after
 * the action's signal has aborted (which is when a test action writes its file), so the record
 * says so a moment after the file appears.
 */
async function endedState(front: string, runId: string): Promise<string> {
  const state = async () => ((await (await fetch(`${front}${BASE}/runs/${runId}`, { headers: { Accept: 'application/json' } })).json()) as { state: string }).state;
  await until(async () => (await state()) !== 'live', 'the run to end');
  return state();
}

describe('two front ends and two workers on one Redis', { skip: redisSkip }, () => {
  let redis: RedisServer;
  let frontA: Front;
  let frontB: Front;
  const workers: Proc[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pkt-scale-'));

  before(async () => {
    redis = await startRedis();
    // Front end B lets a run go half a second after its last client drops (linger).
    [frontA, frontB] = await Promise.all([startFront(redis.url), startFront(redis.url, ['--linger', '500ms'])]);
    workers.push(...(await Promise.all([startWorker(redis.url), startWorker(redis.url)])));
  });

  after(async () => {
    await Promise.all([frontA, frontB, ...workers].filter(Boolean).map((p) => p.kill()));
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const liveWorker = (pid: number) => workers.find((w) => w.child.pid === pid);

  test('fronts serve the workers’ actions: manifest, a run, a plain call, a 422 before any stream', async () => {
    const manifest = (await (await fetch(`${frontB.url}${BASE}`)).json()) as { actions: { name: string; streams: boolean }[] };
    assert.ok(manifest.actions.some((a) => a.name === 'slow.steps' && a.streams));
    assert.ok(manifest.actions.some((a) => a.name === 'task.process'));

    const run = await startRun(frontA.url, 'slow.steps', { steps: 3, delayMs: 1 });
    assert.equal(run.status, 200);
    const events = await run.rest();
    assert.deepEqual(seqs(events), [1, 2, 3, 4]);
    assert.equal(events.at(-1)!.type, 'complete');
    assert.ok(workers.some((w) => w.child.pid === pidOf(events[0]!.data)), 'a worker process ran it, not the front');

    const plain = await fetch(`${frontB.url}${BASE}/slow.steps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"steps":1}' });
    assert.equal(plain.status, 200);
    assert.ok(liveWorker(pidOf(await plain.json())), 'the plain call went through a worker too');

    const invalid = await fetch(`${frontA.url}${BASE}/slow.steps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: '{"steps":"many"}',
    });
    assert.equal(invalid.status, 422);
    assert.match(invalid.headers.get('content-type') ?? '', /application\/json/);
    const body = (await invalid.json()) as { code: string; errors: Record<string, string[]> };
    assert.equal(body.code, 'INVALID_INPUT');
    assert.ok(body.errors.steps);

    const unknown = await fetch(`${frontA.url}${BASE}/slow.stepz`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { message: string }).message, /did you mean slow\.steps/);
  });

  test('a front end dies mid-follow: the client re-attaches through the other and gets every later event once', async () => {
    const run = await startRun(frontA.url, 'slow.steps', { steps: 40, delayMs: 25 });
    const runId = run.headers.get('pkt-run-id')!;
    const seen = [];
    for (let e = await run.next(); e && seen.length < 5; e = await run.next()) seen.push(e);
    await frontA.kill();
    const rest = await run.rest();
    assert.ok(!rest.some((e) => e.type === 'complete'), 'the stream through the dead front was cut');
    const got = [...seen, ...rest];
    const last = Number(got.at(-1)!.id);
    const resumed = await (await attach(frontB.url, runId, last)).rest();
    assert.ok(contiguous(resumed, last + 1), `every later event once, in order: ${seqs(resumed).slice(0, 5)}…`);
    assert.equal(resumed.at(-1)!.type, 'complete');
    assert.equal(Number(resumed.at(-1)!.id), 41);
    frontA = await startFront(redis.url);
  });

  test('a front end dies and its client never comes back: the worker cancels the run after the linger time', async () => {
    const abortFile = join(dir, 'orphaned');
    const run = await startRun(frontA.url, 'slow.steps', { steps: 1000, delayMs: 20, abortFile });
    const runId = run.headers.get('pkt-run-id')!;
    await run.next();
    await frontA.kill();
    run.close();
    await until(() => existsSync(abortFile), 'the worker to cancel the orphaned run');
    assert.equal(await endedState(frontB.url, runId), 'cancelled');
    frontA = await startFront(redis.url);
  });

  test('DELETE on either front aborts the action’s signal on its worker', async () => {
    const abortFile = join(dir, 'aborted');
    const run = await startRun(frontA.url, 'slow.steps', { steps: 1000, delayMs: 20, abortFile });
    const runId = run.headers.get('pkt-run-id')!;
    const first = await run.next();
    const res = await fetch(`${frontB.url}${BASE}/runs/${runId}`, { method: 'DELETE' });
    assert.deepEqual(await res.json(), { runId, cancelled: true });
    const rest = await run.rest();
    const end = rest.at(-1)!;
    assert.equal(end.type, 'error');
    assert.equal((end.data as { code: string }).code, 'CANCELLED');
    await until(() => existsSync(abortFile), 'the worker to see the abort');
    assert.equal(Number(readFileSync(abortFile, 'utf8').split(' ')[0]), pidOf(first!.data), 'on the worker that ran it');
    const record = (await (await fetch(`${frontA.url}${BASE}/runs/${runId}`, { headers: { Accept: 'application/json' } })).json()) as { state: string };
    assert.equal(record.state, 'cancelled');
  });

  test('a dropped connection after the linger time aborts the action’s signal on its worker', async () => {
    const abortFile = join(dir, 'lingered');
    const run = await startRun(frontB.url, 'slow.steps', { steps: 1000, delayMs: 20, abortFile });
    const runId = run.headers.get('pkt-run-id')!;
    await run.next();
    run.close();
    await until(() => existsSync(abortFile), 'the run to be cancelled for want of a client');
    assert.equal(await endedState(frontA.url, runId), 'cancelled');
  });

  test('followers cost no Redis connection each: 50 of one run through one front end', async () => {
    const { connect } = await import('../../src/server/redis/connection.js');
    const admin = await connect(redis.url, 'test-admin');
    try {
      const clients = async () => String(await admin.client('LIST')).trim().split('\n').length;
      const run = await startRun(frontA.url, 'slow.steps', { steps: 400, delayMs: 20 });
      const runId = run.headers.get('pkt-run-id')!;
      await run.next();
      const before = await clients();
      const followers = await Promise.all(Array.from({ length: 50 }, () => attach(frontA.url, runId, 1)));
      await Promise.all(followers.map((f) => f.next()));
      assert.equal(await clients(), before, 'no new connection to Redis');
      for (const f of [...followers, run]) f.close();
      await fetch(`${frontA.url}${BASE}/runs/${runId}`, { method: 'DELETE' });
    } finally {
      admin.disconnect();
    }
  });

  test('a worker that shuts down ends its runs with SHUTDOWN', async () => {
    // A third worker, so that two remain: any of them may take the run; the one that did is stopped.
    workers.push(await startWorker(redis.url));
    const run = await startRun(frontA.url, 'slow.steps', { steps: 1000, delayMs: 20 });
    const first = await run.next();
    const holder = liveWorker(pidOf(first!.data))!;
    await holder.stop();
    assert.equal((await holder.exited).code, 0);
    const end = (await run.rest()).at(-1)!;
    assert.equal(end.type, 'error');
    assert.equal((end.data as { code: string }).code, 'SHUTDOWN');
    workers.splice(workers.indexOf(holder), 1);
  });

  test('a worker dies mid-run: the run ends with WORKER_LOST', async () => {
    const run = await startRun(frontB.url, 'slow.steps', { steps: 100_000, delayMs: 20 });
    const first = await run.next();
    await liveWorker(pidOf(first!.data))!.kill();
    const rest = await run.rest();
    const end = rest.at(-1)!;
    assert.equal(end.type, 'error');
    assert.equal((end.data as { code: string }).code, 'WORKER_LOST');
    assert.ok(contiguous([first!, ...rest], 1), 'no gap and no repeat before the error');
    workers.push(await startWorker(redis.url));
  });

  test('a worker dies mid-run of an action with retry: it restarts on another, the seq counting on', async () => {
    const run = await startRun(frontA.url, 'slow.retried', { steps: 30, delayMs: 40 });
    const seen = [await run.next(), await run.next()];
    const firstPid = pidOf(seen[0]!.data);
    await liveWorker(firstPid)!.kill();
    const rest = await run.rest();
    const all = [...seen, ...rest].filter((e) => e !== null);
    assert.ok(contiguous(all, 1), `one seq after another: ${seqs(all).join(',')}`);
    const restart = all.find((e) => e.type === 'restart');
    assert.ok(restart, 'followers hear of the restart');
    assert.deepEqual(Object.keys(restart.data as object), ['attempt', 'reason']);
    assert.equal((restart.data as { attempt: number }).attempt, 2);
    const after = all.slice(all.indexOf(restart) + 1);
    assert.equal(after.at(-1)!.type, 'complete');
    assert.equal(after.filter((e) => e.type === 'complete' || e.type === 'error').length, 1, 'exactly one terminal event');
    assert.notEqual(pidOf(after[0]!.data), firstPid, 'another worker ran it from the start');
    assert.equal((after[0]!.data as { step: number }).step, 1);
    workers.push(await startWorker(redis.url));
  });

  test('pkt run shows the restart: the log says why, and the run completes', async () => {
    const cli = startPkt(['run', 'slow.retried', '--url', frontB.url, '--input', JSON.stringify({ steps: 20, delayMs: 60 })]);
    const output = () => cli.stdout() + cli.stderr();
    await until(() => /"pid":\d+/.test(output()), 'the first event');
    await liveWorker(Number(/"pid":(\d+)/.exec(output())![1]))!.kill();
    const { code } = await cli.exited;
    assert.equal(code, 0, output());
    assert.match(output(), /started again \(attempt 2\): the worker running it was lost/);
    workers.push(await startWorker(redis.url));
  });

  test('no live worker has the action: 503 NO_WORKER naming it', async () => {
    const lonely = await startWorker(redis.url, '2s', ['--actions', CLUSTER_ONLY_DIR]);
    await until(async () => ((await (await fetch(`${frontA.url}${BASE}`)).json()) as { actions: { name: string }[] }).actions.some((a) => a.name === 'only.here'), 'the lonely action to be announced');
    // The other workers lack it: a job one of them takes goes back to the queue for the one that has it.
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${frontB.url}${BASE}/only.here`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      assert.deepEqual(await res.json(), { ok: true });
    }
    await lonely.kill();
    await until(async () => (await fetch(`${frontA.url}${BASE}/only.here`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status === 503, 'the worker to be gone', 30_000);
    const res = await fetch(`${frontB.url}${BASE}/only.here`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 503);
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, 'NO_WORKER');
    assert.match(body.message, /only\.here/);
  });

  test('a plain call whose only worker dies on it: 503 NO_WORKER, not a wait for ever', async () => {
    // Long enough for the one worker that has the action to win the job from the two that put
    // it back (each round is a fair draw among three); short enough to look again soon after.
    const front = await startFront(redis.url, ['--queue-timeout', '5s']);
    const lonely = await startWorker(redis.url, '2s', ['--actions', CLUSTER_ONLY_DIR]);
    try {
      await until(async () => ((await (await fetch(`${front.url}${BASE}`)).json()) as { actions: { name: string }[] }).actions.some((a) => a.name === 'only.slow'), 'the lonely action to be announced');
      const answer = fetch(`${front.url}${BASE}/only.slow`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(60_000) });
      await until(() => /only\.slow began/.test(lonely.stdout()), 'the call to begin on its worker');
      await lonely.kill();
      // The other workers lack it and put it back; once the dead one's presence expires, the front gives up.
      const res = await answer;
      const body = (await res.json()) as { code: string; message: string };
      assert.equal(res.status, 503, JSON.stringify(body));
      assert.equal(body.code, 'NO_WORKER');
      assert.match(body.message, /only\.slow was lost/);
    } finally {
      await lonely.kill();
      await front.stop();
    }
  });

  test('Redis restarts without its data: an open stream ends with STORE_LOST, and everything reconnects', async () => {
    const run = await startRun(frontA.url, 'slow.steps', { steps: 100_000, delayMs: 20 });
    await run.next();
    await redis.stop();
    await redis.start();
    const rest = await run.rest();
    const end = rest.at(-1)!;
    assert.equal(end.type, 'error', 'never a silent cut');
    assert.equal((end.data as { code: string }).code, 'STORE_LOST');
    // Workers announce themselves again, fronts see them, and a new run goes through.
    await until(async () => (await fetch(`${frontB.url}${BASE}/slow.steps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"steps":1}' })).status === 200, 'a plain call after the restart', 20_000);
    const again = await (await startRun(frontB.url, 'slow.steps', { steps: 2, delayMs: 1 })).rest();
    assert.deepEqual(seqs(again), [1, 2, 3]);
  });
});

describe('Redis restarts with its data (appendonly)', { skip: redisSkip }, () => {
  test('an open stream goes on, every event once', async () => {
    const redis = await startRedis({ appendonly: true });
    const procs: Proc[] = [];
    try {
      const [front, worker] = await Promise.all([startFront(redis.url), startWorker(redis.url, '30s')]);
      procs.push(front, worker);
      const run = await startRun(front.url, 'slow.steps', { steps: 60, delayMs: 25 });
      const seen = [await run.next(), await run.next()];
      await redis.stop();
      await redis.start();
      const all = [...seen, ...(await run.rest())].filter((e) => e !== null);
      assert.ok(contiguous(all, 1), `one seq after another: ${seqs(all).join(',')}`);
      assert.equal(all.at(-1)!.type, 'complete');
      assert.equal(all.length, 61);
    } finally {
      await Promise.all(procs.map((p) => p.kill()));
      await redis.close();
    }
  });
});

describe('pkt serve --redis alone', { skip: redisSkip }, () => {
  test('is a whole setup: a worker beside it runs the actions, and stops with it', async () => {
    const redis = await startRedis();
    const serve = startPkt(['serve', '--port', '0', '--redis', redis.url, '--actions', CLUSTER_ACTIONS]);
    try {
      await until(() => /pkt serving on (\S+)/.test(serve.stdout()) || serve.child.exitCode !== null, 'pkt serve to start');
      const url = /pkt serving on (\S+)/.exec(serve.stdout())?.[1];
      assert.ok(url, serve.stderr());
      const res = await fetch(`${url}${BASE}/slow.steps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"steps":1}' });
      assert.equal(res.status, 200);
      const pid = pidOf(await res.json());
      assert.notEqual(pid, serve.child.pid, 'the action ran in a process of its own');
      serve.child.kill('SIGTERM');
      assert.equal((await serve.exited).code, 0);
      assert.throws(() => process.kill(pid, 0), 'its worker has gone too');
    } finally {
      serve.child.kill('SIGKILL');
      await redis.close();
    }
  });
});

const CLUSTER_ONLY_DIR = new URL('fixtures/only-actions/', import.meta.url).pathname;
