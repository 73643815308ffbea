// Regressions from review: careless actions, fast readers, long replays, bad results, races
// between cancel and complete, capacity, and DNS rebinding. Each once broke the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { seqOf } from '../../src/protocol/index.js';
import { defineAction, MemoryRunStore, StreamEvent, type ActionStream } from '../../src/server/index.js';
import { BASE, postStream, readStream, until, withServer } from '../helpers/server.js';

function streaming(body: (stream: ActionStream) => Promise<unknown>) {
  return defineAction({ call: () => null, streamProgress: (_input, stream) => body(stream) as Promise<void> });
}

test('an action that does not await send cannot crash the server when its client leaves', async () => {
  const careless = streaming(async (s) => {
    for (let i = 0; i < 50; i++) {
      void s.send('progress', { i });
      await sleep(5);
    }
    void s.sendComplete('late');
  });
  await withServer({ actions: { 'x.careless': careless } }, async ({ url }) => {
    const controller = new AbortController();
    const res = await fetch(`${url}${BASE}/x.careless`, { method: 'POST', headers: { Accept: 'text/event-stream' }, signal: controller.signal });
    await res.body!.getReader().read();
    controller.abort();
    // The action goes on sending into an ended run for a while; the server must still answer.
    await sleep(400);
    const after = await fetch(`${url}${BASE}`);
    assert.equal(after.status, 200);
    await after.arrayBuffer();
  });
});

test('a fast reader of a firehose does not starve other requests', () =>
  withServer({}, async ({ url }) => {
    const total = 3_000_000;
    let seen = 0;
    let done = false;
    const firehose = fetch(`${url}${BASE}/demo.firehose`, {
      method: 'POST',
      headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
      body: JSON.stringify({ count: total }),
    }).then(async (res) => {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        for (const byte of chunk) if (byte === 10) seen++;
      }
      done = true;
    });
    await until(() => seen > 1000, 10_000, 'the firehose to flow');
    const manifest = await fetch(`${url}${BASE}`);
    await manifest.arrayBuffer();
    // Answered while the firehose still runs: the server kept taking turns.
    assert.equal(done, false, 'the manifest waited for the whole firehose');
    assert.equal(manifest.status, 200);
    await fetch(`${url}${BASE}/runs/x`, { method: 'DELETE' }).then((r) => r.arrayBuffer());
    await firehose.catch(() => {});
  }));

test('re-attaching replays a history of over 1 MiB in full', () =>
  withServer({}, async ({ url }) => {
    const first = await postStream(url, 'task.process', { name: 'long', steps: 10_000, delayMs: 0 });
    assert.ok(first.text.length > 1024 * 1024, `history is ${first.text.length} bytes`);
    const runId = first.headers.get('pkt-run-id')!;
    const again = await readStream(await fetch(`${url}${BASE}/runs/${runId}`, { headers: { 'Last-Event-ID': '1' } }));
    assert.equal(again.events.length, 10_000);
    assert.equal(again.events[0]!.id, '2');
    assert.equal(again.events.at(-1)!.type, 'complete');
  }));

test('a payload that is not JSON: send rejects, and a bad result still ends the run', async () => {
  const seen: string[] = [];
  const bigint = streaming(async (s) => {
    await s.send('progress', { n: 1n }).catch((e: Error) => seen.push(`${e.name}: ${e.message}`));
    await s.sendComplete({ n: 10n });
  });
  await withServer({ actions: { 'x.bigint': bigint }, dev: true }, async ({ url }) => {
    const s = await postStream(url, 'x.bigint', {});
    assert.deepEqual(s.events.map((e) => e.type), ['error']);
    const err = JSON.parse(s.events[0]!.json);
    assert.equal(err.code, 'INTERNAL');
    assert.match(err.message, /stream\.send\("progress"\): the payload cannot be sent as JSON/);
    assert.match(seen[0]!, /^TypeError: stream\.send\("progress"\): the payload cannot be sent as JSON/);
  });
});

test('completing from an abort listener during cancel gives one terminal event', async () => {
  const polite = streaming(async (s) => {
    s.signal.addEventListener('abort', () => void s.sendComplete({ partial: true }).catch(() => {}));
    await s.send('progress', { step: 1 });
    await sleep(60_000, undefined, { signal: s.signal }).catch(() => {});
  });
  await withServer({ actions: { 'x.polite': polite } }, async ({ url }) => {
    const res = await fetch(`${url}${BASE}/x.polite`, { method: 'POST', headers: { Accept: 'text/event-stream' } });
    const runId = res.headers.get('pkt-run-id')!;
    let cancelled: Promise<{ cancelled: boolean }> | undefined;
    const s = await readStream(res, (e) => {
      if (e.type === 'progress') cancelled = fetch(`${url}${BASE}/runs/${runId}`, { method: 'DELETE' }).then((r) => r.json());
    });
    assert.equal((await cancelled!).cancelled, false, 'the run completed before the cancel could end it');
    assert.deepEqual(s.events.map((e) => e.type), ['progress', 'complete']);
  });
});

test('detached runs count against the stream limit', async () => {
  const slow = streaming(async (s) => {
    await s.send('progress', {});
    await sleep(60_000, undefined, { signal: s.signal }).catch(() => {});
  });
  await withServer({ actions: { 'x.slow': slow }, limits: { maxConcurrentStreams: 1 } }, async ({ url }) => {
    const controller = new AbortController();
    const res = await fetch(`${url}${BASE}/x.slow`, { method: 'POST', headers: { Accept: 'text/event-stream', 'Pkt-Detach': '1' }, signal: controller.signal });
    const runId = res.headers.get('pkt-run-id')!;
    controller.abort();
    await until(async () => {
      const busy = await fetch(`${url}${BASE}/x.slow`, { method: 'POST', headers: { Accept: 'text/event-stream' } });
      await busy.body?.cancel();
      return busy.status === 429;
    }, 5000, 'a 429 while the detached run lives');
    await fetch(`${url}${BASE}/runs/${runId}`, { method: 'DELETE' }).then((r) => r.arrayBuffer());
  });
});

test('run history is bounded in bytes as well as events', async () => {
  // Each event costs its 299 bytes of data, its type and id, and 64 for the object: 365 or 366.
  const store = new MemoryRunStore({ maxEvents: 100, maxBytes: 1100, retentionMs: 1000 });
  store.create({ runId: 'r', action: 'x', detached: true });
  for (let seq = 1; seq <= 10; seq++) store.append('r', new StreamEvent('p', String(seq), 'x'.repeat(299)));
  const subscription = store.subscribe('r', 'oldest');
  const [first] = await subscription[Symbol.asyncIterator]().next().then((r) => [r.value!]);
  subscription.close();
  assert.deepEqual(first!.map(seqOf), [8, 9, 10]);
  assert.throws(() => store.subscribe('r', 0), /no longer has the events after 0/);
  store.close();
});

function getWithHost(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: BASE, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('on loopback, a request naming another host is refused (DNS rebinding)', () =>
  withServer({}, async ({ port }) => {
    const evil = await getWithHost(port, `evil.example:${port}`);
    assert.equal(evil.status, 403);
    assert.match(JSON.parse(evil.body).message, /answers only to localhost or 127\.0\.0\.1/);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
      assert.equal((await getWithHost(port, host)).status, 200, host);
    }
  }));
