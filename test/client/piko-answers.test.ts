// What Piko's server answers, read by pkt's client (issue 13, §2): the {data, _helpers}
// envelope, loose error bodies, HTML error pages; and inputs with files sent as multipart.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { createClient, ActionError, type ClientEvent } from '../../src/client/index.js';
import { json, startFixture, type FixtureServer } from './fixture-server.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const HELPERS = [{ name: 'showToast', args: ['Saved', 'success'] }];

describe('the {data, _helpers} envelope', () => {
  for (const stream of [false, true]) {
    test(`is opened, and its helpers are an event, ${stream ? 'when a stream was asked for' : 'in a plain call'}`, async () => {
      server = await startFixture((_req, res) => json(res, 200, { data: { id: 7 }, _helpers: HELPERS }));
      const events: ClientEvent[] = [];
      const client = createClient({ baseUrl: server.url });
      const result = await client.call('contact.Submit', { name: 'x' }).withStream(stream).withOnEvent((e) => events.push(e)).call();
      assert.deepEqual(result, { id: 7 });
      assert.deepEqual(events.map((e) => [e.type, e.id, e.data]), [['helpers', '', HELPERS]]);
    });
  }

  test('an envelope without data gives undefined; an object that only looks like one is a result as it is', async () => {
    const answers: unknown[] = [{ _helpers: HELPERS }, { data: 1, _helpers: HELPERS, more: true }, { data: 1 }, { data: 1, _helpers: 'no' }];
    let next = 0;
    server = await startFixture((_req, res) => json(res, 200, answers[next++]));
    const client = createClient({ baseUrl: server.url });
    const results = [];
    for (let i = 0; i < answers.length; i++) results.push(await client.call('a.B').withStream(false).call());
    assert.deepEqual(results, [undefined, ...answers.slice(1)]);
  });
});

describe("Piko's error answers", () => {
  async function failWith(status: number, body: string, type: string): Promise<ActionError> {
    await server?.close();
    server = await startFixture((_req, res) => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    });
    const err = await createClient({ baseUrl: server.url }).call('task.Process', {}).withStream(false).call().catch((e: unknown) => e);
    assert.ok(err instanceof ActionError);
    return err;
  }

  test('a 422 whose errors map each field to one string keeps each message, per field', async () => {
    const err = await failWith(422, JSON.stringify({ status: 422, code: 'VALIDATION_FAILED', message: 'validation failed', errors: { taskName: 'is required', email: 'not an email' } }), 'application/json');
    assert.deepEqual([err.status, err.code, err.message], [422, 'VALIDATION_FAILED', 'validation failed']);
    assert.deepEqual(err.errors, { taskName: ['is required'], email: ['not an email'] });
  });

  test('a 400 {error, details} says both', async () => {
    const err = await failWith(400, JSON.stringify({ error: 'Invalid request body', details: 'decoding request body: unexpected EOF' }), 'application/json');
    assert.deepEqual([err.status, err.code], [400, 'BAD_JSON']);
    assert.equal(err.message, 'Invalid request body: decoding request body: unexpected EOF');
  });

  test('an HTML page is its status and its title, never its CSS', async () => {
    const page = '<!DOCTYPE html>\n<html><head><style>\nbody { color: red; }\n</style><title>\n  Page not found &amp; gone\n</title></head><body><h1>404</h1></body></html>';
    const err = await failWith(404, page, 'text/html; charset=utf-8');
    assert.equal(err.status, 404);
    assert.equal(err.message, 'HTTP 404: an HTML page titled "Page not found & gone"');
    const untitled = await failWith(500, '<html><head><style>p{}</style></head><body>\n<p>oops &lt;3</p></body></html>', 'text/plain');
    assert.equal(untitled.message, 'HTTP 500: an HTML page saying "oops <3"');
    const empty = await failWith(500, '<html></html>', 'text/html');
    assert.equal(empty.message, 'HTTP 500: an HTML page with no title');
  });

  test("Go's plain-text 404 keeps its line", async () => {
    const err = await failWith(404, '404 page not found\n', 'text/plain; charset=utf-8');
    assert.equal(err.message, '404 page not found');
  });
});

describe('an input with files', () => {
  for (const stream of [false, true]) {
    test(`goes as multipart/form-data, ${stream ? 'streamed' : 'plain'}: files with name and type, other values as text or JSON`, async () => {
      server = await startFixture((_req, res) => json(res, 200, { ok: true }));
      const client = createClient({ baseUrl: server.url });
      const doc = new File(['hello'], 'a.txt', { type: 'text/plain' });
      await client.call('files.upload', { doc, title: 'T', copies: 2, meta: { a: 1 }, pics: [new Blob(['1']), new Blob(['2'])], none: null }).withStream(stream).call();
      const [req] = server.requests;
      assert.match(req!.headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
      const form = await new Response(req!.body, { headers: { 'Content-Type': req!.headers['content-type']! } }).formData();
      const file = form.get('doc') as File;
      assert.deepEqual([file.name, file.type, await file.text()], ['a.txt', 'text/plain', 'hello']);
      assert.deepEqual([form.get('title'), form.get('copies'), form.get('meta'), form.has('none')], ['T', '2', '{"a":1}', false]);
      assert.deepEqual(await Promise.all(form.getAll('pics').map((p) => (p as Blob).text())), ['1', '2']);
    });
  }

  test('a file below the top level is refused before anything is sent', async () => {
    server = await startFixture((_req, res) => json(res, 200, {}));
    const err = await createClient({ baseUrl: server.url }).call('a.B', { meta: { cover: new Blob(['x']) } }).call().catch((e: unknown) => e);
    assert.ok(err instanceof ActionError);
    assert.match(err.message, /file at meta\.cover; files can only be top-level fields/);
    assert.equal(server.requests.length, 0);
  });
});

describe('re-attaching to a server that gives no run id (Piko)', () => {
  test('withRetryStream gives up at once when the stream drops, says why, and never sends the input again', async () => {
    server = await startFixture((_req, res) => {
      // Piko's stream: no Pkt-Run-Id, no ids; its stream method failed, so the body just ends.
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end('event: progress\ndata: {"percent":50}\n\n');
    });
    const states: string[] = [];
    const events: string[] = [];
    // A backoff of a minute: a client that waited for an attempt would not settle in this test.
    const err = await createClient({ baseUrl: server.url })
      .call('task.Process', { taskName: 'x' })
      .withRetryStream({ maxReconnects: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 })
      .withOnConnection((state) => states.push(state))
      .withOnEvent((e) => events.push(e.type))
      .call()
      .catch((e: unknown) => e);
    assert.ok(err instanceof ActionError);
    assert.equal(err.code, 'STREAM_ENDED');
    assert.match(err.message, /^stream ended without completion \(the server sent no run id \(Pkt-Run-Id\), as a Piko server sends none, so there is no run to re-attach to; not retried, since sending the input again would run the action twice\)$/);
    assert.deepEqual(events, ['progress']);
    assert.ok(!states.includes('reconnecting'), `it tried to reconnect: ${states.join(', ')}`);
    assert.equal(server.requests.length, 1, 'the input was sent once');
  });
});
