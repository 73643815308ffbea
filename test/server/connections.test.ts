// Issue 12 item 6: how long a request may take to arrive, and how many connections may be
// open. Each limit answers with the JSON error shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { defineAction } from '../../src/server/index.js';
import { connectionCap } from '../../src/server/http/connections.js';
import { BASE, until, withServer } from '../helpers/server.js';

/** Opens a socket, writes `text`, and resolves with everything read until the server closes it. */
function exchange(port: number, text: string, keepOpen = false): { socket: Socket; answer: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let read = '';
  socket.on('data', (chunk) => (read += chunk.toString('latin1')));
  socket.on('error', () => {});
  const answer = new Promise<string>((resolve) => socket.on('close', () => resolve(read)));
  socket.write(text);
  if (!keepOpen) socket.on('end', () => socket.end());
  return { socket, answer };
}

function parse(raw: string): { status: number; headers: string; body: Record<string, unknown> } {
  const [head, body] = [raw.slice(0, raw.indexOf('\r\n\r\n')), raw.slice(raw.indexOf('\r\n\r\n') + 4)];
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head, body: JSON.parse(body) };
}

test('headers that do not arrive in time: 408 TIMEOUT as JSON, and the connection closes', () =>
  withServer({ limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 } }, async ({ port }) => {
    const { answer } = exchange(port, `GET ${BASE} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    const r = parse(await answer);
    assert.equal(r.status, 408);
    assert.deepEqual([r.body.status, r.body.code], [408, 'TIMEOUT']);
    assert.match(String(r.body.message), /headers within 0\.3 s, the whole request within 0\.6 s/);
  }));

test('a body that does not arrive in time: 408 TIMEOUT as JSON, and the action never runs', async () => {
  let ran = false;
  const echo = defineAction({ call: () => (ran = true) });
  await withServer({ actions: { 'x.echo': echo }, limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 } }, async ({ port }) => {
    const { answer } = exchange(port, `POST ${BASE}/x.echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`);
    const r = parse(await answer);
    assert.deepEqual([r.status, r.body.code], [408, 'TIMEOUT']);
    assert.equal(ran, false);
  });
});

test('connections over the cap get 503 BUSY with Retry-After, and are served again once some close', () =>
  withServer({ limits: { maxConnections: 3 } }, async ({ port, url }) => {
    // Three keep-alive connections, each having had an answer, held open.
    const held = [];
    for (let i = 0; i < 3; i++) {
      const socket = connect(port, '127.0.0.1');
      let read = '';
      socket.on('data', (c) => (read += c));
      socket.write(`GET ${BASE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await until(() => read.includes('"version"'), 5000, 'an answer');
      held.push(socket);
    }
    const over = exchange(port, `GET ${BASE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    const r = parse(await over.answer);
    assert.equal(r.status, 503);
    assert.deepEqual([r.body.code, r.body.status], ['BUSY', 503]);
    assert.match(r.headers, /\r\nRetry-After: 2(\r\n|$)/);
    for (const socket of held) socket.destroy();
    await until(async () => {
      const res = await fetch(`${url}${BASE}`, { headers: { Connection: 'close' } }).catch(() => undefined);
      await res?.arrayBuffer();
      return res?.status === 200;
    }, 5000, 'the server to take connections again');
  }));

test('a refused connection that resets while its 503 is written ends quietly: the server goes on', () =>
  withServer({ limits: { maxConnections: 1 } }, async ({ port, url }) => {
    const held = connect(port, '127.0.0.1');
    held.on('error', () => {});
    await new Promise((resolve) => held.once('connect', resolve));
    await until(() => held.readyState === 'open', 5000, 'the held connection');
    // 20 clients over the cap each send a request and reset at once: an unheard ECONNRESET on
    // any of their sockets would end this process, and the test with it.
    const gone = Array.from({ length: 20 }, () => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.once('connect', () => {
        socket.write(`POST ${BASE}/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${'x'.repeat(100_000)}`);
        socket.resetAndDestroy();
      });
      return new Promise((resolve) => socket.once('close', resolve));
    });
    await Promise.all(gone);
    held.destroy();
    await until(async () => {
      const res = await fetch(`${url}${BASE}`, { headers: { Connection: 'close' }, signal: AbortSignal.timeout(5000) }).catch(() => undefined);
      await res?.arrayBuffer();
      return res?.status === 200;
    }, 5000, 'the server to answer again');
  }));

test('the connection cap fits the open-file limit', () => {
  assert.equal(connectionCap(4096, 1024), 960);
  assert.equal(connectionCap(100, 1024), 100);
  assert.equal(connectionCap(4096, undefined), 4096);
  assert.equal(connectionCap(4096, 10), 1);
});
