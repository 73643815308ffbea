// Issue 12 items 3 and 4: payloads JSON cannot carry, and events of any size up to the
// per-event limit. Each run ends with exactly one terminal event, and nothing unsendable is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineAction, type ActionStream } from '../../src/server/index.js';
import { BASE, postStream, readStream, until, withServer } from '../helpers/server.js';

function streaming(body: (stream: ActionStream) => Promise<unknown>) {
  return defineAction({ call: () => null, streamProgress: (_input, stream) => body(stream) as Promise<void> });
}

const MiB = 1024 * 1024;

test('sendComplete with a function, a symbol or an empty toJSON: TypeError, one error event, and the slot is freed', async () => {
  const rejections: string[] = [];
  const results: Record<string, unknown> = { fn: () => 1, symbol: Symbol('s'), tojson: { toJSON: () => undefined } };
  const actions = Object.fromEntries(
    Object.entries(results).map(([name, result]) => [
      `x.${name}`,
      streaming(async (s) => {
        await s.send('progress', { step: 1 });
        await s.sendComplete(result).catch((e: Error) => {
          rejections.push(`${e.constructor.name}: ${e.message}`);
        });
      }),
    ]),
  );
  // One stream at a time: a run that never ended would hold the only slot, and the next get 429.
  await withServer({ actions, limits: { maxConcurrentStreams: 1 } }, async ({ url }) => {
    for (let round = 0; round < 2; round++) {
      for (const name of Object.keys(actions)) {
        const s = await postStream(url, name, {});
        assert.equal(s.status, 200, `${name}: a stream, not ${s.status}`);
        assert.deepEqual(s.events.map((e) => e.type), ['progress', 'error'], name);
        const error = JSON.parse(s.events[1]!.json);
        assert.equal(error.code, 'INTERNAL');
        assert.match(error.message, /redact|--dev/, 'the message is redacted without --dev');
      }
    }
  });
  assert.equal(rejections.length, 6);
  for (const r of rejections) assert.match(r, /^UnsendableEvent: stream\.sendComplete: the payload cannot be sent as JSON/);
});

test('send with a function rejects with a TypeError, stores nothing, and ends the run with one error', async () => {
  let rejection: unknown;
  const action = streaming(async (s) => {
    await s.send('progress', { step: 1 });
    try {
      await s.send('progress', () => 1);
    } catch (err) {
      rejection = err;
    }
    // The run has ended: a later send or result is refused, and adds nothing.
    await s.send('progress', { step: 3 }).catch(() => {});
    await s.sendComplete('late').catch(() => {});
  });
  const logged: string[] = [];
  await withServer({ actions: { 'x.fn': action }, dev: true, log: (l) => logged.push(l) }, async ({ url }) => {
    const s = await postStream(url, 'x.fn', {});
    assert.deepEqual(s.events.map((e) => [e.id, e.type]), [['1', 'progress'], ['2', 'error']]);
    assert.match(JSON.parse(s.events[1]!.json).message, /stream\.send\("progress"\): the payload cannot be sent as JSON \(a function has no JSON form\)/);
    assert.ok(rejection instanceof TypeError);
    // The history holds the same two events, nothing in between.
    const runId = s.headers.get('pkt-run-id')!;
    const again = await readStream(await fetch(`${url}${BASE}/runs/${runId}`, { headers: { 'Last-Event-ID': '0' } }));
    assert.deepEqual(again.events.map((e) => [e.id, e.type]), [['1', 'progress'], ['2', 'error']]);
  });
  assert.ok(logged.some((l) => l.includes('x.fn') && l.includes('cannot be sent as JSON')), logged.join('\n'));
});

test("a toJSON that throws: its message stays in the server's log, not in the client's error", async () => {
  const action = streaming(async (s) => {
    await s.send('progress', { toJSON: () => { throw new Error('password=hunter2'); } });
  });
  const logged: string[] = [];
  await withServer({ actions: { 'x.leak': action }, log: (l) => logged.push(l) }, async ({ url }) => {
    const s = await postStream(url, 'x.leak', {});
    assert.deepEqual(s.events.map((e) => e.type), ['error']);
    assert.doesNotMatch(s.text, /hunter2/);
    assert.equal(JSON.parse(s.events[0]!.json).code, 'INTERNAL');
  });
  assert.ok(logged.some((l) => l.includes('hunter2')), 'the log has the details');
});

test('an event over the buffer limit but under the event limit is delivered, live and on re-attach', async () => {
  const big = 'x'.repeat(3 * MiB);
  const action = streaming(async (s) => {
    await s.send('progress', { step: 1 });
    await s.send('blob', { big });
    await s.sendComplete({ done: true });
  });
  // The connection's buffer limit (1 MiB) is a third of the event: it counts the backlog beyond it.
  await withServer({ actions: { 'x.big': action }, limits: { maxBufferedBytes: MiB } }, async ({ url }) => {
    const s = await postStream(url, 'x.big', {});
    assert.deepEqual(s.events.map((e) => e.type), ['progress', 'blob', 'complete']);
    assert.equal(JSON.parse(s.events[1]!.json).big.length, big.length);
    const runId = s.headers.get('pkt-run-id')!;
    const again = await readStream(await fetch(`${url}${BASE}/runs/${runId}`, { headers: { 'Last-Event-ID': '1' } }));
    assert.deepEqual(again.events.map((e) => e.type), ['blob', 'complete']);
    assert.equal(JSON.parse(again.events[0]!.json).big.length, big.length);
  });
});

test('an event over the per-event limit is refused with a clear error, and the run ends with one error', async () => {
  let rejection: Error | undefined;
  const action = streaming(async (s) => {
    await s.send('progress', { step: 1 });
    await s.send('blob', 'x'.repeat(2 * MiB)).catch((e: Error) => (rejection = e));
  });
  await withServer({ actions: { 'x.huge': action }, limits: { maxEventBytes: MiB }, dev: true }, async ({ url }) => {
    const s = await postStream(url, 'x.huge', {});
    assert.deepEqual(s.events.map((e) => e.type), ['progress', 'error']);
    await until(() => rejection, 5000, 'the send to reject');
    assert.ok(rejection instanceof TypeError);
    assert.match(rejection!.message, /^stream\.send\("blob"\): the payload is 2097154 bytes of JSON, over the 1048576-byte limit per event \(limits\.maxEventBytes\)/);
  });
});

test('a careless action that does not await cannot pile events up for a reader that does not read', async () => {
  let aborted = false;
  const action = streaming(async (s) => {
    s.signal.addEventListener('abort', () => (aborted = true));
    // Sends without awaiting: only the limits stand between it and the heap.
    for (let i = 0; i < 400 && !s.signal.aborted; i++) void s.send('blob', 'y'.repeat(64 * 1024));
    await new Promise((resolve) => s.signal.addEventListener('abort', resolve));
  });
  // The run keeps 4 MiB of history: the reader falls behind it, is let go, and (no linger) the run ends.
  const limits = { runHistoryBytes: 4 * MiB, lingerMs: 0, stalledClientMs: 2000 };
  await withServer({ actions: { 'x.careless': action }, limits }, async ({ port }) => {
    const { connect } = await import('node:net');
    const socket = connect(port, '127.0.0.1');
    socket.write(`POST ${BASE}/x.careless HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nContent-Length: 0\r\n\r\n`);
    socket.pause();
    await until(() => aborted, 10_000, 'the reader to be let go');
    socket.destroy();
  });
});
