// Issue 12 item 2: a body over the limit gets its 413, every time. The server reads and drops
// the rest of the body (up to a bound) before answering, so the client, still writing, is not
// reset and reads the answer. 100 tries each over a raw socket and with fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { BASE, withServer } from '../helpers/server.js';

const TRIES = 100;
const BODY = Buffer.alloc(2 * 1024 * 1024, 'a');

/** 64 KiB at a time, a turn of the event loop apart: a client still writing when the answer comes. */
async function* paced(body: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < body.length; at += 64 * 1024) {
    yield body.subarray(at, at + 64 * 1024);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Sends one request over a fresh socket, the body paced, and resolves with the status and body
 * of the answer; a failed write does not stop it reading what the server said.
 */
function rawPost(port: number, path: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const head = Object.entries({ Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...headers })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    let text = '';
    let failure: Error | undefined;
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', (err) => (failure ??= err));
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      if (!status) return reject(failure ?? new Error(`no answer: ${JSON.stringify(text.slice(0, 100))}`));
      resolve({ status: Number(status[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(`POST ${path} HTTP/1.1\r\n${head}Connection: close\r\n\r\n`);
    void (async () => {
      for await (const chunk of paced(body)) {
        if (socket.destroyed) return;
        socket.write(chunk);
      }
      socket.end();
    })();
  });
}

async function tally(tries: number, concurrency: number, attempt: () => Promise<string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tries) {
        next++;
        let outcome: string;
        try {
          outcome = await attempt();
        } catch (err) {
          outcome = `${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
        }
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
    }),
  );
  return counts;
}

test(`a 2 MB body over a raw socket: ${TRIES}/${TRIES} see 413 TOO_LARGE`, () =>
  withServer({}, async ({ port }) => {
    const counts = await tally(TRIES, 4, async () => {
      const r = await rawPost(port, `${BASE}/task.process`, BODY);
      return `${r.status} ${JSON.parse(r.body).code}`;
    });
    assert.deepEqual(counts, { '413 TOO_LARGE': TRIES });
  }));

test(`a 2 MB body with fetch, at once or paced: ${TRIES}/${TRIES} see 413, with a message naming the limit`, () =>
  withServer({}, async ({ url }) => {
    const messages = new Set<string>();
    let i = 0;
    const counts = await tally(TRIES, 4, async () => {
      // Half the tries stream the body in pieces, as a client on a slow link would.
      // (Node's fetch takes an async iterable as a body, sent as it comes.)
      const upload = i++ % 2 === 0 ? BODY : paced(BODY);
      const res = await fetch(`${url}${BASE}/task.process`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: upload,
        duplex: 'half',
      } as unknown as RequestInit);
      const body = await res.json();
      messages.add(body.message);
      return `${res.status} ${body.code}`;
    });
    assert.deepEqual(counts, { '413 TOO_LARGE': TRIES });
    assert.deepEqual([...messages], ['the input is too large: this server takes at most 1 MiB (1048576 bytes) in a request body; send less']);
  }));

test('every early answer waits for the body: 401, 403, 404 and 429 reach a client still writing', () =>
  withServer({ token: 't', limits: { maxConcurrentCalls: 0 } }, async ({ port }) => {
    const cases: [string, Record<string, string>, number, string][] = [
      [`${BASE}/task.process`, {}, 401, 'UNAUTHORIZED'],
      [`${BASE}/task.process`, { Authorization: 'Bearer t', 'Sec-Fetch-Site': 'cross-site' }, 403, 'FORBIDDEN_ORIGIN'],
      [`${BASE}/no.such`, { Authorization: 'Bearer t' }, 404, 'UNKNOWN_ACTION'],
      [`${BASE}/task.process`, { Authorization: 'Bearer t' }, 429, 'BUSY'],
    ];
    for (const [path, headers, status, code] of cases) {
      const counts = await tally(10, 2, async () => {
        const r = await rawPost(port, path, BODY, headers);
        return `${r.status} ${JSON.parse(r.body).code}`;
      });
      assert.deepEqual(counts, { [`${status} ${code}`]: 10 });
    }
  }));

test('a declared length over the limit gets its 413 too, and the connection can be reused after it', () =>
  withServer({ limits: { maxBodyBytes: 1000 } }, async ({ port }) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    const body = Buffer.alloc(100_000, 'b');
    socket.write(`POST ${BASE}/task.process HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body);
    // A second request on the same connection: the first body was read to its end.
    socket.write(`GET ${BASE} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    await new Promise((resolve) => socket.on('close', resolve));
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
    assert.deepEqual(statuses, ['413', '200']);
  }));
