import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seqOf } from '../../src/protocol/index.js';
import { MemoryRunStore, StreamEvent } from '../../src/server/index.js';

const ev = (seq: number) => new StreamEvent('progress', String(seq), String(seq));

test('keeps the last N events in order and says when older ones are gone', () => {
  const store = new MemoryRunStore({ maxEvents: 3, retentionMs: 1000 });
  for (let i = 1; i <= 5; i++) store.append('r', ev(i));
  assert.deepEqual(store.read('r', 2)!.events.map(seqOf), [3, 4, 5]);
  assert.equal(store.read('r', 2)!.complete, true);
  assert.equal(store.read('r', 1)!.complete, false, 'event 2 was dropped');
  assert.deepEqual(store.read('r', 4)!.events.map(seqOf), [5]);
  assert.equal(store.read('nope', 0), undefined);
  store.close();
});

test('ended runs expire after the retention time', () => {
  let now = 0;
  const store = new MemoryRunStore({ maxEvents: 10, retentionMs: 1000, now: () => now });
  store.append('r', ev(1));
  store.end('r');
  now = 999;
  assert.equal(store.read('r', 0)!.ended, true);
  now = 1001;
  assert.equal(store.read('r', 0), undefined);
  store.sweep();
  store.close();
});
