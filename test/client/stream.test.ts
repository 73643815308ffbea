import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { createClient, ActionError, type ClientEvent } from '../../src/client/index.js';
import type { TestActions } from './actions.js';
import { json, sseEvent, sseHead, startFixture, type FixtureServer, type Handler } from './fixture-server.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler) {
  server = await startFixture(handler);
  return { server, client: createClient<TestActions>({ baseUrl: server.url, token: 'sekrit' }) };
}

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const err = await promise.then(
    () => assert.fail('expected the call to reject'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ActionError, `expected an ActionError, got ${String(err)}`);
  return err;
}

describe('streaming call', () => {
  test('POSTs the input with the SSE headers and hands over every event type, in order', async () => {
    const { server, client } = await serve((_req, res) => {
      sseHead(res, 'run-abc-0123456789');
      sseEvent(res, 'progress', { step: 1, total: 2 }, 1, 2000);
      sseEvent(res, 'log', 'plain text', 2);
      sseEvent(res, 'custom:thing.x', { a: 1 }, 3);
      sseEvent(res, 'complete', { status: 'done' }, 4);
      res.end();
    });
    const progress: [unknown, string, string][] = [];
    const events: ClientEvent[] = [];
    const runIds: string[] = [];
    const result = await client.action.task.process({ name: 'foo' })
      .withOnProgress((data, type, id) => progress.push([data, type, id]))
      .withOnEvent((e) => events.push(e))
      .withOnRunId((id) => runIds.push(id))
      .withHeaders({ 'X-Trace': 'abc' })
      .call();
    assert.deepEqual(result, { status: 'done' });
    assert.deepEqual(progress, [
      [{ step: 1, total: 2 }, 'progress', '1'],
      ['plain text', 'log', '2'],
      [{ a: 1 }, 'custom:thing.x', '3'],
    ]);
    assert.deepEqual(events.map((e) => [e.type, e.id]), [['progress', '1'], ['log', '2'], ['custom:thing.x', '3'], ['complete', '4']]);
    assert.deepEqual(runIds, ['run-abc-0123456789']);
    assert.equal(server.requests.length, 1);
    const [req] = server.requests;
    assert.equal(req!.method, 'POST');
    assert.equal(req!.path, '/_piko/actions/task.process');
    assert.equal(req!.headers.accept, 'text/event-stream');
    assert.equal(req!.headers['content-type'], 'application/json');
    assert.equal(req!.headers.authorization, 'Bearer sekrit');
    assert.equal(req!.headers['pkt-detach'], undefined);
    assert.equal(req!.headers['x-trace'], 'abc');
    assert.deepEqual(JSON.parse(req!.body), { name: 'foo' });
  });

  test('keeps the case of the name as written', async () => {
    const { server, client } = await serve((_req, res) => {
      sseHead(res);
      sseEvent(res, 'complete', 1);
      res.end();
    });
    await client.action.task.Process({}).call();
    assert.equal(server.requests[0]!.path, '/_piko/actions/task.Process');
  });

  test('reads a Piko stream: no ids, no run id, an error event with only a message', async () => {
    const { client } = await serve((_req, res) => {
      sseHead(res);
      res.write(': heartbeat\n\n');
      res.write('event: progress\ndata: {"percent":50}\n\n');
      res.write('event: error\ndata: {"message":"disk full"}\n\n');
      res.end();
    });
    const events: ClientEvent[] = [];
    const err = await rejection(client.call('task.Process', {}).withOnEvent((e) => events.push(e)).call());
    assert.equal(err.message, 'disk full');
    assert.equal(err.code, 'INTERNAL');
    assert.deepEqual(events.map(({ type, id, data }) => ({ type, id, data })), [
      { type: 'progress', id: '', data: { percent: 50 } },
      { type: 'error', id: '', data: { message: 'disk full' } },
    ]);
  });

  test("a server that names its run (pkt) is taken at its word that data is JSON; one that does not (Piko) has its text read", async () => {
    const events = async (runId: string | undefined) => {
      const { client } = await serve((_req, res) => {
        sseHead(res, runId);
        res.write('event: log\ndata: plain text\n\nevent: progress\ndata: {"step": 1,\ndata:  "total": 2}\n\n');
        sseEvent(res, 'complete', 'ok');
        res.end();
      });
      const seen: ClientEvent[] = [];
      await client.call('task.process', {}).withOnEvent((e) => seen.push(e)).call();
      await server?.close();
      server = undefined;
      return seen.map((e) => ({ isJson: e.isJson, data: e.data }));
    };
    // Piko: the text decides, as Piko's own client reads it.
    assert.deepEqual(await events(undefined), [
      { isJson: false, data: 'plain text' },
      { isJson: true, data: { step: 1, total: 2 } },
      { isJson: true, data: 'ok' },
    ]);
    // A server with a run id promises JSON (PROTOCOL.md §3): isJson asks no parse. One that
    // breaks the promise still reads back as its raw text.
    assert.deepEqual(await events('run-abc-0123456789'), [
      { isJson: true, data: 'plain text' },
      { isJson: true, data: { step: 1, total: 2 } },
      { isJson: true, data: 'ok' },
    ]);
  });

  test('an error event rejects with its status, code and message', async () => {
    const { client } = await serve((_req, res) => {
      sseHead(res, 'r1');
      sseEvent(res, 'error', { status: 500, code: 'INTERNAL', message: 'boom' }, 1);
      res.end();
    });
    const err = await rejection(client.action.demo.fail({}).call());
    assert.deepEqual(err.toJSON(), { status: 500, code: 'INTERNAL', message: 'boom' });
  });

  test('a JSON answer to a stream request is the result (the non-streaming fallback)', async () => {
    const { client } = await serve((_req, res) => json(res, 200, { taskName: 'foo', status: 'completed' }));
    const events: ClientEvent[] = [];
    const result = await client.action.task.process({ name: 'foo' }).withOnEvent((e) => events.push(e)).call();
    assert.deepEqual(result, { taskName: 'foo', status: 'completed' });
    assert.deepEqual(events, []);
  });

  test('422 rejects with the field errors', async () => {
    const body = { status: 422, code: 'INVALID_INPUT', message: 'input is invalid', errors: { name: ['Required'] } };
    const { client } = await serve((_req, res) => json(res, 422, body));
    const err = await rejection(client.action.task.process({}).call());
    assert.equal(err.status, 422);
    assert.equal(err.code, 'INVALID_INPUT');
    assert.deepEqual(err.errors, { name: ['Required'] });
  });

  test('an HTML error page keeps its status and a line of its text', async () => {
    const { client } = await serve((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    });
    const err = await rejection(client.action.task.process({}).call());
    assert.equal(err.status, 502);
    assert.equal(err.message, 'HTTP 502: an HTML page saying "Bad Gateway"');
  });

  test('a stream that ends with no terminal event rejects, and with withRetryStream(false) is not requested again', async () => {
    const { server, client } = await serve((req, res) => {
      if (req.method === 'DELETE') return json(res, 200, { runId: 'r2', cancelled: true });
      sseHead(res, 'r2');
      sseEvent(res, 'progress', { percent: 10 }, 1, 10);
      res.end();
    });
    const err = await rejection(client.action.task.process({}).withRetryStream(false).call());
    assert.equal(err.code, 'STREAM_ENDED');
    assert.match(err.message, /stream ended without completion/);
    // A client that obeyed the 10 ms `retry:` would ask again; give it the chance, then count.
    await new Promise((r) => setTimeout(r, 100));
    // The call started the run and failed: it cancels the run rather than leave it lingering.
    assert.deepEqual(server.requests.map((r) => r.method), ['POST', 'DELETE']);
  });

  test('unreachable server: code UNREACHABLE, naming the URL', async () => {
    const { server: s } = await serve(() => {});
    const url = s.url;
    await s.close();
    server = undefined;
    const err = await rejection(createClient<TestActions>({ baseUrl: url }).action.task.process({}).call());
    assert.equal(err.code, 'UNREACHABLE');
    assert.ok(err.message.includes(`${url}/_piko/actions/task.process`), err.message);
    assert.match(err.message, /ECONNREFUSED/);
  });
});

describe('re-attaching with withRetryStream', () => {
  test('a dropped stream re-attaches by run id with Last-Event-ID, and never POSTs again', async () => {
    const { server, client } = await serve((req, res) => {
      if (req.method === 'POST') {
        sseHead(res, 'run-retry-1');
        sseEvent(res, 'progress', { step: 1 }, 1, 10);
        sseEvent(res, 'progress', { step: 2 }, 2);
        res.write(': flushed\n\n', () => res.destroy()); // the connection drops mid-run
        return;
      }
      sseHead(res, 'run-retry-1');
      sseEvent(res, 'progress', { step: 3 }, 3);
      sseEvent(res, 'complete', { ok: true }, 4);
      res.end();
    });
    const ids: string[] = [];
    const result = await client.action.task.process({ name: 'x' })
      .withOnEvent((e) => ids.push(e.id))
      .withRetryStream({ maxReconnects: 3 })
      .call();
    assert.deepEqual(result, { ok: true });
    assert.deepEqual(ids, ['1', '2', '3', '4']);
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), [
      'POST /_piko/actions/task.process',
      'GET /_piko/actions/runs/run-retry-1',
    ]);
    assert.equal(server.requests[1]!.headers['last-event-id'], '2');
    assert.equal(server.requests[1]!.headers.authorization, 'Bearer sekrit');
    // The run survives the drop on the server's own (it lingers): the POST need not detach it.
    assert.equal(server.requests[0]!.headers['pkt-detach'], undefined);
  });

  test('on by default: 5 attempts in a row, told to withOnConnection, then STREAM_ENDED and a cancel', async () => {
    const { server, client } = await serve((req, res) => {
      if (req.method === 'DELETE') return json(res, 200, { runId: 'run-def', cancelled: true });
      sseHead(res, 'run-def');
      if (req.method === 'POST') sseEvent(res, 'progress', { step: 1 }, 1);
      res.end();
    });
    const seen: string[] = [];
    // Only the waits are made short; the number of attempts is the default's.
    const err = await rejection(client.action.task.process({})
      .withRetryStream({ baseDelayMs: 1, maxDelayMs: 4 })
      .withOnConnection((state, info) => seen.push(`${state} ${info.attempt}/${info.maxAttempts}`))
      .call());
    assert.equal(err.code, 'STREAM_ENDED');
    assert.match(err.message, /gave up after 5 re-attach attempts/);
    assert.deepEqual(server.requests.map((r) => r.method), ['POST', 'GET', 'GET', 'GET', 'GET', 'GET', 'DELETE']);
    assert.deepEqual(seen, [
      'connected 0/5',
      'reconnecting 1/5', 'connected 1/5',
      'reconnecting 2/5', 'connected 2/5',
      'reconnecting 3/5', 'connected 3/5',
      'reconnecting 4/5', 'connected 4/5',
      'reconnecting 5/5', 'connected 5/5',
    ]);
  });

  test('a re-attach that brings new events starts the count again; a 503 is tried again', async () => {
    let gets = 0;
    const { server, client } = await serve((req, res) => {
      if (req.method === 'POST') {
        sseHead(res, 'run-long');
        sseEvent(res, 'progress', { step: 1 }, 1);
        return void res.end();
      }
      gets += 1;
      // Every other attempt fails: alone, each loss would use up the two attempts allowed.
      if (gets % 2 === 1) return json(res, 503, { status: 503, code: 'SHUTDOWN', message: 'restarting' });
      const next = 1 + gets / 2;
      sseHead(res, 'run-long');
      sseEvent(res, next === 4 ? 'complete' : 'progress', { step: next }, next);
      res.end();
    });
    const ids: string[] = [];
    const result = await client.action.task.process({}).withRetryStream({ maxReconnects: 2, baseDelayMs: 1 })
      .withOnEvent((e) => ids.push(e.id)).call();
    assert.deepEqual(result, { step: 4 });
    assert.deepEqual(ids, ['1', '2', '3', '4']);
    assert.deepEqual(server.requests.map((r) => r.headers['last-event-id'] ?? '-'), ['-', '1', '1', '2', '2', '3', '3']);
  });

  test('gives up after maxReconnects with STREAM_ENDED', async () => {
    const { server, client } = await serve((req, res) => {
      sseHead(res, 'run-retry-2');
      if (req.method === 'POST') sseEvent(res, 'progress', { step: 1 }, 1, 10);
      res.end();
    });
    const err = await rejection(client.action.task.process({}).withRetryStream({ maxReconnects: 2, baseDelayMs: 1 }).call());
    assert.equal(err.code, 'STREAM_ENDED');
    assert.match(err.message, /gave up after 2 re-attach attempts/);
    // The call started the run: giving up cancels it rather than leave it lingering.
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), [
      'POST /_piko/actions/task.process',
      'GET /_piko/actions/runs/run-retry-2',
      'GET /_piko/actions/runs/run-retry-2',
      'DELETE /_piko/actions/runs/run-retry-2',
    ]);
  });

  test('without a run id there is nothing to re-attach to: it fails rather than re-POST', async () => {
    const { server, client } = await serve((_req, res) => {
      sseHead(res);
      sseEvent(res, 'progress', { step: 1 }, 1, 10);
      res.end();
    });
    const err = await rejection(client.action.task.process({}).withRetryStream({ maxReconnects: 5 }).call());
    assert.equal(err.code, 'STREAM_ENDED');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(server.requests.filter((r) => r.method === 'POST').length, 1);
  });
});

describe('stopping a call', () => {
  const endless: Handler = (req, res) => {
    if (req.method === 'DELETE') return json(res, 200, { runId: 'run-slow', cancelled: true });
    sseHead(res, 'run-slow');
    sseEvent(res, 'progress', { step: 1 }, 1);
    // ...and nothing more until the client leaves.
  };

  test('withTimeout rejects with TIMEOUT and closes the connection', async () => {
    const { server, client } = await serve(endless);
    const err = await rejection(client.action.task.process({}).withTimeout(150).call());
    assert.equal(err.code, 'TIMEOUT');
    await server.requests[0]!.closed;
  });

  test('aborting rejects with CANCELLED and closes the connection', async () => {
    const { server, client } = await serve(endless);
    const controller = new AbortController();
    const call = client.action.task.process({}).withSignal(controller.signal).withOnProgress(() => controller.abort()).call();
    const err = await rejection(call);
    assert.equal(err.code, 'CANCELLED');
    await server.requests[0]!.closed;
  });

  test('an already aborted signal sends nothing', async () => {
    const { server } = await serve(endless);
    // Counting at fetch itself: a request that was started counts, even one never answered.
    let fetches = 0;
    const client = createClient<TestActions>({ baseUrl: server.url, fetch: (url, init) => (fetches++, fetch(url, init)) });
    for (const stream of [true, false]) {
      const err = await rejection(client.action.task.process({}).withStream(stream).withSignal(AbortSignal.abort()).call());
      assert.equal(err.code, 'CANCELLED');
    }
    assert.equal(fetches, 0);
    assert.equal(server.requests.length, 0);
  });

  test('aborting also DELETEs the run, since the server would keep it for its linger time', async () => {
    const { server, client } = await serve(endless);
    const controller = new AbortController();
    const call = client.action.task.process({}).withSignal(controller.signal)
      .withOnProgress(() => controller.abort()).call();
    await rejection(call);
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), [
      'POST /_piko/actions/task.process',
      'DELETE /_piko/actions/runs/run-slow',
    ]);
  });

  test('withDetach sends Pkt-Detach and leaves the run alone on abort', async () => {
    const { server, client } = await serve(endless);
    const controller = new AbortController();
    const call = client.action.task.process({}).withDetach().withSignal(controller.signal)
      .withOnProgress(() => controller.abort()).call();
    await rejection(call);
    assert.equal(server.requests[0]!.headers['pkt-detach'], '1');
    assert.deepEqual(server.requests.map((r) => r.method), ['POST']);
  });
});

describe('a run the call started is cancelled whenever the call fails', () => {
  // Answers the POST with a stream that stays open, and a DELETE as pkt serve does.
  const detachedRun: Handler = (req, res) => {
    if (req.method === 'DELETE') return json(res, 200, { runId: 'run-kept', cancelled: true });
    sseHead(res, 'run-kept');
    sseEvent(res, 'progress', { step: 1 }, 1);
  };
  const methods = () => server!.requests.map((r) => `${r.method} ${r.path}`);

  test('a throwing onProgress: the run is cancelled, the call rejects with the throw', async () => {
    const { client } = await serve(detachedRun);
    const bug = new Error('bug in onProgress');
    const err = await client.action.task.process({}).withRetryStream({ maxReconnects: 3 })
      .withOnProgress(() => {
        throw bug;
      })
      .call()
      .catch((e: unknown) => e);
    assert.equal(err, bug);
    assert.deepEqual(methods(), ['POST /_piko/actions/task.process', 'DELETE /_piko/actions/runs/run-kept']);
  });

  test('a throwing onEvent: the same', async () => {
    const { client } = await serve(detachedRun);
    const err = await client.action.task.process({}).withRetryStream({ maxReconnects: 3 })
      .withOnEvent(() => {
        throw new Error('bug in onEvent');
      })
      .call()
      .catch((e: unknown) => e);
    assert.match(String(err), /bug in onEvent/);
    assert.deepEqual(methods(), ['POST /_piko/actions/task.process', 'DELETE /_piko/actions/runs/run-kept']);
  });

  test('a throwing onRunId: the same', async () => {
    const { client } = await serve(detachedRun);
    const err = await client.action.task.process({}).withRetryStream({ maxReconnects: 3 })
      .withOnRunId(() => {
        throw new Error('bug in onRunId');
      })
      .call()
      .catch((e: unknown) => e);
    assert.match(String(err), /bug in onRunId/);
    assert.deepEqual(methods(), ['POST /_piko/actions/task.process', 'DELETE /_piko/actions/runs/run-kept']);
  });

  test('an error event ended the run on the server: nothing to cancel', async () => {
    const { client } = await serve((req, res) => {
      sseHead(res, 'run-failed');
      sseEvent(res, 'error', { status: 500, code: 'INTERNAL', message: 'boom' }, 1);
      res.end();
    });
    const err = await rejection(client.action.task.process({}).withRetryStream({ maxReconnects: 3 }).call());
    assert.equal(err.message, 'boom');
    assert.deepEqual(methods(), ['POST /_piko/actions/task.process']);
  });

  test('withDetach: a failing call leaves the run alone, as asked', async () => {
    const { client } = await serve(detachedRun);
    const err = await client.action.task.process({}).withDetach().withRetryStream({ maxReconnects: 3 })
      .withOnProgress(() => {
        throw new Error('bug');
      })
      .call()
      .catch((e: unknown) => e);
    assert.match(String(err), /bug/);
    assert.deepEqual(methods(), ['POST /_piko/actions/task.process']);
  });
});

describe('input that cannot be sent', () => {
  // Deeper than JSON.stringify can recurse; built in a loop, since a literal could not be.
  const deep = () => {
    let value: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) value = { a: value };
    return value;
  };

  for (const stream of [true, false]) {
    test(`too deep to encode is BAD_JSON before any request, not UNREACHABLE (stream: ${stream})`, async () => {
      const { server, client } = await serve(endless200);
      const err = await rejection(client.call('task.process', deep()).withStream(stream).call());
      assert.equal(err.code, 'BAD_JSON');
      assert.equal(err.status, 400);
      assert.match(err.message, /nests too deep/);
      assert.equal(server.requests.length, 0);
    });
  }

  test('a circular input says why', async () => {
    const { client } = await serve(endless200);
    const input: Record<string, unknown> = {};
    input.self = input;
    const err = await rejection(client.call('task.process', input).call());
    assert.equal(err.code, 'BAD_JSON');
    assert.match(err.message, /circular/i);
  });

  function endless200(_req: unknown, res: import('node:http').ServerResponse) {
    json(res, 200, {});
  }
});
