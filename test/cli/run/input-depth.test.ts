import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkInputDepth, jsonDepth } from '../../../src/cli/run/input-depth.js';
import { UsageError } from '../../../src/cli/run/usage-error.js';

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
});

test('100,000 levels are measured without overflowing the stack', () => {
  assert.equal(jsonDepth(nested(100_000)), 100_000);
});

test('over the limit: a usage error saying how deep, and the limit', () => {
  assert.doesNotThrow(() => checkInputDepth(nested(64)));
  assert.throws(
    () => checkInputDepth(nested(100_000)),
    (e: unknown) => e instanceof UsageError && e.message === 'the input nests 100000 levels deep; servers take at most 64',
  );
});
