// Issue 12 item 7: odd request targets, names the file system refuses, bad percent-encoding,
// and requests Node's parser refuses. Every answer is the JSON error shape, none is a 500.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { defineAction } from '../../src/server/index.js';
import { BASE, withServer } from '../helpers/server.js';

/** One raw request over a fresh socket; the answer's status, head and parsed JSON body. */
function raw(port: number, request: string): Promise<{ status: number; head: string; body: { status: number; code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      const at = text.indexOf('\r\n\r\n');
      const head = text.slice(0, at);
      try {
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head, body: JSON.parse(text.slice(at + 4)) });
      } catch {
        reject(new Error(`not a JSON answer: ${JSON.stringify(text.slice(0, 300))}`));
      }
    });
    socket.end(request);
  });
}

const get = (target: string, extra = '') => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`;

test('odd request targets are 404 (or 400), never a 500, and never another host', async () => {
  let ran = 0;
  const probe = defineAction({ call: () => ++ran });
  await withServer({ actions: { 'task.probe': probe } }, async ({ port }) => {
    const cases: [string, number, string][] = [
      [get('//'), 404, 'NOT_FOUND'],
      [get('//%9e'), 404, 'NOT_FOUND'],
      [get('//:99999/x'), 404, 'NOT_FOUND'],
      [get(`/${'a'.repeat(256)}`), 404, 'NOT_FOUND'],
      [get(`/${'a'.repeat(16_000)}`), 404, 'NOT_FOUND'],
      [`POST //evil.example${BASE}/task.probe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, 404, 'NOT_FOUND'],
      [`OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 400, 'BAD_REQUEST'],
      [get(`http://127.0.0.1${BASE}`), 400, 'BAD_REQUEST'],
    ];
    for (const [request, status, code] of cases) {
      const r = await raw(port, request);
      const what = request.split('\r\n')[0]!.slice(0, 60);
      assert.deepEqual([r.status, r.body.status, r.body.code], [status, status, code], what);
      assert.ok(r.body.message.length < 400, `${what}: a bounded message`);
    }
    assert.equal(ran, 0, '//evil.example/... did not run the action');
  });
});

test('a run id with bad percent-encoding is 404 UNKNOWN_RUN, as any unknown run', () =>
  withServer({}, async ({ url }) => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${url}${BASE}/runs/%E0%A4%A`, { method, headers: { Accept: 'text/event-stream' } });
      assert.deepEqual([res.status, (await res.json()).code], [404, 'UNKNOWN_RUN'], method);
    }
  }));

test("requests Node's parser refuses get a JSON body: bad lengths and encodings, huge headers, no Host", () =>
  withServer({}, async ({ port }) => {
    const post = (headers: string, body = '') => `POST ${BASE}/task.process HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n${body}`;
    const cases: [string, string, number, string][] = [
      ['Content-Length: abc', post('Content-Length: abc\r\n'), 400, 'BAD_REQUEST'],
      ['two Content-Lengths', post('Content-Length: 1\r\nContent-Length: 2\r\n', '{}'), 400, 'BAD_REQUEST'],
      ['Content-Length and chunked', post('Content-Length: 2\r\nTransfer-Encoding: chunked\r\n', '2\r\n{}\r\n0\r\n\r\n'), 400, 'BAD_REQUEST'],
      ['a bad chunk size', post('Transfer-Encoding: chunked\r\n', 'zz\r\n{}\r\n0\r\n\r\n'), 400, 'BAD_REQUEST'],
      ['an unknown Transfer-Encoding', post('Transfer-Encoding: gzip, identity\r\n', '{}'), 400, 'BAD_REQUEST'],
      ['a header line without a colon', `GET ${BASE} HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n`, 400, 'BAD_REQUEST'],
      ['not HTTP at all', 'HELLO\r\n\r\n', 400, 'BAD_REQUEST'],
      ['64 KiB of headers', get(BASE, `X-Big: ${'b'.repeat(64 * 1024)}\r\n`), 431, 'TOO_LARGE'],
      ['no Host', `GET ${BASE} HTTP/1.1\r\nConnection: close\r\n\r\n`, 400, 'BAD_REQUEST'],
    ];
    for (const [what, request, status, code] of cases) {
      const r = await raw(port, request);
      assert.deepEqual([r.status, r.body.status, r.body.code], [status, status, code], what);
      assert.match(r.head, /\r\nContent-Type: application\/json; charset=utf-8/, what);
    }
  }));
