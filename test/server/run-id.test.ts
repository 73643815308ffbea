import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRunId } from '../../src/server/runs/run-id.js';

test('run ids are 24 URL-safe characters, all different, and none begins like an option', () => {
  // A plain draw begins with '-' or '_' once in 32: among 5,000, about 156 would.
  const ids = Array.from({ length: 5000 }, newRunId);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9][A-Za-z0-9_-]{23}$/);
  assert.equal(new Set(ids).size, ids.length);
});
