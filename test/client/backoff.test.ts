import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../../src/client/backoff.js';
import { DEFAULT_RETRY } from '../../src/client/builder.js';

test('waits double per attempt up to the cap, each between half and all of it', () => {
  const low = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, DEFAULT_RETRY, () => 0));
  const high = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, DEFAULT_RETRY, () => 1));
  assert.deepEqual(high, [250, 500, 1000, 2000, 4000, 4000]);
  assert.deepEqual(low, [125, 250, 500, 1000, 2000, 2000]);
  // Five attempts fit well inside the server's default linger of 15 s.
  assert.ok(high.slice(0, 5).reduce((a, b) => a + b) < 15_000);
});

test('jitter spreads the waits of clients that lost the same server at once', () => {
  const waits = new Set(Array.from({ length: 50 }, () => backoffDelay(3, DEFAULT_RETRY)));
  assert.ok(waits.size > 10, `only ${waits.size} different waits`);
  for (const w of waits) assert.ok(w >= 500 && w <= 1000, String(w));
});
