// The history budget (issue 9): the reproduction of the issue, 40 detached firehose runs of
// 64 KiB events whose clients leave at once, against a server with a small budget. Before the
// budget, they took the server from 67 MB to 849 MB for ten minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trimLargest } from '../../src/server/runs/history-budget.js';
import { MemoryRunStore } from '../../src/server/index.js';
import { BASE, until, withServer } from '../helpers/server.js';

const BUDGET = 8 * 1024 * 1024;

test('40 detached firehose runs that leave at once: the store never holds more than its budget', { timeout: 120_000 }, async () => {
  const store = new MemoryRunStore({ maxEvents: 10_000, maxBytes: 16 * 1024 * 1024, retentionMs: 600_000, historyBytes: BUDGET });
  await withServer({ store }, async ({ url }) => {
    const ids = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const controller = new AbortController();
        const res = await fetch(`${url}${BASE}/demo.firehose`, {
          method: 'POST',
          headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', 'Pkt-Detach': '1' },
          body: JSON.stringify({ count: 300, size: 65536 }),
          signal: controller.signal,
        });
        const runId = res.headers.get('pkt-run-id')!;
        controller.abort();
        return runId;
      }),
    );
    assert.equal(new Set(ids).size, 40);
    await until(() => store.list({ state: 'live' }).runs.length === 0, 60_000, 'every run to end');
    const usage = store.usage();
    // All the events of all the runs would be 40 × 300 × 64 KiB, about 790 MB.
    assert.ok(usage.peakBytes <= BUDGET, `the store held ${usage.peakBytes} bytes, over its budget of ${BUDGET}`);
    assert.ok(usage.peakBytes > BUDGET * 0.9, `the budget was never reached (${usage.peakBytes}): the test proves nothing`);
    assert.ok(usage.bytes <= BUDGET);
    // What went first are whole ended runs; a re-attach to one hears why it is gone.
    const gone = ids.filter((id) => store.get(id) === undefined);
    assert.ok(gone.length > 0, 'no run was evicted');
    const res = await fetch(`${url}${BASE}/runs/${gone[0]}?from=0`, { headers: { Accept: 'text/event-stream' } });
    assert.equal(res.status, 404);
    const body = await res.json();
    assert.equal(body.code, 'UNKNOWN_RUN');
    assert.match(body.message, /history budget/);
    // A run still kept may have lost its oldest events: from seq 0 is then a 404 that says so,
    // and from the oldest kept (no Last-Event-ID) replays what there is.
    const kept = ids.find((id) => store.get(id) !== undefined);
    if (kept) {
      const whole = await fetch(`${url}${BASE}/runs/${kept}`, { headers: { Accept: 'text/event-stream' } });
      assert.equal(whole.status, 200);
      await whole.body!.cancel();
    }
  });
});

test('trimLargest cuts the largest logs down to a common level, oldest events first', () => {
  const log = (sizes: number[]) => ({
    sizes,
    get bytes() {
      return this.sizes.reduce((a, b) => a + b, 0);
    },
    dropOldest() {
      return this.sizes.shift() ?? 0;
    },
  });
  const big = log(Array(10).fill(100));
  const mid = log(Array(6).fill(100));
  const small = log(Array(2).fill(100));
  const freed = trimLargest([small, big, mid], 500);
  assert.ok(freed >= 500);
  // Both large logs come down to the level (550), in whole events; the small one is not touched.
  assert.deepEqual([big.bytes, mid.bytes, small.bytes], [500, 500, 200]);
});
