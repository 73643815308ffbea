// The client against the real pkt server, in-process on 127.0.0.1 port 0.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, ActionError, type Client, type ClientEvent, type FetchLike } from '../../src/client/index.js';
import { defineAction, startServer, type PktServer } from '../../src/server/index.js';
import type { TestActions } from './actions.js';

let server: PktServer;
const aborted: string[] = [];

before(async () => {
  server = await startServer({
    port: 0,
    limits: { retryMs: 20 },
    actions: {
      'test.plain': defineAction({ call: (input: unknown) => ({ echoed: input }) }),
      'test.wait': defineAction({
        call: () => 'plain',
        async streamProgress(_input, stream) {
          await stream.send('progress', { step: 1, total: 2 });
          await new Promise<void>((resolve) => stream.signal.addEventListener('abort', () => resolve(), { once: true }));
          aborted.push(stream.runId);
        },
      }),
    },
  });
});
after(() => server.close());

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const err = await promise.then(() => assert.fail('expected a rejection'), (e: unknown) => e);
  assert.ok(err instanceof ActionError, String(err));
  return err;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`gave up waiting for ${what}`);
    await sleep(10);
  }
}

describe('client ↔ pkt server', () => {
  test('task.process streams progress and completes', async () => {
    const client = createClient<TestActions>({ baseUrl: server.url });
    const events: ClientEvent[] = [];
    const result = await client.action.task.process({ name: 'foo', steps: 3, delayMs: 0 }).withOnEvent((e) => events.push(e)).call();
    assert.deepEqual(result, { status: 'done', taskName: 'foo' });
    assert.deepEqual(events.map((e) => `${e.type}#${e.id}`), ['progress#1', 'progress#2', 'progress#3', 'complete#4']);
  });

  test('withStream(false) gets what call returns', async () => {
    const client = createClient<TestActions>({ baseUrl: server.url });
    assert.deepEqual(await client.action.task.Process({ name: 'foo' }).withStream(false).call(), { taskName: 'foo', status: 'completed' });
  });

  test('an action without streaming answers JSON, which call() resolves with', async () => {
    const client = createClient({ baseUrl: server.url });
    const events: ClientEvent[] = [];
    const result = await client.call('test.plain', { a: 1 }).withOnEvent((e) => events.push(e)).withHeaders({ 'X-Test': 'y' }).call();
    assert.deepEqual(result, { echoed: { a: 1 } });
    assert.deepEqual(events, []);
  });

  test('withTimeout against a slow run rejects with TIMEOUT, and the run is cancelled', async () => {
    let runId = '';
    const err = await rejection(
      createClient({ baseUrl: server.url }).call('test.wait', {}).withOnRunId((id) => (runId = id)).withTimeout(200).call(),
    );
    assert.equal(err.code, 'TIMEOUT');
    await until(() => aborted.includes(runId), 'the action to see its signal abort');
  });

  test('422 carries the field errors', async () => {
    const err = await rejection(createClient<TestActions>({ baseUrl: server.url }).action.task.process({ steps: 0 }).call());
    assert.equal(err.status, 422);
    assert.ok(err.errors?.name && err.errors.steps, JSON.stringify(err.errors));
  });

  test('an action that throws ends in an error event', async () => {
    const err = await rejection(createClient<TestActions>({ baseUrl: server.url }).action.demo.fail({ after: 1, delayMs: 0 }).call());
    assert.equal(err.code, 'INTERNAL');
  });

  test('aborting makes the action on the server see its signal abort', async () => {
    const controller = new AbortController();
    let runId = '';
    const call = createClient({ baseUrl: server.url }).call('test.wait', {})
      .withSignal(controller.signal).withOnRunId((id) => (runId = id)).withOnProgress(() => controller.abort()).call();
    assert.equal((await rejection(call)).code, 'CANCELLED');
    await until(() => aborted.includes(runId), 'the action to see its signal abort');
  });

  test('a cut connection re-attaches to the same run and misses nothing', async () => {
    // A fetch that cuts the first (POST) answer after its first chunk of events.
    const requests: string[] = [];
    const cutting: FetchLike = async (input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname} ${new Headers(init?.headers).get('last-event-id') ?? '-'}`);
      const response = await fetch(input, init);
      if (init?.method !== 'POST') return response;
      const reader = response.body!.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value } = await reader.read();
          if (value) controller.enqueue(value);
          await reader.cancel();
          controller.error(new TypeError('connection cut by the test'));
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const client = createClient<TestActions>({ baseUrl: server.url, fetch: cutting });
    const ids: string[] = [];
    const result = await client.action.task.process({ name: 'cut', steps: 6, delayMs: 20 })
      .withOnEvent((e) => ids.push(e.id)).withRetryStream({ maxReconnects: 2 }).call();
    assert.deepEqual(result, { status: 'done', taskName: 'cut' });
    assert.deepEqual(ids, ['1', '2', '3', '4', '5', '6', '7']);
    assert.equal(requests.filter((r) => r.startsWith('POST')).length, 1);
    assert.match(requests[1]!, /^GET \/_piko\/actions\/runs\/\S+ 1$/);
  });
});

describe('runs: attach, list, read, cancel', () => {
  /** A detached run of test.wait: one event, then it waits for its signal. */
  async function detachedWait(client: Client): Promise<string> {
    const controller = new AbortController();
    let runId = '';
    await rejection(
      client.call('test.wait', {}).withDetach().withSignal(controller.signal)
        .withOnRunId((id) => (runId = id)).withOnProgress(() => controller.abort()).call(),
    );
    return runId;
  }

  test('attach replays a run from its start, then live; stopping it leaves the run going', async () => {
    const client = createClient({ baseUrl: server.url });
    const runId = await detachedWait(client);
    const controller = new AbortController();
    const ids: string[] = [];
    const runIds: string[] = [];
    const watching = client.attach(runId).withSignal(controller.signal).withOnRunId((id) => runIds.push(id))
      .withOnEvent((e) => {
        ids.push(e.id);
        controller.abort();
      })
      .call();
    assert.equal((await rejection(watching)).code, 'CANCELLED');
    assert.deepEqual(ids, ['1']);
    assert.deepEqual(runIds, [runId]);
    const record = await client.run(runId);
    assert.deepEqual([record.runId, record.action, record.state, record.detached, record.lastSeq, record.percent], [runId, 'test.wait', 'live', true, 1, 50]);
    assert.ok(!aborted.includes(runId));
    assert.deepEqual(await client.cancel(runId), { runId, cancelled: true });
    await until(() => aborted.includes(runId), 'the action to see its signal abort');
    assert.deepEqual(await client.cancel(runId), { runId, cancelled: false, message: 'the run had already ended' });
    // The whole run, attached to after its end: the history and its terminal event.
    const err = await rejection(client.attach(runId).call());
    assert.equal(err.code, 'CANCELLED');
    const after1: string[] = [];
    await rejection(client.attach(runId, { lastEventId: '1' }).withOnEvent((e) => after1.push(`${e.type}#${e.id}`)).call());
    assert.deepEqual(after1, ['error#2']);
  });

  test('runs() lists newest first, by state; an unknown run is UNKNOWN_RUN everywhere', async () => {
    const client = createClient<TestActions>({ baseUrl: server.url });
    await client.action.task.process({ name: 'listed', steps: 2, delayMs: 0 }).call();
    const live = await detachedWait(client as never);
    const { runs } = await client.runs({ limit: 2 });
    assert.deepEqual(runs.map((r) => [r.action, r.state]), [['test.wait', 'live'], ['task.process', 'completed']]);
    assert.equal(runs[0]!.runId, live);
    assert.equal(runs[1]!.percent, 100);
    assert.ok((await client.runs({ state: 'live' })).runs.every((r) => r.state === 'live'));
    await client.cancel(live);
    for (const attempt of [client.run('nope'), client.cancel('nope'), client.attach('nope').call()]) {
      assert.equal((await rejection(attempt)).code, 'UNKNOWN_RUN');
    }
    const bad = await rejection(client.runs({ limit: 0 }));
    assert.equal(bad.code, 'BAD_QUERY');
  });
});
