// Issue 12 item 6: a limit on plain calls running at once, answered 429 BUSY with Retry-After.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineAction } from '../../src/server/index.js';
import { BASE, until, withServer } from '../helpers/server.js';

test('plain calls over the limit get 429 BUSY with Retry-After, before the body is read', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const slow = defineAction({ call: async () => { await gate; return 'done'; } });
  await withServer({ actions: { 'x.slow': slow }, limits: { maxConcurrentCalls: 1 } }, async ({ url }) => {
    const first = fetch(`${url}${BASE}/x.slow`, { method: 'POST' });
    await until(async () => {
      const res = await fetch(`${url}${BASE}/x.slow`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      const body = await res.json();
      if (res.status !== 429) return false;
      assert.equal(body.code, 'BUSY');
      assert.match(body.message, /running 1 calls at once/);
      assert.equal(res.headers.get('retry-after'), '2');
      return true;
    }, 5000, 'a 429 while the first call runs');
    release();
    assert.equal(await (await first).json(), 'done');
  });
});
