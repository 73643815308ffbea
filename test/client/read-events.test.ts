// Reading a stream's body into events (read-events.ts), and withBackpressure: the stream is read
// off the network one chunk at a time, each only once the caller is ready. A fake fetch hands
// over a body whose reads are counted, so "not read ahead" is checked by count, not by waiting.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClient, type ClientEvent } from '../../src/client/index.js';
import { readEvents } from '../../src/client/read-events.js';
import type { StreamEvent } from '../../src/protocol/index.js';

const encoder = new TextEncoder();

/** A body that yields `chunks` one per read, counting the reads it was asked for. */
function countedBody(chunks: string[]) {
  const seen = { reads: 0 };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[seen.reads++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(encoder.encode(chunk));
      },
    },
    { highWaterMark: 0 },
  );
  return { body, seen };
}

function streamAnswer(body: ReadableStream<Uint8Array>): Response {
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream', 'Pkt-Run-Id': 'run-paced' } });
}

/** Lets the first chunk through, holds the second until the test opens it, then lets all through. */
function handGate() {
  let open: () => void = () => {};
  const state = { calls: 0, asked: Promise.resolve() as Promise<void> };
  let onAsked: () => void = () => {};
  state.asked = new Promise<void>((resolve) => (onAsked = resolve));
  const gate = () => {
    state.calls += 1;
    if (state.calls !== 2) return;
    onAsked();
    return new Promise<void>((resolve) => (open = resolve));
  };
  return { gate, state, open: () => open() };
}

const chunks = ['id: 1\nevent: progress\ndata: {"step":1}\n\n', 'id: 2\nevent: progress\ndata: {"step":2}\n\n', 'id: 3\nevent: complete\ndata: "done"\n\n'];

describe('withBackpressure', () => {
  test('the next chunk is not read off the network until the caller is ready', async () => {
    const { body, seen } = countedBody(chunks);
    const client = createClient({ baseUrl: 'http://pkt.test', fetch: async () => streamAnswer(body) });
    const { gate, state, open } = handGate();
    const events: ClientEvent[] = [];
    const call = client.call('demo.firehose', {}).withBackpressure(gate).withOnEvent((e) => events.push(e)).call();

    await state.asked;
    // The caller is not ready for a second chunk: only the first has been read, and handed over.
    assert.equal(seen.reads, 1);
    assert.deepEqual(events.map((e) => e.id), ['1']);

    open();
    assert.equal(await call, 'done');
    assert.deepEqual(events.map((e) => e.id), ['1', '2', '3']);
  });

  test('a throwing check fails the call with what it threw', async () => {
    const { body } = countedBody(chunks);
    const client = createClient({ baseUrl: 'http://pkt.test', fetch: async () => streamAnswer(body) });
    const bug = new Error('bug in the check');
    const err = await client.call('demo.firehose', {}).withBackpressure(() => Promise.reject(bug)).call().catch((e: unknown) => e);
    assert.equal(err, bug);
  });
});

describe('readEvents', () => {
  test('events across chunk boundaries, in order; a block left open at the end is dropped', async () => {
    const { body, seen } = countedBody(['id: 1\nevent: progress\nda', 'ta: {"step":1}\n', '\nid: 2\ndata: "ha', 'lf"\n']);
    const events: StreamEvent[] = [];
    await readEvents(body, { onEvent: (e) => events.push(e) });
    assert.deepEqual(events.map((e) => [e.type, e.id, e.json]), [['progress', '1', '{"step":1}']]);
    assert.equal(seen.reads, 5, 'read to the end');
  });

  test('knownJson marks every event: isJson asks no parse', async () => {
    const { body } = countedBody(['data: not JSON\n\n']);
    const plain: StreamEvent[] = [];
    const vouched: StreamEvent[] = [];
    await readEvents(countedBody(['data: not JSON\n\n']).body, { onEvent: (e) => plain.push(e) });
    await readEvents(body, { onEvent: (e) => vouched.push(e), knownJson: true });
    assert.equal(plain[0]!.isJson, false);
    assert.equal(vouched[0]!.isJson, true);
  });

  test('a read that fails rejects with its error, after the events before it', async () => {
    const lost = new Error('other side closed');
    let reads = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (reads++ === 0) controller.enqueue(encoder.encode('data: 1\n\n'));
        else controller.error(lost);
      },
    });
    const events: StreamEvent[] = [];
    const err = await readEvents(body, { onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    assert.equal(err, lost);
    assert.deepEqual(events.map((e) => e.json), ['1']);
  });

  test('a throwing ready check rejects with what it threw, and cancels the body', async () => {
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({ pull: () => {}, cancel: (reason) => void (cancelled = reason) });
    const bug = new Error('bug in the check');
    const err = await readEvents(body, { onEvent: () => {}, ready: () => Promise.reject(bug) }).catch((e: unknown) => e);
    assert.equal(err, bug);
    assert.equal(cancelled, bug);
  });
});
