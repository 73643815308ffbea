// Issue 12 item 7: a re-attach whose Last-Event-ID is past the run's newest event still ends
// with the run's terminal event, live or ended (PROTOCOL.md §8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineAction, type ActionStream } from '../../src/server/index.js';
import { BASE, readStream, withServer } from '../helpers/server.js';

function streaming(body: (stream: ActionStream) => Promise<unknown>) {
  return defineAction({ call: () => null, streamProgress: (_input, stream) => body(stream) as Promise<void> });
}

test('a Last-Event-ID past a live run’s newest event still gets the rest of the run and its terminal event', async () => {
  let finish!: () => void;
  const gate = new Promise<void>((resolve) => (finish = resolve));
  const action = streaming(async (s) => {
    await s.send('progress', { step: 1 });
    await s.send('progress', { step: 2 });
    await gate;
    await s.send('progress', { step: 3 });
    await s.sendComplete({ done: true });
  });
  await withServer({ actions: { 'x.gated': action } }, async ({ url }) => {
    const first = await fetch(`${url}${BASE}/x.gated`, { method: 'POST', headers: { Accept: 'text/event-stream', 'Pkt-Detach': '1' } });
    const runId = first.headers.get('pkt-run-id')!;
    await first.body!.cancel();
    // The answer's headers come once the attach follows the run: only then may it go on.
    const res = await fetch(`${url}${BASE}/runs/${runId}`, { headers: { Accept: 'text/event-stream', 'Last-Event-ID': '99' } });
    assert.equal(res.status, 200);
    const reading = readStream(res);
    finish();
    const s = await reading;
    assert.deepEqual(s.events.map((e) => [e.id, e.type]), [['3', 'progress'], ['4', 'complete']]);
  });
});

test('a Last-Event-ID at or past an ended run’s last event gets its terminal event again', () =>
  withServer({}, async ({ url }) => {
    const first = await readStream(
      await fetch(`${url}${BASE}/task.process`, {
        method: 'POST',
        headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
        body: '{"name":"n","steps":2,"delayMs":0}',
      }),
    );
    const runId = first.headers.get('pkt-run-id')!;
    for (const id of ['3', '99']) {
      const s = await readStream(await fetch(`${url}${BASE}/runs/${runId}`, { headers: { Accept: 'text/event-stream', 'Last-Event-ID': id } }));
      assert.deepEqual(s.events.map((e) => [e.id, e.type]), [['3', 'complete']], id);
    }
  }));
