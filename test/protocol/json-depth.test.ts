// Depth as PROTOCOL.md §6 counts it, shared by the server's limit and pkt run's check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonDepth } from '../../src/protocol/index.js';

const nested = (levels: number) => {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
};

test('counts levels as the server does', () => {
  assert.equal(jsonDepth({}), 1);
  assert.equal(jsonDepth({ a: [] }), 2);
  assert.equal(jsonDepth({ a: 1, b: { c: [{ d: 'x' }] } }), 4);
  assert.equal(jsonDepth(nested(64)), 64);
  assert.equal(jsonDepth('text'), 0);
  assert.equal(jsonDepth(null), 0);
});

test('100,000 levels are measured without overflowing the stack', () => {
  assert.equal(jsonDepth(nested(100_000)), 100_000);
});

test('with stopPast it stops one level past the limit, and never says a deep value is within it', () => {
  assert.equal(jsonDepth(nested(100_000), 64), 65);
  assert.equal(jsonDepth(nested(64), 64), 64);
  assert.equal(jsonDepth({ shallow: 1, deep: nested(70) }, 64), 65);
});
