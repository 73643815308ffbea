// Runs as resources (PROTOCOL.md §4a) and linger (§4), over real sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActionError, type RunInfo } from '../../src/protocol/index.js';
import { defineAction, type ActionStream } from '../../src/server/index.js';
import { BASE, readStream, until, withServer } from '../helpers/server.js';

/** An action that sends `steps` events, each after the gate for it opens. */
function gated() {
  const gates: (() => void)[] = [];
  const state = { aborted: undefined as ActionError | undefined, sent: 0 };
  const open = (n: number) => {
    while (gates.length < n) gates.push(() => {});
  };
  const waiters: ((v: void) => void)[] = [];
  const action = defineAction({
    call: () => null,
    async streamProgress(input: unknown, s: ActionStream) {
      const steps = (input as { steps?: number }).steps ?? 4;
      s.signal.addEventListener('abort', () => (state.aborted = s.signal.reason as ActionError));
      for (let i = 1; i <= steps; i++) {
        while (gates.length < i) {
          await new Promise<void>((resolve) => waiters.push(resolve));
          if (s.signal.aborted) return;
        }
        await s.send('progress', { step: i, total: steps, percent: (i / steps) * 100 });
        state.sent = i;
      }
      await s.sendComplete({ done: true });
    },
  });
  return {
    action,
    state,
    /** Lets the action send up to event `n`. */
    release(n: number) {
      open(n);
      for (const wake of waiters.splice(0)) wake();
    },
  };
}

const SSE = { Accept: 'text/event-stream' };

async function startRun(url: string, name: string, input: unknown, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(`${url}${BASE}/${name}`, {
    method: 'POST',
    headers: { ...SSE, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(input),
    signal: controller.signal,
  });
  return { res, runId: res.headers.get('pkt-run-id')!, drop: () => controller.abort() };
}

async function json(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  return { status: res.status, body: await res.json() };
}

test('GET {base}/runs lists runs newest first with the record of §4a; filters and pages', async () => {
  const g = gated();
  await withServer({ actions: { 'x.gated': g.action } }, async ({ url }) => {
    const first = await startRun(url, 'x.gated', { steps: 2 }, { 'Pkt-Detach': '1' });
    g.release(2);
    await readStream(first.res);
    const second = await startRun(url, 'x.gated', { steps: 4 });
    g.release(3);
    await until(async () => (await json(`${url}${BASE}/runs/${second.runId}`)).body.lastSeq === 3, 5000, 'three events');
    const list = await json(`${url}${BASE}/runs`);
    assert.equal(list.status, 200);
    const [live, done] = list.body.runs as RunInfo[];
    assert.deepEqual(Object.keys(live!).sort(), ['action', 'detached', 'lastSeq', 'percent', 'runId', 'startedAt', 'state']);
    assert.deepEqual([live!.runId, live!.action, live!.state, live!.lastSeq, live!.detached, live!.percent], [second.runId, 'x.gated', 'live', 3, false, 75]);
    assert.deepEqual([done!.runId, done!.state, done!.lastSeq, done!.detached], [first.runId, 'completed', 3, true]);
    assert.ok(Date.parse(done!.endedAt!) >= Date.parse(done!.startedAt));
    assert.equal(new Date(live!.startedAt).toISOString(), live!.startedAt);
    assert.deepEqual((await json(`${url}${BASE}/runs?state=completed`)).body.runs.map((r: RunInfo) => r.runId), [first.runId]);
    const page = await json(`${url}${BASE}/runs?limit=1`);
    assert.deepEqual(page.body.runs.map((r: RunInfo) => r.runId), [second.runId]);
    const next = await json(`${url}${BASE}/runs?limit=1&cursor=${page.body.cursor}`);
    assert.deepEqual(next.body.runs.map((r: RunInfo) => r.runId), [first.runId]);
    assert.equal(next.body.cursor, undefined);
    for (const bad of ['state=done', 'limit=0', 'limit=x', 'cursor=%2F']) {
      const res = await json(`${url}${BASE}/runs?${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.code, 'BAD_QUERY');
    }
    g.release(4);
    await readStream(second.res);
  });
});

test('the runs routes need the token like every route', () =>
  withServer({ token: 'sekrit' }, async ({ url }) => {
    assert.equal((await fetch(`${url}${BASE}/runs`)).status, 401);
    const ok = await fetch(`${url}${BASE}/runs`, { headers: { Authorization: 'Bearer sekrit' } });
    assert.deepEqual(await ok.json(), { runs: [] });
  }));

test('GET runs/{id} without Last-Event-ID replays from the start; ?from=N after N; then live', async () => {
  const g = gated();
  await withServer({ actions: { 'x.gated': g.action } }, async ({ url }) => {
    const { runId, res } = await startRun(url, 'x.gated', { steps: 4 });
    g.release(2);
    await until(() => g.state.sent === 2, 5000, 'two events');
    const all = readStream(await fetch(`${url}${BASE}/runs/${runId}`, { headers: SSE }));
    const after1 = readStream(await fetch(`${url}${BASE}/runs/${runId}?from=1`, { headers: SSE }));
    g.release(4);
    assert.deepEqual((await all).events.map((e) => e.id), ['1', '2', '3', '4', '5']);
    assert.deepEqual((await after1).events.map((e) => e.id), ['2', '3', '4', '5']);
    await readStream(res);
    const bad = await fetch(`${url}${BASE}/runs/${runId}?from=two`, { headers: SSE });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).code, 'BAD_QUERY');
    const record = await json(`${url}${BASE}/runs/${runId}`);
    assert.equal(record.body.state, 'completed');
    assert.equal((await json(`${url}${BASE}/runs/nope`)).status, 404);
  });
});

test('linger: a run whose client dropped goes on; a re-attach in time gets every later event exactly once', async () => {
  const g = gated();
  await withServer({ actions: { 'x.gated': g.action }, limits: { lingerMs: 60_000 } }, async ({ url }) => {
    const { runId, res, drop } = await startRun(url, 'x.gated', { steps: 6 });
    g.release(2);
    const seen: string[] = [];
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('id: 2\n')) text += decoder.decode((await reader.read()).value);
    for (const m of text.matchAll(/^id: (\d+)$/gm)) seen.push(m[1]!);
    drop();
    await until(async () => (await json(`${url}${BASE}/runs/${runId}`)).body.lastSeq === 2, 5000, 'the drop');
    g.release(4);
    await until(() => g.state.sent === 4, 5000, 'the run to go on without a follower');
    const response = await fetch(`${url}${BASE}/runs/${runId}`, { headers: { ...SSE, 'Last-Event-ID': seen.at(-1)! } });
    g.release(6);
    const again = await readStream(response);
    seen.push(...again.events.map((e) => e.id));
    assert.deepEqual(seen, ['1', '2', '3', '4', '5', '6', '7']);
    assert.equal(again.events.at(-1)!.type, 'complete');
  });
});

test('linger: nobody re-attaches in time, and the run is cancelled (a detached run is not)', async () => {
  const g = gated();
  const d = gated();
  await withServer({ actions: { 'x.gated': g.action, 'x.kept': d.action }, limits: { lingerMs: 100 } }, async ({ url }) => {
    const lone = await startRun(url, 'x.gated', { steps: 3 });
    const kept = await startRun(url, 'x.kept', { steps: 3 }, { 'Pkt-Detach': '1' });
    g.release(1);
    d.release(1);
    await until(() => g.state.sent === 1 && d.state.sent === 1, 5000, 'first events');
    lone.drop();
    kept.drop();
    await until(() => g.state.aborted !== undefined, 5000, 'the linger to end');
    assert.equal(g.state.aborted!.code, 'CANCELLED');
    assert.match(g.state.aborted!.message, /nobody re-attached within 100 ms/);
    assert.equal((await json(`${url}${BASE}/runs/${lone.runId}`)).body.state, 'cancelled');
    await sleep(300);
    assert.equal(d.state.aborted, undefined);
    assert.equal((await json(`${url}${BASE}/runs/${kept.runId}`)).body.state, 'live');
    const del = await fetch(`${url}${BASE}/runs/${kept.runId}`, { method: 'DELETE' });
    assert.deepEqual(await del.json(), { runId: kept.runId, cancelled: true });
  });
});

test('an action named `runs` is refused: the name is the list of runs', async () => {
  await assert.rejects(
    withServer({ actions: { runs: defineAction({ call: () => 1 }) } }, async () => {}),
    /reserved for the list of runs/,
  );
});
