// The event stream of PROTOCOL.md §3 and the runs of §4, over real sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActionError } from '../../src/protocol/index.js';
import { defineAction, type ActionStream } from '../../src/server/index.js';
import { BASE, postStream, readStream, until, withServer } from '../helpers/server.js';

test('headers, ids from 1, retry in the first block only, one terminal event', () =>
  withServer({}, async ({ url }) => {
    const s = await postStream(url, 'task.process', { name: 'foo', delayMs: 0 });
    assert.equal(s.status, 200);
    assert.equal(s.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(s.headers.get('cache-control'), 'no-cache, no-transform');
    assert.equal(s.headers.get('x-accel-buffering'), 'no');
    assert.match(s.headers.get('pkt-run-id')!, /^[A-Za-z0-9_-]{16,}$/);
    assert.equal(s.headers.get('content-encoding'), null);
    assert.deepEqual(s.events.map((e) => e.type), ['progress', 'progress', 'progress', 'progress', 'progress', 'complete']);
    assert.deepEqual(s.events.map((e) => e.id), ['1', '2', '3', '4', '5', '6']);
    assert.deepEqual(JSON.parse(s.events[1]!.json), { step: 2, total: 5, percent: 40, message: 'Processing foo: step 2 of 5' });
    assert.deepEqual(JSON.parse(s.events[5]!.json), { status: 'done', taskName: 'foo' });
    assert.equal(s.retry, 2000);
    assert.equal(s.text.match(/^retry:/gm)?.length, 1);
    assert.ok(s.text.startsWith('retry: 2000\n'));
    // Every block has an event line and a data line, so no reader sees a phantom message.
    for (const block of s.text.split('\n\n').filter(Boolean)) assert.match(block, /^event: .+\ndata: .+$/m);
  }));

function streaming(body: (stream: ActionStream) => Promise<unknown>) {
  return defineAction({ call: () => null, streamProgress: (_input, stream) => body(stream) as Promise<void> });
}

test('a throw in streamProgress becomes an error event, redacted unless dev', async () => {
  const failing = streaming(async (s) => {
    await s.send('progress', { step: 1 });
    throw new Error('db password wrong');
  });
  await withServer({ actions: { 'x.fail': failing } }, async ({ url }) => {
    const s = await postStream(url, 'x.fail', {});
    assert.deepEqual(s.events.map((e) => e.type), ['progress', 'error']);
    const err = JSON.parse(s.events[1]!.json);
    assert.deepEqual([err.status, err.code], [500, 'INTERNAL']);
    assert.doesNotMatch(err.message, /password/);
  });
  await withServer({ actions: { 'x.fail': failing }, dev: true }, async ({ url }) => {
    const s = await postStream(url, 'x.fail', {});
    assert.equal(JSON.parse(s.events[1]!.json).message, 'db password wrong');
  });
});

test('bundled demo.fail streams a few events, then an error event', () =>
  withServer({}, async ({ url }) => {
    const s = await postStream(url, 'demo.fail', { delayMs: 0 });
    assert.deepEqual(s.events.map((e) => e.type), ['progress', 'progress', 'progress', 'error']);
  }));

test('returning without sendComplete is an error; returning a value completes with it', async () => {
  const silent = streaming(async (s) => void (await s.send('progress', {})));
  const returns = streaming(async () => ({ returned: 1 }));
  await withServer({ actions: { 'x.silent': silent, 'x.returns': returns }, dev: true }, async ({ url }) => {
    const a = await postStream(url, 'x.silent', {});
    assert.equal(a.events.at(-1)!.type, 'error');
    assert.match(JSON.parse(a.events.at(-1)!.json).message, /without calling stream\.sendComplete/);
    const b = await postStream(url, 'x.returns', {});
    assert.deepEqual(b.events.map((e) => [e.type, e.json]), [['complete', '{"returned":1}']]);
  });
});

test('send refuses reserved and malformed event types before writing', async () => {
  const seen: string[] = [];
  const picky = streaming(async (s) => {
    for (const type of ['complete', 'error', 'bad type', 'a\nb']) {
      await s.send(type, {}).then(
        () => seen.push(`${type}: sent`),
        (e: Error) => seen.push(`${type}: ${e.name}`),
      );
    }
    await s.sendComplete('ok');
  });
  await withServer({ actions: { 'x.picky': picky } }, async ({ url }) => {
    const s = await postStream(url, 'x.picky', {});
    assert.deepEqual(s.events.map((e) => e.type), ['complete']);
    assert.deepEqual(seen, ['complete: TypeError', 'error: TypeError', 'bad type: TypeError', 'a\nb: TypeError']);
  });
});

/** An action that records how its run ends, for disconnect and cancel tests. */
function recorder() {
  const state = { started: false, aborted: false, reason: undefined as unknown, sleepRejected: false, runId: '' };
  const action = streaming(async (s) => {
    state.started = true;
    state.runId = s.runId;
    s.signal.addEventListener('abort', () => {
      state.aborted = true;
      state.reason = s.signal.reason;
    });
    await s.send('progress', { step: 1 });
    try {
      await sleep(60_000, undefined, { signal: s.signal });
    } catch {
      state.sleepRejected = true;
    }
  });
  return { state, action };
}

test('a client that disconnects aborts the signal and what the action awaits, once its linger is over', async () => {
  const { state, action } = recorder();
  await withServer({ actions: { 'x.wait': action }, limits: { lingerMs: 0 } }, async ({ url }) => {
    const controller = new AbortController();
    const res = await fetch(`${url}${BASE}/x.wait`, {
      method: 'POST',
      headers: { Accept: 'text/event-stream' },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await until(() => state.sleepRejected, 5000, 'the action to see the abort');
    assert.equal(state.aborted, true);
    assert.equal((state.reason as ActionError).code, 'CANCELLED');
    assert.match((state.reason as ActionError).message, /nobody re-attached/);
  });
});

test('a detached run goes on after its client leaves, and can be attached to', async () => {
  const action = streaming(async (s) => {
    for (let i = 1; i <= 4; i++) {
      await sleep(30, undefined, { signal: s.signal });
      await s.send('progress', { step: i, total: 4 });
    }
    await s.sendComplete({ done: true });
  });
  await withServer({ actions: { 'x.steps': action } }, async ({ url }) => {
    const controller = new AbortController();
    const res = await fetch(`${url}${BASE}/x.steps`, {
      method: 'POST',
      headers: { Accept: 'text/event-stream', 'Pkt-Detach': '1' },
      signal: controller.signal,
    });
    const runId = res.headers.get('pkt-run-id')!;
    controller.abort();
    const attached = await readStream(await fetch(`${url}${BASE}/runs/${runId}`, { headers: { Accept: 'text/event-stream' } }));
    assert.equal(attached.headers.get('pkt-run-id'), runId);
    assert.deepEqual(attached.events.map((e) => e.id), ['1', '2', '3', '4', '5']);
    assert.equal(attached.events.at(-1)!.type, 'complete');
  });
});

test('re-attach with Last-Event-ID replays the later events once, then follows live', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const action = streaming(async (s) => {
    for (let i = 1; i <= 3; i++) await s.send('progress', { step: i });
    await gate;
    for (let i = 4; i <= 5; i++) await s.send('progress', { step: i });
    await s.sendComplete('end');
  });
  await withServer({ actions: { 'x.gated': action } }, async ({ url }) => {
    const first = await fetch(`${url}${BASE}/x.gated`, { method: 'POST', headers: { Accept: 'text/event-stream', 'Pkt-Detach': '1' } });
    const runId = first.headers.get('pkt-run-id')!;
    const second = await fetch(`${url}${BASE}/runs/${runId}`, { headers: { Accept: 'text/event-stream', 'Last-Event-ID': '2' } });
    const reading = readStream(second, (e) => {
      if (e.id === '3') release();
    });
    const [a, b] = await Promise.all([readStream(first), reading]);
    assert.deepEqual(a.events.map((e) => e.id), ['1', '2', '3', '4', '5', '6']);
    assert.deepEqual(b.events.map((e) => e.id), ['3', '4', '5', '6']);
    assert.equal(b.retry, 2000);
    // After the end, the history is still there to replay.
    const later = await readStream(await fetch(`${url}${BASE}/runs/${runId}`, { headers: { 'Last-Event-ID': '5' } }));
    assert.deepEqual(later.events.map((e) => [e.id, e.type]), [['6', 'complete']]);
  });
});

test('unknown runs and expired history are 404 UNKNOWN_RUN', () =>
  withServer({ limits: { runHistoryEvents: 3 } }, async ({ url }) => {
    const unknown = await fetch(`${url}${BASE}/runs/nope`, { headers: { Accept: 'text/event-stream' } });
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).code, 'UNKNOWN_RUN');
    const s = await postStream(url, 'task.process', { name: 'x', delayMs: 0 });
    const runId = s.headers.get('pkt-run-id')!;
    const old = await fetch(`${url}${BASE}/runs/${runId}`, { headers: { 'Last-Event-ID': '1' } });
    assert.equal(old.status, 404);
    assert.match((await old.json()).message, /no longer has the events after 1/);
    const recent = await readStream(await fetch(`${url}${BASE}/runs/${runId}`, { headers: { 'Last-Event-ID': '3' } }));
    assert.deepEqual(recent.events.map((e) => e.id), ['4', '5', '6']);
  }));

test('DELETE cancels a run: the action sees the abort, the stream ends with CANCELLED', async () => {
  const { state, action } = recorder();
  await withServer({ actions: { 'x.wait': action } }, async ({ url }) => {
    const res = await fetch(`${url}${BASE}/x.wait`, { method: 'POST', headers: { Accept: 'text/event-stream' } });
    const runId = res.headers.get('pkt-run-id')!;
    const reading = readStream(res);
    await until(() => state.started, 5000, 'the action to start');
    const del = await fetch(`${url}${BASE}/runs/${runId}`, { method: 'DELETE' });
    assert.deepEqual(await del.json(), { runId, cancelled: true });
    const s = await reading;
    assert.equal(s.events.at(-1)!.type, 'error');
    assert.equal(JSON.parse(s.events.at(-1)!.json).code, 'CANCELLED');
    await until(() => state.sleepRejected, 5000, 'the action to see the abort');
    const again = await fetch(`${url}${BASE}/runs/${runId}`, { method: 'DELETE' });
    assert.equal((await again.json()).cancelled, false);
    const unknown = await fetch(`${url}${BASE}/runs/nope`, { method: 'DELETE' });
    assert.equal(unknown.status, 404);
  });
});

test('stream.sleep waits, refuses a bad time, and rejects with the run\'s end on cancel, then at once', async () => {
  const state = { slept: 0, badTime: '', reason: undefined as unknown, after: undefined as unknown, waiting: false };
  const action = streaming(async (s) => {
    const t0 = performance.now();
    await s.sleep(30);
    state.slept = performance.now() - t0;
    state.badTime = await s.sleep(-1).then(() => 'resolved', (e: unknown) => (e instanceof TypeError ? e.message : String(e)));
    await s.send('progress', { step: 1 });
    state.waiting = true;
    // Two at once: both end with the run.
    const both = await Promise.allSettled([s.sleep(60_000), s.sleep(60_000)]);
    state.reason = both.every((r) => r.status === 'rejected') ? (both[0] as PromiseRejectedResult).reason : 'not both rejected';
    state.after = await s.sleep(10).then(() => 'resolved', (e: unknown) => e);
  });
  await withServer({ actions: { 'x.nap': action } }, async ({ url }) => {
    const res = await fetch(`${url}${BASE}/x.nap`, { method: 'POST', headers: { Accept: 'text/event-stream' } });
    const runId = res.headers.get('pkt-run-id')!;
    const reading = readStream(res);
    await until(() => state.waiting, 5000, 'the action to sleep');
    await fetch(`${url}${BASE}/runs/${runId}`, { method: 'DELETE' });
    const s = await reading;
    assert.equal(JSON.parse(s.events.at(-1)!.json).code, 'CANCELLED');
    await until(() => state.after !== undefined, 5000, 'the sleeps to end');
    // Timers may fire a little early on some systems; the point is that it waited at all.
    assert.ok(state.slept >= 25, `slept ${state.slept} ms`);
    assert.match(state.badTime, /stream\.sleep\(-1\): give a number of milliseconds/);
    assert.ok(state.reason instanceof ActionError && state.reason.code === 'CANCELLED', String(state.reason));
    assert.ok(state.after instanceof ActionError && state.after.code === 'CANCELLED', String(state.after));
  });
});

test('over the concurrent-stream limit: 429 BUSY with Retry-After', async () => {
  const { action } = recorder();
  await withServer({ actions: { 'x.wait': action }, limits: { maxConcurrentStreams: 2 } }, async ({ url }) => {
    const open = [];
    for (let i = 0; i < 2; i++) open.push(await fetch(`${url}${BASE}/x.wait`, { method: 'POST', headers: { Accept: 'text/event-stream' } }));
    const busy = await fetch(`${url}${BASE}/x.wait`, { method: 'POST', headers: { Accept: 'text/event-stream' } });
    assert.equal(busy.status, 429);
    assert.equal(busy.headers.get('retry-after'), '2');
    assert.equal((await busy.json()).code, 'BUSY');
    // Plain calls are not streams and still go through.
    const plain = await fetch(`${url}${BASE}/task.process`, { method: 'POST', body: '{"name":"p"}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(plain.status, 200);
    await plain.arrayBuffer();
    for (const res of open) await res.body!.cancel();
  });
});

test('a heartbeat comment goes out after silence', async () => {
  const { action } = recorder();
  await withServer({ actions: { 'x.wait': action }, limits: { heartbeatMs: 50 } }, async ({ url }) => {
    const res = await fetch(`${url}${BASE}/x.wait`, { method: 'POST', headers: { Accept: 'text/event-stream' } });
    const reader = res.body!.getReader();
    let text = '';
    await until(async () => {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
      return text.includes(': heartbeat\n\n');
    }, 5000, 'a heartbeat');
    await reader.cancel();
  });
});

test('a client that stops reading blocks send, and is dropped when stalled', async () => {
  const state = { sent: 0, aborted: false };
  const total = 2_000_000;
  const flood = streaming(async (s) => {
    s.signal.addEventListener('abort', () => (state.aborted = true));
    for (let i = 0; i < total; i++) {
      await s.send('progress', { step: i, pad: 'x'.repeat(100) });
      state.sent++;
    }
    await s.sendComplete('done');
  });
  // A dropped client is one that left: its run lingers, here for no time at all.
  await withServer({ actions: { 'x.flood': flood }, limits: { stalledClientMs: 1500, lingerMs: 0 } }, async ({ port }) => {
    // A raw socket that sends the request and then never reads.
    const socket = connect(port, '127.0.0.1');
    socket.write(`POST ${BASE}/x.flood HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nContent-Length: 0\r\n\r\n`);
    socket.pause();
    // Wait for the sender to settle: its count stops moving while the client reads nothing.
    let last = -1;
    await until(async () => {
      await sleep(100);
      const settled = state.sent > 0 && state.sent === last;
      last = state.sent;
      return settled;
    }, 10_000, 'send to block');
    assert.ok(state.sent < total / 10, `send kept going: ${state.sent} events sent to a client that reads nothing`);
    await until(() => state.aborted, 10_000, 'the stalled client to be dropped');
    socket.destroy();
  });
});

test('shutdown ends open streams with a SHUTDOWN error event', async () => {
  const { action } = recorder();
  await withServer({ actions: { 'x.wait': action } }, async (server) => {
    const res = await fetch(`${server.url}${BASE}/x.wait`, { method: 'POST', headers: { Accept: 'text/event-stream' } });
    const reading = readStream(res);
    await server.close();
    const s = await reading;
    assert.deepEqual(s.events.map((e) => e.type), ['progress', 'error']);
    assert.equal(JSON.parse(s.events[1]!.json).code, 'SHUTDOWN');
  });
});
