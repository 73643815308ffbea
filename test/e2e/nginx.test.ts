// Behind a real proxy (issue 10 §4): two front ends behind nginx with its default buffering.
// Events arrive live through it (the fronts send X-Accel-Buffering: no), and after the front
// serving a stream is killed, the client re-attaches through nginx and gets every later event once.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { attach, BASE, contiguous, startFront, startRun, startWorker, type Front, type Proc } from '../helpers/cluster.js';
import { nginxSkip, startNginx, type Nginx } from '../helpers/nginx.js';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis.js';

describe('two front ends behind nginx', { skip: redisSkip || nginxSkip }, () => {
  let redis: RedisServer;
  let primary: Front;
  let backup: Front;
  let worker: Proc;
  let nginx: Nginx;

  before(async () => {
    redis = await startRedis();
    [primary, backup, worker] = await Promise.all([startFront(redis.url), startFront(redis.url), startWorker(redis.url)]);
    nginx = await startNginx(primary.url, backup.url);
  });

  after(async () => {
    await nginx?.close();
    await Promise.all([primary, backup, worker].filter(Boolean).map((p) => p.kill()));
    await redis?.close();
  });

  test('events arrive live through nginx, and a re-attach through it survives the front being killed', async () => {
    const run = await startRun(nginx.url, 'slow.steps', { steps: 30, delayMs: 100 });
    assert.equal(run.status, 200);
    const runId = run.headers.get('pkt-run-id')!;
    const first = await run.next();
    assert.equal(first?.id, '1');
    // The first event came while the run still has most of its steps ahead: nginx did not hold it back.
    const record = (await (await fetch(`${nginx.url}${BASE}/runs/${runId}`, { headers: { Accept: 'application/json' } })).json()) as {
      state: string;
      lastSeq: number;
    };
    assert.equal(record.state, 'live');
    assert.ok(record.lastSeq < 25, `only ${record.lastSeq} of 31 events were sent when the first arrived`);
    const seen = [first!];
    for (let e = await run.next(); e && seen.length < 3; e = await run.next()) seen.push(e);

    await primary.kill();
    const cut = await run.rest();
    assert.ok(!cut.some((e) => e.type === 'complete'), 'the stream through the killed front was cut');
    const last = Number([...seen, ...cut].at(-1)!.id);
    const resumed = await (await attach(nginx.url, runId, last)).rest();
    assert.ok(contiguous(resumed, last + 1), 'every later event once, in order');
    assert.equal(resumed.at(-1)!.type, 'complete');
    assert.equal(resumed.at(-1)!.id, '31');
  });
});
