// The hardening of issue 12 on the Redis path (`pkt serve --redis` and `pkt worker`): a worker
// refuses the payloads and oversize events a local server refuses, a front end delivers events
// over its buffer limit, and the front end's own defences (Sec-Fetch-Site, 413 after reading
// the body, the plain-call limit, Last-Event-ID past the end) hold as they do without Redis.
// Front end and worker run in this process, on a real redis-server.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defineAction, startServer, startWorker, type ActionStream, type PktServer, type PktWorker } from '../../src/server/index.js';
import { attach, BASE, startRun } from '../helpers/cluster.js';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis.js';
import { until } from '../helpers/server.js';

const MiB = 1024 * 1024;

function streaming(body: (stream: ActionStream) => Promise<unknown>) {
  return defineAction({ call: () => null, streamProgress: (_input, stream) => body(stream) as Promise<void> });
}

function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('hardening on Redis: a front end and a worker', { skip: redisSkip }, () => {
  let redis: RedisServer;
  let server: PktServer;
  let worker: PktWorker;
  const workerLog: string[] = [];
  const rejections: Error[] = [];
  let callGate = gate();
  let callsStarted = 0;
  let runGate = gate();

  const actions = {
    'x.huge': streaming(async (s) => {
      await s.send('progress', { step: 1 });
      await s.send('blob', 'x'.repeat(2 * MiB)).catch((e: Error) => rejections.push(e));
    }),
    'x.fn': streaming(async (s) => {
      await s.sendComplete(() => 1).catch((e: Error) => rejections.push(e));
    }),
    'x.fncall': defineAction({ call: () => (() => 1) as unknown }),
    'x.big': streaming(async (s) => {
      await s.send('progress', { step: 1 });
      await s.send('blob', { big: 'b'.repeat(600 * 1024) });
      await s.sendComplete({ done: true });
    }),
    'x.gated': streaming(async (s) => {
      await s.send('progress', { step: 1 });
      await runGate.opened;
      await s.sendComplete('done');
    }),
    'x.slow': defineAction({
      call: async () => {
        callsStarted++;
        await callGate.opened;
        return 'done';
      },
    }),
  };

  before(async () => {
    redis = await startRedis();
    // The worker's event limit (1 MiB) is over the front end's buffer limit (256 KiB).
    worker = await startWorker({ redis: redis.url, actions, noBundled: true, limits: { maxEventBytes: MiB }, log: (l) => workerLog.push(l) });
    server = await startServer({ port: 0, redis: { url: redis.url }, limits: { maxBufferedBytes: 256 * 1024, maxConcurrentCalls: 1 } });
    await until(async () => (await (await fetch(`${server.url}${BASE}`)).json()).actions.length === 6, 10_000, 'the worker’s actions on the front end');
  });
  after(async () => {
    runGate.open();
    callGate.open();
    await server?.close();
    await worker?.close();
    await redis?.close();
  });

  test('a worker refuses an event over its maxEventBytes: send rejects with a TypeError, the run ends with one redacted error', async () => {
    rejections.length = 0;
    const events = await (await startRun(server.url, 'x.huge', {})).rest();
    assert.deepEqual(events.map((e) => e.type), ['progress', 'error']);
    const error = JSON.parse(events[1]!.json) as { code: string; message: string };
    assert.equal(error.code, 'INTERNAL');
    assert.match(error.message, /--dev/, 'redacted without --dev');
    await until(() => rejections.length === 1, 5000, 'the send to reject');
    assert.ok(rejections[0] instanceof TypeError);
    assert.match(rejections[0]!.message, /over the 1048576-byte limit per event \(limits\.maxEventBytes\)/);
    assert.ok(workerLog.some((l) => l.includes('limits.maxEventBytes')), 'the worker’s log has the details');
  });

  test('a result JSON cannot carry: one error event, and the run is over', async () => {
    rejections.length = 0;
    const run = await startRun(server.url, 'x.fn', {});
    const runId = run.headers.get('pkt-run-id')!;
    const events = await run.rest();
    assert.deepEqual(events.map((e) => e.type), ['error']);
    assert.equal(JSON.parse(events[0]!.json).code, 'INTERNAL');
    await until(() => rejections.length === 1, 5000, 'sendComplete to reject');
    assert.match(rejections[0]!.message, /^stream\.sendComplete: the payload cannot be sent as JSON/);
    const record = (await (await fetch(`${server.url}${BASE}/runs/${runId}`, { headers: { Accept: 'application/json' } })).json()) as { state: string };
    assert.equal(record.state, 'failed');
  });

  test('a plain call whose result JSON cannot carry: a redacted 500, as without Redis, not 200 null', async () => {
    const res = await fetch(`${server.url}${BASE}/x.fncall`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(res.status, 500, JSON.stringify(body));
    assert.equal(body.code, 'INTERNAL');
    assert.match(body.message, /--dev/, 'redacted without --dev');
    assert.ok(workerLog.some((l) => /x\.fncall: call: the payload cannot be sent as JSON/.test(l)), 'the worker’s log has the details');
  });

  test('an event over the front end’s buffer limit, under the event limit, is delivered live and on re-attach', async () => {
    const run = await startRun(server.url, 'x.big', {});
    const runId = run.headers.get('pkt-run-id')!;
    const events = await run.rest();
    assert.deepEqual(events.map((e) => e.type), ['progress', 'blob', 'complete']);
    assert.equal(JSON.parse(events[1]!.json).big.length, 600 * 1024);
    const again = await (await attach(server.url, runId, 1)).rest();
    assert.deepEqual(again.map((e) => e.type), ['blob', 'complete']);
    assert.equal(JSON.parse(again[0]!.json).big.length, 600 * 1024);
  });

  test('a Last-Event-ID past a live run’s newest event still gets the terminal event', async () => {
    runGate = gate();
    const run = await startRun(server.url, 'x.gated', {});
    const runId = run.headers.get('pkt-run-id')!;
    assert.equal((await run.next())?.id, '1');
    const late = await attach(server.url, runId, 99);
    assert.equal(late.status, 200);
    runGate.open();
    const events = await late.rest();
    assert.deepEqual(events.map((e) => e.type), ['complete']);
    await run.rest();
  });

  test('the front end refuses a cross-site page, answers 413 after reading the body, and limits plain calls', async () => {
    const crossSite = await fetch(`${server.url}${BASE}/x.slow`, { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' } });
    assert.deepEqual([crossSite.status, (await crossSite.json()).code], [403, 'FORBIDDEN_ORIGIN']);

    const tooLarge = await fetch(`${server.url}${BASE}/x.slow`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(2 * MiB) }),
    });
    assert.deepEqual([tooLarge.status, (await tooLarge.json()).code], [413, 'TOO_LARGE']);

    callGate = gate();
    callsStarted = 0;
    const first = fetch(`${server.url}${BASE}/x.slow`, { method: 'POST' });
    await until(() => callsStarted === 1, 10_000, 'the first call to start on the worker');
    const busy = await fetch(`${server.url}${BASE}/x.slow`, { method: 'POST' });
    assert.deepEqual([busy.status, (await busy.json()).code], [429, 'BUSY']);
    assert.equal(busy.headers.get('retry-after'), '2');
    callGate.open();
    assert.equal(await (await first).json(), 'done');
  });
});
