import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { createDecoder, decodeAll, StreamEvent } from '../../src/protocol/index.js';

interface Vector {
  name: string;
  input: string;
  events: { type: string; data: string; id: string }[];
  retry: number | null;
}

const { vectors } = JSON.parse(
  readFileSync(new URL('./fixtures/sse-vectors.json', import.meta.url), 'utf8'),
) as { vectors: Vector[] };

function run(chunks: Uint8Array[]): { events: Vector['events']; retry: number | null } {
  const events: Vector['events'] = [];
  const decoder = createDecoder({
    onEvent: (e: StreamEvent) => events.push({ type: e.type, data: e.json, id: e.id }),
  });
  for (const chunk of chunks) decoder.feed(chunk);
  decoder.end();
  return { events, retry: decoder.retry };
}

for (const v of vectors) {
  test(`conformance: ${v.name}`, () => {
    const bytes = new TextEncoder().encode(v.input);
    const expected = { events: v.events, retry: v.retry };
    assert.deepEqual(run([bytes]), expected, 'fed whole');
    assert.deepEqual(run([...bytes].map((b) => Uint8Array.of(b))), expected, 'fed byte by byte');
    for (let i = 0; i <= bytes.length; i++) {
      assert.deepEqual(run([bytes.subarray(0, i), bytes.subarray(i)]), expected, `split at ${i}`);
    }
  });
}

test('string chunks decode like bytes, BOM included', () => {
  const { events } = decodeAll('\ufeffevent: a\ndata: 1\n\n');
  assert.deepEqual(events, [new StreamEvent('a', '', '1')]);
  assert.ok(events[0] instanceof StreamEvent, 'the one event type');
});

test('knownJson: every event comes marked, so isJson needs no parse', () => {
  const events: StreamEvent[] = [];
  const decoder = createDecoder({ onEvent: (e) => events.push(e), knownJson: true });
  decoder.feed('data: {"a":\ndata: 1}\n\ndata: not JSON\n\n');
  assert.deepEqual(events.map((e) => e.isJson), [true, true]);
  assert.deepEqual(decodeAll('data: not JSON\n\n').events.map((e) => e.isJson), [false]);
});

test('comments reach onComment without the colon and one space', () => {
  const comments: string[] = [];
  const decoder = createDecoder({ onEvent: () => {}, onComment: (c) => comments.push(c) });
  decoder.feed(': heartbeat\n:raw\n\n');
  assert.deepEqual(comments, ['heartbeat', 'raw']);
});

test('onRetry fires for each valid retry field', () => {
  const seen: number[] = [];
  const decoder = createDecoder({ onEvent: () => {}, onRetry: (ms) => seen.push(ms) });
  decoder.feed('retry: 10\nretry: x\nretry: 20\n\n');
  assert.deepEqual(seen, [10, 20]);
  assert.equal(decoder.retry, 20);
});

test('reset starts a new stream but can keep the last event id for a reconnect', () => {
  const events: StreamEvent[] = [];
  const decoder = createDecoder({ onEvent: (e) => events.push(e) });
  decoder.feed('id: 4\ndata: a\n\ndata: half');
  decoder.reset({ keepLastEventId: true });
  decoder.feed('\ufeffdata: b\n\n');
  assert.deepEqual(events.map((e) => [e.json, e.id]), [['a', '4'], ['b', '4']]);
  decoder.reset();
  assert.equal(decoder.lastEventId, '');
});

test('a UTF-8 character split across chunks decodes whole', () => {
  const bytes = new TextEncoder().encode('data: ☃\n\n');
  const events: StreamEvent[] = [];
  const decoder = createDecoder({ onEvent: (e) => events.push(e) });
  decoder.feed(bytes.subarray(0, 7));
  decoder.feed(bytes.subarray(7));
  assert.equal(events[0]?.json, '☃');
});

test('bytes that are not UTF-8 read as U+FFFD, in small chunks as whole', () => {
  // A character cut short by ASCII, and one cut short by the end of the stream.
  const bytes = Uint8Array.of(...new TextEncoder().encode('data: '), 0xe2, 0x98, ...new TextEncoder().encode('x\n\ndata: '), 0xf0, 0x9f);
  const read = (chunks: Uint8Array[]) => {
    const events: string[] = [];
    const decoder = createDecoder({ onEvent: (e) => events.push(e.json) });
    for (const chunk of chunks) decoder.feed(chunk);
    decoder.feed(new TextEncoder().encode('\n\n'));
    decoder.end();
    return events;
  };
  const expected = ['\ufffdx', '\ufffd'];
  assert.deepEqual(read([bytes]), expected, 'whole');
  assert.deepEqual(read([...bytes].map((b) => Uint8Array.of(b))), expected, 'byte by byte');
  for (let i = 0; i <= bytes.length; i++) assert.deepEqual(read([bytes.subarray(0, i), bytes.subarray(i)]), expected, `split at ${i}`);
});

/** Feeds `bytes` in chunks of the given sizes (cycled), and returns what came out. */
function decodeChunked(bytes: Uint8Array, sizes: number[]): string[][] {
  const events: string[][] = [];
  const decoder = createDecoder({ onEvent: (e) => events.push([e.type, e.id, e.json]) });
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    decoder.feed(bytes.subarray(at, at + size));
    at += size;
  }
  decoder.end();
  return events;
}

test('property: bytes in chunks of any size read as their text would, whichever way each chunk is decoded', () => {
  // Chunks of up to 100 bytes end in and out of characters, short and long, so each way to
  // turn bytes into text (a few ASCII bytes, a chunk that ends on a whole character, the
  // streaming decoder) follows every other.
  const unit = fc.constantFrom('a', ':', ' ', '\n', 'é', '☃', '😀', 'data: ', 'event: x\n', 'id: 7\n');
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }), (text, sizes) => {
      const bytes = new TextEncoder().encode(`data: ${text}\n\n${text}\n\n`);
      const asText = decodeAll(new TextDecoder().decode(bytes)).events.map((e) => [e.type, e.id, e.json]);
      assert.deepEqual(decodeChunked(bytes, sizes), asText);
    }),
    { numRuns: 500 },
  );
});

test('property: any bytes, UTF-8 or not, in chunks of any size read as TextDecoder reads them whole', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }), (raw, sizes) => {
      const bytes = Uint8Array.of(...new TextEncoder().encode('data: '), ...raw, 10, 10);
      const asText = decodeAll(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).events.map((e) => [e.type, e.id, e.json]);
      assert.deepEqual(decodeChunked(bytes, sizes), asText);
    }),
    { numRuns: 500 },
  );
});

test('reads a Piko-style stream: heartbeats, no ids, no retry', () => {
  const piko =
    ': heartbeat\n\nevent: progress\ndata: {"step":1}\n\n: heartbeat\n\nevent: complete\ndata: {"status":"done"}\n\n';
  const { events, retry } = decodeAll(piko);
  assert.equal(retry, null);
  assert.deepEqual(
    events.map((e) => [e.type, JSON.parse(e.json), e.id]),
    [['progress', { step: 1 }, ''], ['complete', { status: 'done' }, '']],
  );
});
