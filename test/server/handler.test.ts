// The HTTP surface of PROTOCOL.md §2: every route and error row, over real sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineAction } from '../../src/server/index.js';
import { BASE, postStream, withServer } from '../helpers/server.js';

const echo = defineAction({
  description: 'echoes its input',
  input: z.object({ n: z.number().int(), tags: z.array(z.string()).optional() }),
  call: (input) => ({ echoed: input }),
});
const plainOnly = defineAction({ call: () => ({ plain: true }) });

async function post(url: string, path: string, body: string | undefined, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${BASE}/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

test('the manifest lists every action with its JSON Schema', () =>
  withServer({ actions: { 'util.echo': echo } }, async ({ url }) => {
    const res = await fetch(`${url}${BASE}`);
    assert.equal(res.status, 200);
    const manifest = await res.json();
    assert.equal(manifest.version, 1);
    const task = manifest.actions.find((a: { name: string }) => a.name === 'task.process');
    assert.equal(task.streams, true);
    assert.deepEqual(task.input.required, ['name']);
    assert.equal(task.input.properties.steps.type, 'integer');
    const e = manifest.actions.find((a: { name: string }) => a.name === 'util.echo');
    assert.deepEqual([e.streams, e.description], [false, 'echoes its input']);
  }));

test('POST without an event-stream Accept gets the plain call result', () =>
  withServer({}, async ({ url }) => {
    const r = await post(url, 'task.process', '{"name":"foo"}');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^application\/json/);
    assert.deepEqual(r.body, { taskName: 'foo', status: 'completed' });
  }));

test('an empty body means {}', () =>
  withServer({ actions: { 'util.plain': plainOnly } }, async ({ url }) => {
    const r = await post(url, 'util.plain', undefined);
    assert.deepEqual([r.status, r.body], [200, { plain: true }]);
  }));

test('an action without streaming answers JSON even when SSE is asked for', () =>
  withServer({ actions: { 'util.plain': plainOnly } }, async ({ url }) => {
    const r = await post(url, 'util.plain', '{}', { Accept: 'text/event-stream' });
    assert.deepEqual([r.status, r.body], [200, { plain: true }]);
  }));

test('negotiation: SSE for text/event-stream in a list, JSON when q=0 or only */*', () =>
  withServer({}, async ({ url }) => {
    for (const [accept, sse] of [
      ['text/event-stream, */*', true],
      ['application/json;q=0.9, text/event-stream;q=0.5', true],
      ['text/event-stream;q=0', false],
      ['*/*', false],
    ] as const) {
      const res = await fetch(`${url}${BASE}/task.process`, {
        method: 'POST',
        headers: { Accept: accept, 'Content-Type': 'application/json' },
        body: '{"name":"n","delayMs":0,"steps":1}',
      });
      const type = res.headers.get('content-type')!;
      await res.arrayBuffer();
      assert.equal(type.startsWith('text/event-stream'), sse, accept);
    }
  }));

test('error rows: bad JSON, not an object, too deep, wrong content type, too large', () =>
  withServer({ limits: { maxBodyBytes: 1000 } }, async ({ url }) => {
    const cases: [string | undefined, Record<string, string>, number, string, RegExp][] = [
      ['{"name":', {}, 400, 'BAD_JSON', /not valid JSON/],
      ['[1,2]', {}, 400, 'BAD_JSON', /JSON object.*not an array/],
      ['null', {}, 400, 'BAD_JSON', /not null/],
      ['{"a":'.repeat(70) + '1' + '}'.repeat(70), {}, 400, 'BAD_JSON', /deeper than 64/],
      ['name=foo', { 'Content-Type': 'application/x-www-form-urlencoded' }, 415, 'BAD_CONTENT_TYPE', /Content-Type: application\/json/],
      [JSON.stringify({ name: 'x'.repeat(2000) }), {}, 413, 'TOO_LARGE', /input is too large: this server takes at most 1000 bytes/],
    ];
    for (const [body, headers, status, code, message] of cases) {
      const r = await post(url, 'task.process', body, headers);
      assert.equal(r.status, status, code);
      assert.equal(r.body.code, code);
      assert.equal(r.body.status, status);
      assert.match(r.body.message, message);
    }
  }));

test('a body far over the limit gets its 413, read to the end but never kept', () =>
  withServer({ limits: { maxBodyBytes: 1000 } }, async ({ url }) => {
    const r = await post(url, 'task.process', 'x'.repeat(5_000_000));
    assert.deepEqual([r.status, r.body.code], [413, 'TOO_LARGE']);
  }));

test('bad action names are 400 and never reach the disk', () =>
  withServer({}, async ({ url }) => {
    for (const name of ['..%2F..%2Fetc%2Fpasswd', '1abc', 'a..b', 'a.' + 'b'.repeat(130), 'with%20space', '%E0%A4%A']) {
      const r = await post(url, name, '{}');
      assert.equal(r.status, 400, name);
      assert.equal(r.body.code, 'BAD_ACTION_NAME', name);
    }
  }));

test('an unknown action is 404 and the message names the closest ones', () =>
  withServer({}, async ({ url }) => {
    const r = await post(url, 'task.proces', '{}');
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'UNKNOWN_ACTION');
    assert.match(r.body.message, /did you mean task\.process/);
  }));

test('names resolve case-insensitively', () =>
  withServer({}, async ({ url }) => {
    const r = await post(url, 'Task.Process', '{"name":"x"}');
    assert.deepEqual(r.body, { taskName: 'x', status: 'completed' });
  }));

test('invalid input is 422 with errors per field', () =>
  withServer({ actions: { 'util.echo': echo } }, async ({ url }) => {
    const r = await post(url, 'util.echo', '{"n":1.5,"tags":["a",2]}');
    assert.equal(r.status, 422);
    assert.equal(r.body.code, 'INVALID_INPUT');
    assert.deepEqual(Object.keys(r.body.errors).sort(), ['n', 'tags.1']);
    assert.match(r.body.message, /n: .*tags\.1: /);
    const s = await postStream(url, 'task.process', { name: '' });
    assert.equal(s.status, 422, 'validation happens before a stream opens');
  }));

test('methods: 405 with Allow, GET without SSE is 405, GET SSE of a plain action is 406', () =>
  withServer({ actions: { 'util.plain': plainOnly } }, async ({ url }) => {
    const put = await fetch(`${url}${BASE}/task.process`, { method: 'PUT' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, POST');
    assert.equal((await put.json()).code, 'METHOD_NOT_ALLOWED');
    const get = await fetch(`${url}${BASE}/task.process?input=%7B%7D`);
    assert.equal(get.status, 405);
    await get.arrayBuffer();
    const plain = await fetch(`${url}${BASE}/util.plain`, { headers: { Accept: 'text/event-stream' } });
    assert.equal(plain.status, 406);
    assert.equal((await plain.json()).code, 'NOT_STREAMABLE');
  }));

test('GET ?input= streams for a native EventSource; bad ?input= is BAD_JSON', () =>
  withServer({}, async ({ url }) => {
    const input = encodeURIComponent(JSON.stringify({ name: 'g', steps: 2, delayMs: 0 }));
    const res = await fetch(`${url}${BASE}/task.process?input=${input}`, { headers: { Accept: 'text/event-stream' } });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /event: complete\ndata: \{"status":"done","taskName":"g"\}/);
    const bad = await fetch(`${url}${BASE}/task.process?input=%7Bnope`, { headers: { Accept: 'text/event-stream' } });
    assert.equal((await bad.json()).code, 'BAD_JSON');
  }));

test('paths outside the base are JSON 404s', () =>
  withServer({}, async ({ url }) => {
    const res = await fetch(`${url}/nope/here`);
    assert.equal(res.status, 404);
    assert.match((await res.json()).message, /actions are under \/_piko\/actions/);
  }));

test('a throwing call is a redacted 500, or the real message with dev', async () => {
  const boom = defineAction({
    call: () => {
      throw new Error('secret detail');
    },
  });
  const logged: string[] = [];
  await withServer({ actions: { 'util.boom': boom }, log: (l) => logged.push(l) }, async ({ url }) => {
    const r = await post(url, 'util.boom', '{}');
    assert.deepEqual([r.status, r.body.code], [500, 'INTERNAL']);
    assert.doesNotMatch(r.body.message, /secret/);
    assert.match(logged.join('\n'), /secret detail/, 'the server log keeps the detail');
  });
  await withServer({ actions: { 'util.boom': boom }, dev: true }, async ({ url }) => {
    const r = await post(url, 'util.boom', '{}');
    assert.equal(r.body.message, 'secret detail');
  });
});

test('an ActionError thrown by call keeps its status and code', async () => {
  const { ActionError } = await import('../../src/protocol/index.js');
  const teapot = defineAction({
    call: () => {
      throw new ActionError(409, 'CONFLICT', 'already running');
    },
  });
  await withServer({ actions: { 'util.teapot': teapot } }, async ({ url }) => {
    const r = await post(url, 'util.teapot', '{}');
    assert.deepEqual(r.body, { status: 409, code: 'CONFLICT', message: 'already running' });
  });
});

test('token: 401 without it, through with Bearer, or ?token= on a GET stream only', () =>
  withServer({ token: 's3cret' }, async ({ url }) => {
    const none = await fetch(`${url}${BASE}`);
    assert.equal(none.status, 401);
    assert.equal((await none.json()).code, 'UNAUTHORIZED');
    const wrong = await fetch(`${url}${BASE}`, { headers: { Authorization: 'Bearer nope' } });
    assert.match((await wrong.json()).message, /token is wrong/);
    const ok = await fetch(`${url}${BASE}`, { headers: { Authorization: 'Bearer s3cret' } });
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();
    // ?token= is for a browser's native EventSource, which cannot set headers: GET streams.
    const input = encodeURIComponent('{"name":"q","steps":1,"delayMs":0}');
    const stream = await fetch(`${url}${BASE}/task.process?input=${input}&token=s3cret`, { headers: { Accept: 'text/event-stream' } });
    assert.equal(stream.status, 200);
    await stream.arrayBuffer();
    for (const [method, path, accept] of [
      ['GET', '', 'application/json'],
      ['POST', '/task.process', 'text/event-stream'],
      ['DELETE', '/runs/abc', 'application/json'],
    ] as const) {
      const res = await fetch(`${url}${BASE}${path}?token=s3cret`, { method, headers: { Accept: accept } });
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.equal((await res.json()).code, 'UNAUTHORIZED');
    }
  }));

test('origins: same origin passes, another is 403 unless allowed, preflight answers', () =>
  withServer({ cors: ['https://ok.example'] }, async ({ url }) => {
    const same = await fetch(`${url}${BASE}`, { headers: { Origin: url } });
    assert.equal(same.status, 200);
    await same.arrayBuffer();
    const other = await fetch(`${url}${BASE}`, { headers: { Origin: 'https://evil.example' } });
    assert.equal(other.status, 403);
    assert.equal((await other.json()).code, 'FORBIDDEN_ORIGIN');
    const allowed = await fetch(`${url}${BASE}`, { headers: { Origin: 'https://ok.example' } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://ok.example');
    await allowed.arrayBuffer();
    const pre = await fetch(`${url}${BASE}/task.process`, { method: 'OPTIONS', headers: { Origin: 'https://ok.example' } });
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get('access-control-allow-headers')!, /Last-Event-ID/);
  }));

test('a GET with Last-Event-ID (a native EventSource reconnecting) is 204, never a re-run', () =>
  withServer({}, async ({ url }) => {
    const input = encodeURIComponent(JSON.stringify({ name: 'again', steps: 1, delayMs: 0 }));
    const res = await fetch(`${url}${BASE}/task.process?input=${input}`, {
      headers: { Accept: 'text/event-stream', 'Last-Event-ID': '2' },
    });
    assert.equal(res.status, 204);
  }));

test('the Bearer scheme is case-insensitive; --cors origins are normalized', () =>
  withServer({ token: 't', cors: ['HTTPS://Ok.Example/'] }, async ({ url }) => {
    const res = await fetch(`${url}${BASE}`, { headers: { Authorization: 'bearer t', Origin: 'https://ok.example' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://ok.example');
    await res.arrayBuffer();
  }));

test('a --cors value that is no origin is refused at start', async () => {
  const { startServer } = await import('../../src/server/index.js');
  await assert.rejects(startServer({ port: 0, cors: ['not a url'] }), /--cors not a url is not an origin/);
});
