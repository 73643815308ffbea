// A slow client of a run kept in Redis (issue 10 §3): the action's `send` does not wait for it
// (it may follow through any front end); it loses no event silently either. Once the events it
// has not read are trimmed away, its stream ends without a terminal event, and its re-attach is
// 404 UNKNOWN_RUN, saying why. Server and worker run in this process, on a real redis-server.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, startWorker, type PktServer, type PktWorker } from '../../src/server/index.js';
import { attach, BASE, contiguous, startRun } from '../helpers/cluster.js';
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

  test('falls behind the kept events: its stream ends without a gap, and its re-attach is 404', async () => {
    const run = await startRun(server.url, 'demo.firehose', { count: 30_000, size: 1000 });
    const runId = run.headers.get('pkt-run-id')!;
    const first = await run.next();
    assert.equal(first?.id, '1');
    // Stop reading until the action has finished: it did not wait for this client.
    for (;;) {
      const record = (await (await fetch(`${server.url}${BASE}/runs/${runId}`, { headers: { Accept: 'application/json' } })).json()) as { state: string };
      if (record.state !== 'live') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const rest = await run.rest();
    const got = [first!, ...rest];
    assert.ok(contiguous(got, 1), 'what it got has no gap and no repeat');
    assert.ok(!got.some((e) => e.type === 'complete'), 'and no terminal event: it did not get the whole run');
    const last = Number(got.at(-1)!.id);
    const again = await attach(server.url, runId, last);
    assert.equal(again.status, 404);
    const res = await fetch(`${server.url}${BASE}/runs/${runId}`, { headers: { Accept: 'text/event-stream', 'Last-Event-ID': String(last) } });
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, 'UNKNOWN_RUN');
    assert.match(body.message, new RegExp(`no longer has the events after ${last}`));
  });
});
