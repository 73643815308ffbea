import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { createClient, ActionError } from '../../src/client/index.js';
import type { TestActions } from './actions.js';
import { json, startFixture, type FixtureServer } from './fixture-server.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('createClient', () => {
  test('refuses a missing or malformed baseUrl with a hint', () => {
    assert.throws(() => createClient({ baseUrl: '' }), /needs a baseUrl/);
    assert.throws(() => createClient({ baseUrl: 'localhost:7070' as string }), /not an http\(s\) URL/);
  });

  test('joins baseUrl (with a path of its own) and basePath without doubling slashes', () => {
    assert.equal(createClient({ baseUrl: 'http://h:1/' }).url, 'http://h:1/_piko/actions');
    assert.equal(createClient({ baseUrl: 'http://h:1/app/', basePath: '/api/' }).url, 'http://h:1/app/api');
  });

  test('the proxy walks any depth, is not thenable, and needs a name', async () => {
    const client = createClient<TestActions>({ baseUrl: 'http://127.0.0.1:9' });
    assert.equal((client.action.task as unknown as { then?: unknown }).then, undefined);
    assert.equal(typeof client.action.a.b.c.d, 'function');
    assert.throws(() => (client.action as unknown as () => unknown)(), /Name an action first/);
  });

  test('a bad action name rejects with BAD_ACTION_NAME before any request', async () => {
    const client = createClient<TestActions>({ baseUrl: 'http://127.0.0.1:9' });
    const err = await client.call('../etc/passwd', {}).call().catch((e: unknown) => e);
    assert.ok(err instanceof ActionError);
    assert.equal(err.code, 'BAD_ACTION_NAME');
  });

  test('builder methods check their arguments', () => {
    const call = createClient<TestActions>({ baseUrl: 'http://127.0.0.1:9' }).action.task.process({});
    assert.throws(() => call.withTimeout(0), /positive number of ms/);
    assert.throws(() => call.withRetryStream({ maxReconnects: -1 }), /maxReconnects/);
    assert.throws(() => call.withRetryStream({ baseDelayMs: 100, maxDelayMs: 10 }), /maxDelayMs ≥ baseDelayMs/);
    assert.doesNotThrow(() => call.withRetryStream(false).withRetryStream(true).withRetryStream({ maxReconnects: 0 }));
  });

  test('attach checks its run id and Last-Event-ID before any request', async () => {
    const client = createClient({ baseUrl: 'http://127.0.0.1:9' });
    const noId = await client.attach('').call().catch((e: unknown) => e);
    assert.equal((noId as ActionError).code, 'UNKNOWN_RUN');
    const badFrom = await client.attach('r1', { lastEventId: 'x' }).call().catch((e: unknown) => e);
    assert.equal((badFrom as ActionError).code, 'BAD_QUERY');
  });
});

describe('withStream(false)', () => {
  test('POSTs asking for JSON and resolves with the body', async () => {
    server = await startFixture((_req, res) => json(res, 200, { taskName: 'foo', status: 'completed' }));
    const client = createClient<TestActions>({ baseUrl: server.url, headers: { 'X-Extra': '1' } });
    const result = await client.action.task.process({ name: 'foo' }).withStream(false).call();
    assert.deepEqual(result, { taskName: 'foo', status: 'completed' });
    const [req] = server.requests;
    assert.equal(req!.headers.accept, 'application/json');
    assert.equal(req!.headers['x-extra'], '1');
    assert.deepEqual(JSON.parse(req!.body), { name: 'foo' });
  });

  test('an error answer rejects with an ActionError', async () => {
    server = await startFixture((_req, res) =>
      json(res, 404, { status: 404, code: 'UNKNOWN_ACTION', message: 'no action "task.proces"; did you mean task.process?' }),
    );
    const err = await createClient<TestActions>({ baseUrl: server.url }).action.task.proces({}).withStream(false).call().catch((e: unknown) => e);
    assert.ok(err instanceof ActionError);
    assert.equal(err.code, 'UNKNOWN_ACTION');
    assert.match(err.message, /did you mean/);
  });

  test('times out with TIMEOUT', async () => {
    server = await startFixture(() => {});
    const err = await createClient<TestActions>({ baseUrl: server.url }).action.slow({}).withStream(false).withTimeout(100).call().catch((e: unknown) => e);
    assert.ok(err instanceof ActionError);
    assert.equal(err.code, 'TIMEOUT');
    await server.requests[0]!.closed;
  });
});

describe('manifest and cancel', () => {
  test('manifest() GETs the base path', async () => {
    const manifest = { version: 1, actions: [{ name: 'task.process', description: '', streams: true, input: {} }] };
    server = await startFixture((_req, res) => json(res, 200, manifest));
    assert.deepEqual(await createClient({ baseUrl: server.url }).manifest(), manifest);
    assert.equal(server.requests[0]!.path, '/_piko/actions');
  });

  test('manifest() rejects with the status when the server has none (Piko: 404)', async () => {
    server = await startFixture((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found');
    });
    const err = await createClient({ baseUrl: server.url }).manifest().catch((e: unknown) => e);
    assert.ok(err instanceof ActionError);
    assert.equal(err.status, 404);
  });

  test('cancel() DELETEs the run and resolves with the answer', async () => {
    server = await startFixture((_req, res) => json(res, 200, { runId: 'run-1', cancelled: false, message: 'the run had already ended' }));
    const result = await createClient({ baseUrl: server.url, token: 't' }).cancel('run-1');
    assert.deepEqual(result, { runId: 'run-1', cancelled: false, message: 'the run had already ended' });
    assert.equal(`${server.requests[0]!.method} ${server.requests[0]!.path}`, 'DELETE /_piko/actions/runs/run-1');
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer t');
  });
});
