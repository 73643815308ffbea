// A slow client of a run kept in Redis (issue 10 §3) loses no event: as with the memory store,
// the action's `send` waits while the slowest follower (through any front end) lags too far,
// so the run never outruns what Redis keeps of it. Server and worker run in this process, on a
// real redis-server, with a per-run history (1,000 events) far shorter than the run.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, startWorker, type PktServer, type PktWorker } from '../../src/server/index.js';
import { BASE, contiguous, startRun } from '../helpers/cluster.js';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis.js';

describe('a slow client of a run in Redis', { skip: redisSkip }, () => {
  let redis: RedisServer;
  let server: PktServer;
  let worker: PktWorker;
  const limits = { runHistoryEvents: 1000 };

  before(async () => {
    redis = await startRedis();
    worker = await startWorker({ redis: redis.url, limits });
    server = await startServer({ port: 0, redis: { url: redis.url }, limits });
  });
  after(async () => {
    await server?.close();
    await worker?.close();
    await redis?.close();
  });

  test('holds the action back instead of falling behind the kept events, and gets every event once', async () => {
    const count = 30_000;
    const run = await startRun(server.url, 'demo.firehose', { count, size: 1000 });
    const runId = run.headers.get('pkt-run-id')!;
    const first = await run.next();
    assert.equal(first?.id, '1');
    // The client stops reading for a while: the run goes on only as far as the client's buffers and the lag allow.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const record = (await (await fetch(`${server.url}${BASE}/runs/${runId}`, { headers: { Accept: 'application/json' } })).json()) as { state: string; lastSeq: number };
    assert.equal(record.state, 'live', 'the action waited for its client');
    assert.ok(record.lastSeq < count, `it sent ${record.lastSeq} of ${count} events`);
    const rest = await run.rest();
    const all = [first!, ...rest];
    assert.ok(contiguous(all, 1), 'no gap and no repeat');
    assert.equal(all.length, count + 1);
    assert.equal(all.at(-1)!.type, 'complete');
  });

  test('a re-attach after events that are no longer kept is 404 UNKNOWN_RUN, saying why', async () => {
    const run = await startRun(server.url, 'demo.firehose', { count: 3000 }, { 'Pkt-Detach': '1' });
    const runId = run.headers.get('pkt-run-id')!;
    await run.rest();
    const res = await fetch(`${server.url}${BASE}/runs/${runId}`, { headers: { Accept: 'text/event-stream', 'Last-Event-ID': '5' } });
    assert.equal(res.status, 404);
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, 'UNKNOWN_RUN');
    assert.match(body.message, /no longer has the events after 5/);
  });
});
