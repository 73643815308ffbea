// Issue 12 item 7: requests Node's parser refuses. Every answer is the JSON error shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
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
