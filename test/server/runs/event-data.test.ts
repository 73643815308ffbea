// eventData: the JSON text of a payload, or a TypeError that names the call and the problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventData, UnsendableEvent } from '../../../src/server/runs/event-data.js';

const SEND = 'stream.send("progress")';

test('JSON values become their text; undefined is null', () => {
  assert.equal(eventData({ a: [1, 'x', null, true] }, 1000, SEND), '{"a":[1,"x",null,true]}');
  assert.equal(eventData(undefined, 1000, SEND), 'null');
  assert.equal(eventData('line\nbreak', 1000, SEND), '"line\\nbreak"');
});

test('values without a JSON form are refused, not sent as undefined', () => {
  const cases: [unknown, RegExp][] = [
    [() => 1, /a function has no JSON form/],
    [Symbol('s'), /a symbol has no JSON form/],
    [{ toJSON: () => undefined }, /toJSON returns undefined/],
    [{ n: 1n }, /cannot be sent as JSON \(.*BigInt/],
    [{ toJSON: () => { throw new Error('boom'); } }, /cannot be sent as JSON \(boom\)/],
  ];
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  cases.push([cyclic, /cannot be sent as JSON \(.*circular/i]);
  for (const [value, message] of cases) {
    assert.throws(() => eventData(value, 1000, SEND), (err: Error) => {
      assert.ok(err instanceof UnsendableEvent && err instanceof TypeError);
      assert.ok(err.message.startsWith(`${SEND}: `), err.message);
      assert.match(err.message, message);
      return true;
    });
  }
});

test('the limit is in bytes of UTF-8, and names itself', () => {
  assert.equal(eventData('x'.repeat(98), 100, SEND).length, 100);
  assert.throws(() => eventData('x'.repeat(99), 100, SEND), /101 bytes of JSON, over the 100-byte limit per event \(limits\.maxEventBytes\)/);
  // 30 characters of 3 bytes each: 92 bytes with the quotes, under 100; 34 of them are not.
  assert.doesNotThrow(() => eventData('€'.repeat(30), 100, SEND));
  assert.throws(() => eventData('€'.repeat(34), 100, SEND), /104 bytes/);
});
