// Issue 12 item 5: the stall rule counts the bytes a client takes, not whether the buffer
// empties. Short limits here; `npm run stress` measures the 30 s default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { defineAction, type ActionStream } from '../../src/server/index.js';
import { BASE, until, withServer } from '../helpers/server.js';

function streaming(body: (stream: ActionStream) => Promise<unknown>) {
  return defineAction({ call: () => null, streamProgress: (_input, stream) => body(stream) as Promise<void> });
}

const MiB = 1024 * 1024;
const FRAME = 20 * MiB;
const RATE = 6_000_000;

function openStream(port: number, name: string): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.write(`POST ${BASE}/${name} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nContent-Length: 0\r\n\r\n`);
  socket.pause();
  return socket;
}

test('a steady reader of an event larger than the stall period can carry is not dropped', async () => {
  let outcome = '';
  const action = streaming(async (s) => {
    // 499: the connection closed under the run (the end of a run aborts the signal too, with 409).
    s.signal.addEventListener('abort', () => {
      if ((s.signal.reason as { status?: number }).status === 499) outcome ||= 'dropped';
    });
    await s.send('blob', 'z'.repeat(FRAME));
    // This send waits while the frame goes out: the old rule started its stall clock here and
    // stopped it only once the whole frame had left the process.
    await s.send('progress', { after: 'blob' });
    await s.sendComplete({ done: true });
    outcome ||= 'complete';
  });
  // The run keeps the whole frame in its history, which is where its follower reads it from.
  const limits = { stalledClientMs: 2000, maxEventBytes: 2 * FRAME, runHistoryBytes: 4 * FRAME };
  await withServer({ actions: { 'x.big': action }, limits }, async ({ port }) => {
    const socket = openStream(port, 'x.big');
    let received = 0;
    let tail = '';
    // A steady 6 MB/s at most, catching up after any lag of the test's own event loop: the
    // 20 MiB frame takes over 3 s to leave the process, while the kernel shows the server
    // progress every third of its send buffer (about 1.4 MB on Linux).
    const started = performance.now();
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      tail = (tail + chunk.toString('latin1')).slice(-200);
      if (received > RATE * ((performance.now() - started) / 1000)) {
        socket.pause();
        setTimeout(() => socket.resume(), 10);
      }
    });
    socket.resume();
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    try {
      await until(() => outcome === 'dropped' || tail.includes('event: complete'), 60_000, 'the run to end');
    } finally {
      socket.destroy();
      await closed;
    }
    assert.equal(outcome, 'complete', `the reader was dropped after ${received} bytes`);
    assert.ok(received > FRAME);
  });
});

test('a reader that stops while the last events are unsent is dropped after the run ends', async () => {
  let ended = false;
  const action = streaming(async (s) => {
    // Not awaited: the run ends while the frame still waits in the process.
    void s.send('blob', 'q'.repeat(12 * MiB)).catch(() => {});
    await s.sendComplete('done');
    ended = true;
  });
  const logged: string[] = [];
  const limits = { stalledClientMs: 500, maxBufferedBytes: 64 * MiB };
  await withServer({ actions: { 'x.tail': action }, limits, log: (l) => logged.push(l) }, async ({ port }) => {
    const socket = openStream(port, 'x.tail');
    try {
      await until(() => logged.some((l) => /dropped a client that took no bytes for 0\.5 s/.test(l)), 20_000, 'the stalled client to be dropped');
      assert.ok(ended, 'the run had ended before its client was dropped');
    } finally {
      socket.destroy();
    }
  });
});

test('a reader that stops reading is dropped while the action waits, and its run is cancelled', async () => {
  let reason: { status?: number } | undefined;
  const action = streaming(async (s) => {
    s.signal.addEventListener('abort', () => (reason ??= s.signal.reason as { status?: number }));
    for (;;) await s.send('blob', 'w'.repeat(MiB));
  });
  const logged: string[] = [];
  // No linger: the run is cancelled as soon as its only client is dropped.
  await withServer({ actions: { 'x.flood': action }, limits: { stalledClientMs: 500, lingerMs: 0 }, log: (l) => logged.push(l) }, async ({ port }) => {
    const socket = openStream(port, 'x.flood');
    try {
      await until(() => reason, 20_000, 'the run to be cancelled');
      assert.equal(reason!.status, 499);
      assert.ok(logged.some((l) => /dropped a client that took no bytes for 0\.5 s/.test(l)), logged.join('\n'));
    } finally {
      socket.destroy();
    }
  });
});
