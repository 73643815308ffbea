// The one event type: its payload is the wire's text, parsed once, on first read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seqOf, StreamEvent } from '../../src/protocol/index.js';

test('data is the JSON payload, parsed once: every reader gets the same value', () => {
  const e = new StreamEvent('progress', '3', '{"step":1,"total":2}');
  assert.deepEqual(e.data, { step: 1, total: 2 });
  assert.equal(e.data, e.data, 'one parse, kept');
  assert.equal(e.isJson, true);
  assert.deepEqual([e.type, e.id, e.json], ['progress', '3', '{"step":1,"total":2}']);
});

test('text that is not JSON stays the raw string, as Piko\'s client keeps it', () => {
  for (const text of ['plain text', '', '{"half":', 'undefined']) {
    const e = new StreamEvent('log', '', text);
    assert.equal(e.data, text);
    assert.equal(e.isJson, false, JSON.stringify(text));
  }
});

test('null and falsy payloads are payloads, not "not read yet"', () => {
  for (const [json, value] of [['null', null], ['0', 0], ['false', false], ['""', '']] as const) {
    const e = new StreamEvent('x', '1', json);
    assert.equal(e.isJson, true, json);
    assert.equal(e.data, value);
    assert.equal(e.data, value, 'the same on a second read');
  }
});

test('isJson asked first still leaves data right', () => {
  const e = new StreamEvent('x', '1', '[1,2]');
  assert.equal(e.isJson, true);
  assert.deepEqual(e.data, [1, 2]);
});

test('knownJson: the sender vouches for the text, so isJson needs no parse; data still parses on read', () => {
  const e = new StreamEvent('progress', '3', '{"step":1}', true);
  assert.equal(e.isJson, true);
  assert.deepEqual(e.data, { step: 1 });
  assert.equal(e.data, e.data, 'one parse, kept');
  // A sender that broke its word: data is still the raw text, as for any text that is not JSON.
  const lied = new StreamEvent('log', '4', 'not JSON', true);
  assert.equal(lied.data, 'not JSON');
  assert.equal(lied.isJson, false, 'once parsed, the text itself decides');
});

test('seqOf: the id as a number, NaN when the server sent none', () => {
  assert.equal(seqOf(new StreamEvent('x', '42', 'null')), 42);
  assert.ok(Number.isNaN(seqOf(new StreamEvent('x', '', 'null'))));
});
