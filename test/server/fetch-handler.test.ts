// createFetchHandler: the routes of pkt serve as (request: Request) => Promise<Response>,
// called here with Requests as Hono, Next.js, Bun and Deno hand them over. The event stream
// is the Response's ReadableStream: reading it slowly holds the action's send back, and
// cancelling it (or aborting the request) is the client leaving.

import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { createDecoder, type StreamEvent } from '../../src/protocol/index.js';
import { createFetchHandler, defineAction } from '../../src/server/index.js';
import { until } from '../helpers/server.js';

const BASE = 'http://app.test/_piko/actions';

let sent = 0;
let aborted: unknown;
let callAborted: unknown;
let callStarted = false;

const actions = {
  'report.build': defineAction({
    input: z.object({ title: z.string().min(1), pages: z.number().int().min(1).default(3) }),
    call: ({ title }) => ({ title, status: 'built' }),
    async streamProgress({ title, pages }, stream) {
      for (let page = 1; page <= pages; page++) await stream.send('progress', { page, total: pages });
      await stream.sendComplete({ title, status: 'built' });
    },
  }),
  // 1,000 events of 1 KiB, as fast as the reader takes them.
  'bulk.send': defineAction({
    call: () => null,
    async streamProgress(_input, stream) {
      const pad = 'x'.repeat(1024);
      for (let i = 1; i <= 1000; i++) {
        await stream.send('progress', { i, pad });
        sent = i;
      }
      await stream.sendComplete(null);
    },
  }),
  // One event, then waits for its signal.
  'wait.abort': defineAction({
    call: (_input, { signal }) =>
      new Promise((_, reject) => {
        callStarted = true;
        signal.addEventListener('abort', () => {
          callAborted = signal.reason;
          reject(signal.reason);
        });
      }),
    async streamProgress(_input, stream) {
      await stream.send('progress', { waiting: true });
      await new Promise<void>((resolve) => {
        stream.signal.addEventListener('abort', () => {
          aborted = stream.signal.reason;
          resolve();
        });
      });
    },
  }),
};

const handler = createFetchHandler({ actions, limits: { lingerMs: 0 } });
after(() => handler.close());

function post(name: string, input: unknown, init: RequestInit = {}, accept = 'text/event-stream'): Request {
  return new Request(`${BASE}/${name}`, {
    method: 'POST',
    headers: { Accept: accept, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
    ...init,
  });
}

async function readEvents(response: Response): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  const decoder = createDecoder({ onEvent: (e) => events.push(e) });
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) decoder.feed(chunk);
  decoder.end();
  return events;
}

describe('createFetchHandler', () => {
  test('streams a run as a ReadableStream: headers first, every event, one terminal event', async () => {
    const response = await handler(post('report.build', { title: 'Q3' }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.match(response.headers.get('pkt-run-id') ?? '', /^[\w-]{16,}$/);
    const events = await readEvents(response);
    assert.deepEqual(events.map((e) => e.type), ['progress', 'progress', 'progress', 'complete']);
    assert.deepEqual(events.map((e) => e.id), ['1', '2', '3', '4']);
    assert.deepEqual(events.at(-1)!.data, { title: 'Q3', status: 'built' });
  });

  test('a plain call, the manifest, a 422, an unknown action and a path outside the base path answer JSON', async () => {
    const plain = await handler(post('report.build', { title: 'Q3' }, {}, 'application/json'));
    assert.deepEqual([plain.status, await plain.json()], [200, { title: 'Q3', status: 'built' }]);

    const manifest = await handler(new Request(BASE));
    assert.deepEqual(((await manifest.json()) as { actions: { name: string }[] }).actions.map((a) => a.name), ['bulk.send', 'report.build', 'wait.abort']);

    const invalid = await handler(post('report.build', { title: '' }));
    assert.equal(invalid.status, 422);
    const body = (await invalid.json()) as { status: number; code: string; errors: Record<string, string[]> };
    assert.deepEqual([body.status, body.code, Object.keys(body.errors)], [422, 'INVALID_INPUT', ['title']]);

    const unknown = await handler(post('report.bild', {}));
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { message: string }).message, /did you mean report\.build\?/);

    const outside = await handler(new Request('http://app.test/elsewhere'));
    assert.deepEqual([outside.status, ((await outside.json()) as { code: string }).code], [404, 'NOT_FOUND']);
  });

  test('a preflight is a 204 with no body; a bad body is a 400 in the one error shape', async () => {
    const preflight = await handler(new Request(`${BASE}/report.build`, { method: 'OPTIONS', headers: { Origin: 'http://app.test' } }));
    assert.equal(preflight.status, 204);
    assert.equal(preflight.body, null);
    const bad = await handler(new Request(`${BASE}/report.build`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"title":' }));
    assert.deepEqual([bad.status, ((await bad.json()) as { code: string }).code], [400, 'BAD_JSON']);
  });

  test('a reader that does not read holds the action back; once it reads, every event arrives', async () => {
    sent = 0;
    const response = await handler(post('bulk.send', {}));
    // Far fewer than 1,000 sends can go through while nobody reads: some are buffered, then
    // `send` waits. Without backpressure the 1,000 would be through within a few turns.
    await until(() => sent > 0, 5000, 'the first sends');
    for (let i = 0; i < 200; i++) await turn();
    assert.ok(sent < 1000, `the action is held back while nobody reads (it sent ${sent})`);
    const events = await readEvents(response);
    assert.equal(events.length, 1001);
    assert.deepEqual(events.at(-1)!.type, 'complete');
    assert.equal(sent, 1000);
  });

  test('cancelling the body, or aborting the request, is the client leaving: the run is cancelled', async () => {
    for (const leave of ['cancel', 'abort'] as const) {
      aborted = undefined;
      const controller = new AbortController();
      const response = await handler(post('wait.abort', {}, { signal: controller.signal }));
      const reader = response.body!.getReader();
      const first = await reader.read();
      assert.match(new TextDecoder().decode(first.value), /event: progress/);
      if (leave === 'cancel') await reader.cancel();
      else controller.abort();
      await until(() => aborted !== undefined, 5000, `the action to see its signal abort (${leave})`);
      assert.equal((aborted as { code?: string }).code, 'CANCELLED', leave);
    }
  });

  test('a plain call whose request aborts has its signal aborted', async () => {
    callAborted = undefined;
    callStarted = false;
    const controller = new AbortController();
    const answer = handler(post('wait.abort', {}, { signal: controller.signal }, 'application/json'));
    await until(() => callStarted, 5000, 'the call to start');
    controller.abort();
    await until(() => callAborted !== undefined, 5000, 'the call to see its signal abort');
    assert.equal((callAborted as { code?: string }).code, 'CANCELLED');
    assert.equal((await answer).status, 499);
  });

  test('a reader that stops taking bytes is dropped after limits.stalledClientMs, as on a socket', async () => {
    const lines: string[] = [];
    const own = createFetchHandler({ actions, limits: { stalledClientMs: 300, lingerMs: 0 }, log: (line) => lines.push(line) });
    try {
      const response = await own(post('bulk.send', {}));
      const reader = response.body!.getReader();
      await reader.read();
      await until(() => lines.some((l) => /dropped a client that took no bytes for 0\.3 s/.test(l)), 10_000, 'the stalled reader to be dropped');
      await assert.rejects(async () => {
        for (;;) if ((await reader.read()).done) break;
      }, 'its body fails, as a cut connection does');
    } finally {
      await own.close();
    }
  });

  test('close() ends an open stream with SHUTDOWN', async () => {
    const own = createFetchHandler({ actions });
    const response = await own(post('wait.abort', {}));
    const events: StreamEvent[] = [];
    const decoder = createDecoder({ onEvent: (e) => events.push(e) });
    const reader = response.body!.getReader();
    while (events.length === 0) decoder.feed((await reader.read()).value!);
    await own.close();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) decoder.feed(chunk.value);
    assert.deepEqual(events.map((e) => e.type), ['progress', 'error']);
    assert.equal((events[1]!.data as { code: string }).code, 'SHUTDOWN');
  });
});
