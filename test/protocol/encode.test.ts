import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createDecoder, decodeAll, encodeComment, encodeEvent, encodeTrustedEvent, StreamEvent } from '../../src/protocol/index.js';

test('writes retry, id, event and data in that order', () => {
  assert.equal(
    encodeEvent({ retry: 2000, id: 1, event: 'progress', data: '{"a":1}' }),
    'retry: 2000\nid: 1\nevent: progress\ndata: {"a":1}\n\n',
  );
});

test('splits data on CR, LF and CRLF into separate data lines', () => {
  assert.equal(encodeEvent({ event: 'x', data: 'a\rb\nc\r\nd' }), 'event: x\ndata: a\ndata: b\ndata: c\ndata: d\n\n');
});

test('refuses event types that break framing or the name rule', () => {
  for (const bad of ['', 'a\nb', 'a\rb', 'a\0', '1abc', 'has space', 'x'.repeat(65), 'ünï']) {
    assert.throws(() => encodeEvent({ event: bad, data: '1' }), TypeError, JSON.stringify(bad));
  }
  assert.doesNotThrow(() => encodeEvent({ event: 'a.b:c_d-e', data: '1' }));
});

test('refuses ids with CR, LF or NUL, and bad retry values', () => {
  for (const bad of ['1\n', '1\r2', '\0']) {
    assert.throws(() => encodeEvent({ event: 'x', id: bad, data: '1' }), TypeError);
  }
  assert.throws(() => encodeEvent({ event: 'x', data: '1', retry: -1 }), TypeError);
  assert.throws(() => encodeEvent({ event: 'x', data: '1', retry: 1.5 }), TypeError);
});

test('comments are ignored by the decoder, even multi-line', () => {
  const { events } = decodeAll(encodeComment('heart\nbeat') + encodeEvent({ event: 'x', data: '1' }));
  assert.deepEqual(events.map((e) => e.type), ['x']);
});

const eventType = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/);
const text = fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', '\r\n', '\0', ':', 'é', '☃', '😀', '\ufeff') });

test('property: whatever the encoder writes, the decoder reads back', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ event: eventType, data: text, id: fc.nat() }), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 7 }),
      (events, chunkSize) => {
        const wire = new TextEncoder().encode(events.map((e, i) => encodeEvent({ ...e, retry: i === 0 ? 2000 : undefined })).join(''));
        // Feed in small chunks so line ends and UTF-8 sequences split across chunks too.
        const chunks = [];
        for (let i = 0; i < wire.length; i += chunkSize) chunks.push(wire.subarray(i, i + chunkSize));
        const decoded: StreamEvent[] = [];
        const decoder = createDecoder({ onEvent: (e) => decoded.push(e) });
        for (const chunk of chunks) decoder.feed(chunk);
        decoder.end();
        assert.deepEqual(
          decoded.map((e) => ({ event: e.type, data: e.json, id: Number(e.id) })),
          // SSE has one line end; CR and CRLF inside data come back as LF.
          events.map((e) => ({ ...e, data: e.data.replace(/\r\n|\r/g, '\n') })),
        );
        assert.equal(decoder.retry, 2000);
      },
    ),
    { numRuns: 500 },
  );
});

test('property: JSON payloads round-trip exactly', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const { events } = decodeAll(encodeEvent({ event: 'progress', data: JSON.stringify(value) }));
      assert.deepEqual(JSON.parse(events[0]!.json), JSON.parse(JSON.stringify(value)));
    }),
    { numRuns: 500 },
  );
});

test('the trusted fast path writes what the checked encoder writes, for the events a run makes', () => {
  fc.assert(
    fc.property(eventType, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.jsonValue(), (type, seq, value) => {
      const event = new StreamEvent(type, String(seq), JSON.stringify(value));
      assert.equal(encodeTrustedEvent(event), encodeEvent({ id: seq, event: type, data: event.json }));
    }),
    { numRuns: 500 },
  );
});
