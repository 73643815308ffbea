// Depth itself is counted by protocol's jsonDepth (test/protocol/json-depth.test.ts); here, the
// usage error pkt run gives for input too deep to send.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkInputDepth } from '../../../src/cli/run/input-depth.js';
import { UsageError } from '../../../src/cli/run/usage-error.js';

const nested = (levels: number) => {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
};

test('over the limit: a usage error saying how deep, and the limit', () => {
  assert.doesNotThrow(() => checkInputDepth(nested(64)));
  assert.throws(
    () => checkInputDepth(nested(100_000)),
    (e: unknown) => e instanceof UsageError && e.message === 'the input nests 100000 levels deep; servers take at most 64',
  );
});
