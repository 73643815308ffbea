// The Redis run store against a real redis-server: the seq as the Stream entry id, exactly once
// on re-attach, fencing of a worker that lost its run, cancel, the list, and the history limits.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ActionError, StreamEvent } from '../../src/protocol/index.js';
import { connect, script, type Redis } from '../../src/server/redis/connection.js';
import { RedisRunStore } from '../../src/server/redis/redis-store.js';
import { storeSettings } from '../../src/server/redis/settings.js';
import type { RunSubscription } from '../../src/server/runs/store.js';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis.js';

const ev = (type: string, data: unknown) => new StreamEvent(type, '', JSON.stringify(data));

/** The next batch of a subscription, without closing it (a for-await that breaks would). */
async function nextBatch(sub: RunSubscription): Promise<readonly StreamEvent[]> {
  const result = await sub[Symbol.asyncIterator]().next();
  return result.done ? [] : result.value;
}

async function all(sub: RunSubscription): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const batch of sub) out.push(...batch);
  return out;
}

describe('the Redis run store', { skip: redisSkip }, () => {
  let server: RedisServer;
  let redis: Redis;
  let n = 0;
  const stores: RedisRunStore[] = [];
  const newStore = (limits = {}) => {
    const store = new RedisRunStore({ redis: redis.duplicate() }, storeSettings(limits, `t${++n}:`));
    stores.push(store);
    return store;
  };

  before(async () => {
    server = await startRedis();
    redis = await connect(server.url, 'test');
  });
  after(async () => {
    for (const store of stores) await store.close();
    for (const store of stores) store.redis.disconnect();
    redis?.disconnect();
    await server?.close();
  });

  test('a worker appends, a follower gets every event once, from the start or after a seq', async () => {
    const store = newStore();
    await store.create({ runId: 'r1', action: 'task.process', detached: false });
    const claim = await store.claim('r1', 'w1', 1, 'nobody');
    assert.deepEqual(claim, { outcome: 'run', attempt: 1, lastSeq: 0 });
    const live = await store.subscribe('r1', 0);
    for (let i = 1; i <= 5; i++) await store.append('r1', ev('progress', { percent: i * 10 }), i * 10);
    await store.append('r1', ev('complete', { ok: true }));
    await store.finished('r1');
    const events = await all(live);
    assert.deepEqual(events.map((e) => e.id), ['1', '2', '3', '4', '5', '6']);
    assert.equal(events.at(-1)!.type, 'complete');
    const again = await all(await store.subscribe('r1', 3));
    assert.deepEqual(again.map((e) => e.id), ['4', '5', '6']);
    const record = await store.get('r1');
    assert.equal(record?.state, 'completed');
    assert.equal(record?.lastSeq, 6);
    assert.equal(record?.percent, 50);
    assert.ok(record?.endedAt);
  });

  test('a run taken for lost restarts with the seq counting on, and the old worker cannot append', async () => {
    const store = newStore();
    // Both "workers" share the prefix: the second is another process taking the job after a stall.
    const b = new RedisRunStore({ redis: redis.duplicate() }, store.settings);
    stores.push(b);
    await store.create({ runId: 'r2', action: 'a', detached: true });
    await store.claim('r2', 'w1', 2, 'nobody');
    await store.append('r2', ev('progress', { step: 1 }));
    await store.append('r2', ev('progress', { step: 2 }));
    await store.drained('r2');
    let fencedWith: string | undefined;
    store.onCancel('r2', (reason) => {
      fencedWith = reason.code;
      return true;
    });
    const claim = await b.claim('r2', 'w2', 2, 'nobody');
    assert.equal(claim.outcome, 'restart');
    assert.equal(claim.attempt, 2);
    assert.equal(claim.lastSeq, 3, 'the restart event took seq 3');
    await store.append('r2', ev('progress', { step: 3 }));
    await store.finished('r2');
    assert.equal(fencedWith, 'WORKER_LOST');
    await b.append('r2', ev('complete', 'done'));
    await b.finished('r2');
    const events = await all(await b.subscribe('r2', 0));
    assert.deepEqual(events.map((e) => `${e.id}:${e.type}`), ['1:progress', '2:progress', '3:restart', '4:complete']);
    assert.deepEqual(events[2]!.data, { attempt: 2, reason: 'the worker running it was lost' });
    // No attempts left: the next worker that takes it ends it with WORKER_LOST.
    await store.create({ runId: 'r3', action: 'a', detached: true });
    await store.claim('r3', 'w1', 1, 'nobody');
    assert.equal((await b.claim('r3', 'w2', 1, 'nobody')).outcome, 'lost');
    const lost = await all(await b.subscribe('r3', 0));
    assert.equal(lost.length, 1);
    assert.equal((lost[0]!.data as { code: string }).code, 'WORKER_LOST');
    assert.equal((await b.get('r3'))?.state, 'failed');
  });

  test('cancel: a queued run ends at once, a live one on its worker, an ended one says so', async () => {
    const store = newStore();
    const reason = new ActionError(499, 'CANCELLED', 'the run was cancelled by a client').toJSON();
    assert.equal(await store.cancel('nope', reason), 'unknown');
    await store.create({ runId: 'q', action: 'a', detached: false });
    assert.equal(await store.cancel('q', reason), 'cancelled');
    assert.equal((await store.get('q'))?.state, 'cancelled');
    assert.equal((await store.claim('q', 'w', 1, 'nobody')).outcome, 'ended', 'a worker that takes it later does nothing');
    assert.equal(await store.cancel('q', reason), 'ended');

    await store.create({ runId: 'l', action: 'a', detached: false });
    await store.claim('l', 'w', 1, 'nobody');
    await store.redis.set(`${store.settings.prefix}worker:w`, '{}', 'PX', 5000);
    const heard = new Promise<string>((resolve) =>
      store.onCancel('l', (r) => {
        resolve(r.code);
        return true;
      }),
    );
    // Let the subscriber connection start listening.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await store.cancel('l', reason), 'cancelled');
    assert.equal(await heard, 'CANCELLED');
  });

  test('a follower behind the kept events gets 404, and so does a re-attach before them', async () => {
    const store = newStore({ runHistoryEvents: 10 });
    await store.create({ runId: 'big', action: 'a', detached: true });
    await store.claim('big', 'w', 1, 'nobody');
    const slow = await store.subscribe('big', 0);
    await store.append('big', ev('progress', { i: 0 }));
    const first = await nextBatch(slow);
    assert.equal(first[0]!.id, '1');
    for (let i = 1; i < 50; i++) void store.append('big', ev('progress', { i }));
    await store.finished('big');
    await assert.rejects(nextBatch(slow), (err: ActionError) => err.code === 'UNKNOWN_RUN' && /no longer has the events after 1/.test(err.message));
    await assert.rejects(store.subscribe('big', 2), (err: ActionError) => err.status === 404 && /no longer has the events after 2/.test(err.message));
    const oldest = await nextBatch(await store.subscribe('big', 'oldest'));
    assert.equal(oldest[0]!.id, '41', 'the latest 10 of 50 are kept');
  });

  test('the list: newest first, by state, in pages', async () => {
    const store = newStore();
    for (let i = 0; i < 5; i++) {
      await store.create({ runId: `p${i}`, action: 'a', detached: false });
      await store.claim(`p${i}`, 'w', 1, 'nobody');
    }
    await store.append('p1', ev('complete', 1));
    await store.finished('p1');
    const page1 = await store.list({ limit: 2 });
    assert.deepEqual(page1.runs.map((r) => r.runId), ['p4', 'p3']);
    assert.ok(page1.cursor);
    const page2 = await store.list({ limit: 2, cursor: page1.cursor });
    assert.deepEqual(page2.runs.map((r) => r.runId), ['p2', 'p1']);
    const page3 = await store.list({ limit: 2, cursor: page2.cursor });
    assert.deepEqual(page3.runs.map((r) => r.runId), ['p0']);
    assert.equal(page3.cursor, undefined);
    const done = await store.list({ state: 'completed' });
    assert.deepEqual(done.runs.map((r) => r.runId), ['p1']);
  });

  test('followers count through live front ends, and the last to leave marks the run idle', async () => {
    const store = newStore();
    await store.create({ runId: 'f', action: 'a', detached: false });
    await store.claim('f', 'w', 1, 'nobody');
    const sub = await store.subscribe('f', 0);
    assert.equal((await store.get('f'))?.followers, 1);
    assert.equal((await store.get('f'))?.idleSince, undefined);
    sub.close();
    await new Promise((r) => setTimeout(r, 50));
    const record = await store.get('f');
    assert.equal(record?.followers, 0);
    assert.ok(record?.idleSince);
  });

  test('a plain call is either taken by a worker or withdrawn by its front, never both', async () => {
    const take = (id: string) => script<number>(redis, 'pktTakeCall', ['c:', id, 60_000]);
    const withdraw = (id: string, force = false) => script<number>(redis, 'pktWithdrawCall', ['c:', id, 60_000, force ? '1' : '0']);
    assert.equal(await withdraw('early'), 1, 'nobody took it: withdrawn');
    assert.equal(await take('early'), 0, 'a worker that comes later leaves it');
    assert.equal(await take('taken'), 1, 'the first attempt');
    assert.equal(await withdraw('taken'), 0, 'a worker has it: the front waits');
    assert.equal(await take('taken'), 2, 'taken again after its worker was lost: the second attempt');
    assert.equal(await withdraw('taken', true), 1, 'no worker that runs it is alive: withdrawn all the same');
    assert.equal(await take('taken'), 0);
  });
});
