// The memory run store: history, subscriptions, pacing, the budget, the list and cancel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { ActionError, seqOf } from '../../src/protocol/index.js';
import { MemoryRunStore, StreamEvent, type RunSubscription } from '../../src/server/index.js';

const ev = (seq: number, data = String(seq)) => new StreamEvent('progress', String(seq), data);
const done = (seq: number) => new StreamEvent('complete', String(seq), '"ok"');
const failed = (seq: number, code: string) => new StreamEvent('error', String(seq), JSON.stringify({ status: 499, code, message: code }));

function store(options: Partial<ConstructorParameters<typeof MemoryRunStore>[0]> = {}) {
  return new MemoryRunStore({ maxEvents: 1000, retentionMs: 60_000, ...options });
}

/** Every seq a subscription hands over, to its end. */
async function seqs(subscription: RunSubscription): Promise<number[]> {
  const out: number[] = [];
  for await (const batch of subscription) out.push(...batch.map(seqOf));
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const err = await promise.then(() => assert.fail('expected a rejection'), (e: unknown) => e);
  assert.ok(err instanceof ActionError, String(err));
  return err;
}

test('keeps the last N events of a run; a subscription after a dropped one is 404, from the oldest is not', async () => {
  const s = store({ maxEvents: 3 });
  s.create({ runId: 'r', action: 'a.b', detached: true });
  for (let i = 1; i <= 5; i++) s.append('r', ev(i));
  s.append('r', done(6));
  assert.deepEqual(await seqs(s.subscribe('r', 3)), [4, 5, 6]);
  assert.deepEqual(await seqs(s.subscribe('r', 'oldest')), [4, 5, 6]);
  assert.match((await rejection((async () => s.subscribe('r', 2))())).message, /no longer has the events after 2/);
  assert.match((await rejection((async () => s.subscribe('nope', 0))())).message, /no run nope/);
  s.close();
});

test('a replay after the ring wrapped hands back each kept event as sent: type, id and JSON', async () => {
  const s = store({ maxEvents: 4 });
  s.create({ runId: 'r', action: 'a', detached: true });
  const sent = [1, 2, 3, 4, 5, 6].map((seq) => new StreamEvent(seq % 2 ? 'progress' : 'log', String(seq), JSON.stringify({ seq, text: 'x'.repeat(seq * 10) })));
  for (const event of sent) s.append('r', event);
  s.append('r', done(7));
  const seen: StreamEvent[] = [];
  for await (const batch of s.subscribe('r', 'oldest')) seen.push(...batch);
  assert.deepEqual(
    seen.map((e) => [e.type, e.id, e.json]),
    [...sent.slice(3), done(7)].map((e) => [e.type, e.id, e.json]),
  );
  assert.deepEqual(seen[0]!.data, { seq: 4, text: 'x'.repeat(40) });
  s.close();
});

test('a subscription replays the history, then follows live, and ends after the terminal event', async () => {
  const s = store();
  s.create({ runId: 'r', action: 'a', detached: false });
  s.append('r', ev(1));
  s.append('r', ev(2));
  const seen = seqs(s.subscribe('r', 0));
  await turn();
  s.append('r', ev(3));
  await turn();
  s.append('r', done(4));
  assert.deepEqual(await seen, [1, 2, 3, 4]);
  const record = s.get('r')!;
  assert.equal(record.state, 'completed');
  assert.equal(record.lastSeq, 4);
  assert.ok(record.endedAt);
  s.close();
});

test('a follower with a sink takes each event as it is appended while it waits; a full sink sends it back to reading', async () => {
  const s = store();
  s.create({ runId: 'r', action: 'a', detached: false });
  s.append('r', ev(1));
  const subscription = s.subscribe('r', 0);
  const direct: number[] = [];
  let room = true;
  subscription.deliverTo!((event) => {
    direct.push(seqOf(event));
    return room;
  });
  const read: number[][] = [];
  const reading = (async () => {
    for await (const batch of subscription) read.push(batch.map(seqOf));
  })();
  await turn();
  // The history came through the iterator; now it waits, and the sink takes events at once.
  assert.deepEqual(read, [[1]]);
  s.append('r', ev(2));
  s.append('r', ev(3));
  assert.deepEqual(direct, [2, 3], 'handed over during append, with no turn in between');
  room = false;
  s.append('r', ev(4));
  assert.deepEqual(direct, [2, 3, 4]);
  // Not waiting any more (its read settled empty): the next ones wait in the log for its read.
  s.append('r', ev(5));
  assert.deepEqual(direct, [2, 3, 4]);
  await turn();
  assert.deepEqual(read, [[1], [], [5]]);
  room = true;
  s.append('r', done(6));
  await reading;
  assert.deepEqual(direct, [2, 3, 4, 6]);
  assert.equal(s.get('r')!.followers, 0, 'the terminal event ended the subscription');
  s.close();
});

test('a sink never gets an event the history could not keep: the read learns why', async () => {
  const s = store({ historyBytes: 200 });
  s.create({ runId: 'r', action: 'a', detached: false });
  const subscription = s.subscribe('r', 0);
  const direct: number[] = [];
  subscription.deliverTo!((event) => direct.push(seqOf(event)) > 0);
  const reading = seqs(subscription).then(
    () => 'ended',
    (e: unknown) => (e as Error).message,
  );
  await turn();
  s.append('r', ev(1));
  s.append('r', ev(2, `"${'x'.repeat(400)}"`));
  assert.deepEqual(direct, [1]);
  assert.match(await reading, /no longer has the events after 1/);
  s.close();
});

test('a follower that lags holds the sender back until it reads; one that leaves lets it go', async () => {
  const s = store({ maxEvents: 10_000 });
  s.create({ runId: 'r', action: 'a', detached: false });
  const subscription = s.subscribe('r', 0);
  let seq = 0;
  let held: Promise<void> | undefined;
  while (!held && seq < 5000) held = s.append('r', ev(++seq));
  assert.ok(held, 'append never held back');
  assert.ok(seq > 200 && seq < 400, `held back after ${seq} events`);
  let released = false;
  void held.then(() => (released = true));
  await turn();
  assert.equal(released, false, 'released before the follower read');
  const iterator = subscription[Symbol.asyncIterator]();
  const first = await iterator.next();
  assert.equal(first.value!.length, seq);
  await turn();
  assert.equal(released, true);
  // A second lagging stretch, and the follower leaves instead of reading.
  held = undefined;
  while (!held) held = s.append('r', ev(++seq));
  subscription.close();
  await held;
  assert.equal(s.get('r')!.followers, 0);
  assert.ok(s.get('r')!.idleSince !== undefined);
  s.close();
});

test('a run nobody follows is never held back', () => {
  const s = store({ maxEvents: 10 });
  s.create({ runId: 'r', action: 'a', detached: true });
  for (let i = 1; i <= 10_000; i++) assert.equal(s.append('r', ev(i)), undefined);
  s.close();
});

test('the budget: ended runs go first, oldest first, then the oldest events of the largest live runs', async () => {
  const size = 1000;
  const pad = 'x'.repeat(size);
  // Cost per event: data + type + id + overhead, about 1080 bytes here.
  const s = store({ historyBytes: 20_000 });
  for (const id of ['ended1', 'ended2', 'small', 'big']) s.create({ runId: id, action: 'a', detached: true });
  for (let i = 1; i <= 3; i++) s.append('ended1', ev(i, pad));
  s.append('ended1', done(4));
  for (let i = 1; i <= 3; i++) s.append('ended2', ev(i, pad));
  s.append('ended2', done(4));
  for (let i = 1; i <= 2; i++) s.append('small', ev(i, pad));
  for (let i = 1; i <= 40; i++) {
    s.append('big', ev(i, pad));
    assert.ok(s.usage().bytes <= 20_000, `over the budget: ${s.usage().bytes}`);
  }
  assert.ok(s.usage().peakBytes <= 20_000);
  // Both ended runs went, the oldest first, and they say why.
  assert.equal(s.get('ended1'), undefined);
  assert.equal(s.get('ended2'), undefined);
  assert.match((await rejection((async () => s.subscribe('ended1', 0))())).message, /history budget/);
  assert.equal(s.cancel('ended1', { status: 499, code: 'CANCELLED', message: 'x' }), 'ended');
  // The small live run kept everything; the big one lost its oldest events.
  assert.deepEqual(await seqs(closeAfter(s.subscribe('small', 0))), [1, 2]);
  const big = await seqs(closeAfter(s.subscribe('big', 'oldest')));
  assert.equal(big.at(-1), 40);
  assert.ok(big[0]! > 1);
  s.close();
});

/** A live run's subscription never ends by itself: read what is there, then close. */
function closeAfter(subscription: RunSubscription): RunSubscription {
  setImmediate(() => subscription.close());
  return subscription;
}

test('the ended run that took the budget first goes first, even if the budget is for runs', () => {
  const s = store({ historyRuns: 3 });
  for (const id of ['a', 'b', 'c']) {
    s.create({ runId: id, action: 'x', detached: true });
    s.append(id, done(1));
  }
  s.create({ runId: 'd', action: 'x', detached: true });
  assert.equal(s.get('a'), undefined);
  assert.ok(s.get('b'));
  assert.equal(s.usage().runs, 3);
  s.close();
});

test('ended runs expire after the retention time, and say so', async () => {
  let now = 0;
  const s = store({ retentionMs: 1000, now: () => now });
  s.create({ runId: 'r', action: 'x', detached: true });
  s.append('r', done(1));
  now = 999;
  assert.equal(s.get('r')!.state, 'completed');
  now = 1001;
  assert.equal(s.get('r'), undefined);
  assert.match((await rejection((async () => s.subscribe('r', 0))())).message, /expired/);
  s.close();
});

test('list: newest first, by state, in pages', () => {
  const s = store();
  for (let i = 1; i <= 5; i++) s.create({ runId: `r${i}`, action: 'x', detached: false });
  s.append('r2', done(1));
  s.append('r3', failed(1, 'CANCELLED'));
  s.append('r4', failed(1, 'INTERNAL'));
  s.append('r5', new StreamEvent('progress', '1', '{}'), 42);
  assert.deepEqual(s.list({}).runs.map((r) => [r.runId, r.state]), [
    ['r5', 'live'],
    ['r4', 'failed'],
    ['r3', 'cancelled'],
    ['r2', 'completed'],
    ['r1', 'live'],
  ]);
  assert.deepEqual(s.list({ state: 'live' }).runs.map((r) => r.runId), ['r5', 'r1']);
  assert.equal(s.list({}).runs[0]!.percent, 42);
  assert.equal('followers' in s.list({}).runs[0]!, false);
  const page1 = s.list({ limit: 2 });
  assert.deepEqual(page1.runs.map((r) => r.runId), ['r5', 'r4']);
  const page2 = s.list({ limit: 2, cursor: page1.cursor! });
  assert.deepEqual(page2.runs.map((r) => r.runId), ['r3', 'r2']);
  const page3 = s.list({ limit: 2, cursor: page2.cursor! });
  assert.deepEqual(page3.runs.map((r) => r.runId), ['r1']);
  assert.equal(page3.cursor, undefined);
  s.close();
});

test('cancel reaches the handler of a live run; an ended run and an unknown id say so', () => {
  const s = store();
  s.create({ runId: 'r', action: 'x', detached: false });
  const reasons: string[] = [];
  s.onCancel('r', (reason) => {
    reasons.push(reason.code);
    s.append('r', new StreamEvent('error', '1', JSON.stringify(reason)));
    return true;
  });
  assert.equal(s.cancel('r', { status: 499, code: 'CANCELLED', message: 'by a test' }), 'cancelled');
  assert.deepEqual(reasons, ['CANCELLED']);
  assert.equal(s.get('r')!.state, 'cancelled');
  assert.equal(s.cancel('r', { status: 499, code: 'CANCELLED', message: 'again' }), 'ended');
  assert.equal(s.cancel('nope', { status: 499, code: 'CANCELLED', message: 'x' }), 'unknown');
  s.close();
});
