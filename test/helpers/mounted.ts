// pkt's handlers mounted in a real app (Express, Fastify, Hono): the actions they serve, and
// the checks every such app must pass, each through the app's own port, with the real CLI
// where a person would use it: `pkt run --url` streams task.process to completion, a 422 keeps
// its shape, a client that drops its connection gets its action aborted, and the hardening
// that belongs to the handler (not to owning the node:http server) holds there too.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDecoder, type Limits, type RunList, type StreamEvent } from '../../src/protocol/index.js';
import taskProcess from '../../src/server/actions/task/process.js';
import { defineAction } from '../../src/server/index.js';
import { runPkt, startPkt, until } from '../cli/helpers/pkt-process.js';
import { postStream } from './server.js';

export interface Mounted {
  /** What the mounted handler serves. */
  actions: Record<string, ReturnType<typeof defineAction>>;
  /** The abort reasons `test.wait` saw, in order. */
  aborts: unknown[];
  /** Whether `test.hold`'s call is running, and why it stopped. */
  hold: { running: boolean; aborted?: unknown };
  /** What the handler logged. */
  logged: string[];
  /**
   * Options every app's handler takes: small limits, so each hardening rule that belongs to the
   * handler is met quickly (a short linger, so a dropped client's run is cancelled soon).
   */
  options: { limits: Partial<Limits>; log: (line: string) => void };
}

const KiB = 1024;

export function mountedActions(): Mounted {
  const aborts: unknown[] = [];
  const hold: Mounted['hold'] = { running: false };
  const logged: string[] = [];
  const wait = defineAction({
    description: 'One event, then waits for its signal',
    call: () => 'called',
    async streamProgress(_input, stream) {
      await stream.send('progress', { percent: 1, message: 'waiting' });
      await new Promise<void>((resolve) =>
        stream.signal.addEventListener('abort', () => {
          aborts.push(stream.signal.reason);
          resolve();
        }),
      );
    },
  });
  const holdCall = defineAction({
    call: (_input, { signal }) =>
      new Promise((_, reject) => {
        hold.running = true;
        signal.addEventListener('abort', () => {
          hold.running = false;
          hold.aborted = signal.reason;
          reject(signal.reason);
        });
      }),
  });
  const echo = defineAction({ call: (input: unknown) => input, async streamProgress(input, stream) { await stream.sendComplete(input); } });
  // 32 KiB events until its signal aborts (at most 4,000: 128 MiB).
  const flood = defineAction({
    call: () => null,
    async streamProgress(_input, stream) {
      const blob = 'w'.repeat(32 * KiB);
      try {
        for (let i = 0; i < 4000 && !stream.signal.aborted; i++) await stream.send('blob', blob);
      } finally {
        if (stream.signal.aborted) aborts.push(stream.signal.reason);
      }
    },
  });
  const huge = defineAction({
    call: () => null,
    async streamProgress(_input, stream) {
      await stream.send('blob', 'h'.repeat(128 * KiB));
    },
  });
  return {
    actions: { 'task.process': taskProcess, 'test.wait': wait, 'test.hold': holdCall, 'test.echo': echo, 'test.flood': flood, 'test.huge': huge } as Mounted['actions'],
    aborts,
    hold,
    logged,
    options: {
      limits: { lingerMs: 100, maxBodyBytes: 64 * KiB, maxConcurrentCalls: 1, maxEventBytes: 64 * KiB, stalledClientMs: 500 },
      log: (line) => logged.push(line),
    },
  };
}

/** The app's own route still answers next to pkt's. */
export async function checkOwnRoute(url: string, path: string, expected: unknown): Promise<void> {
  const answer = await fetch(`${url}${path}`);
  assert.equal(answer.status, 200);
  assert.deepEqual(await answer.json(), expected);
}

export async function checkStreamsToCompletion(url: string): Promise<void> {
  const r = await runPkt(['run', 'task.process', '--name', 'mounted', '--delayMs', '0', '--json', '--url', url]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; id: string; data: unknown });
  assert.deepEqual(lines.map((l) => l.event), ['progress', 'progress', 'progress', 'progress', 'progress', 'complete']);
  assert.deepEqual(lines.map((l) => l.id), ['1', '2', '3', '4', '5', '6']);
  assert.deepEqual(lines.at(-1)!.data, { status: 'done', taskName: 'mounted' });
}

export async function checkInvalidInput(url: string): Promise<void> {
  const answer = await fetch(`${url}/_piko/actions/task.process`, {
    method: 'POST',
    headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'x', steps: 0 }),
  });
  assert.equal(answer.status, 422);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  const body = (await answer.json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'errors', 'message', 'status']);
  assert.equal(body.status, 422);
  assert.equal(body.code, 'INVALID_INPUT');
  assert.deepEqual(Object.keys(body.errors as object), ['steps']);
  assert.match(body.message as string, /^invalid input for task\.process: steps: /);
}

/** `pkt run` killed mid-stream: its connection drops, and after the linger the action's signal aborts. */
export async function checkDroppedClientAborts(url: string, mounted: Mounted): Promise<void> {
  const before = mounted.aborts.length;
  const pkt = startPkt(['run', 'test.wait', '--json', '--url', url]);
  try {
    await until(() => pkt.stdout().includes('"event":"progress"') || pkt.child.exitCode !== null, 'the first event');
    assert.equal(pkt.child.exitCode, null, pkt.stderr());
    pkt.child.kill('SIGKILL');
    await pkt.exited;
    await until(() => mounted.aborts.length > before, 'the action to see its signal abort');
    assert.equal((mounted.aborts.at(-1) as { code?: string }).code, 'CANCELLED');
    assert.match((mounted.aborts.at(-1) as Error).message, /the client disconnected and nobody re-attached/);
  } finally {
    if (pkt.child.exitCode === null) pkt.child.kill('SIGKILL');
  }
}

/** A body over the limit: `pkt run` says so and names the limit (the handler reads the rest of the body first). */
export async function checkTooLarge(url: string): Promise<void> {
  const file = join(tmpdir(), `pkt-mounted-${process.pid}-${Date.now()}.json`);
  await writeFile(file, JSON.stringify({ text: 'x'.repeat(200 * KiB) }));
  for (const plain of [false, true]) {
    const r = await runPkt(['run', 'test.echo', '--url', url, '--input', `@${file}`, ...(plain ? ['--no-stream'] : [])]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /the input is too large: this server takes at most 64 KiB \(65536 bytes\) in a request body/);
  }
}

/** A page on another site cannot run an action: Sec-Fetch-Site without an allowed Origin is a 403. */
export async function checkCrossSite(url: string): Promise<void> {
  for (const site of ['cross-site', 'same-site']) {
    const answer = await fetch(`${url}/_piko/actions/test.echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': site },
      body: '{}',
    });
    const body = (await answer.json()) as { code: string; message: string };
    assert.deepEqual([answer.status, body.code], [403, 'FORBIDDEN_ORIGIN'], site);
    assert.match(body.message, /--cors/);
  }
}

/** Plain calls over limits.maxConcurrentCalls get 429 BUSY with Retry-After; a call whose client leaves is aborted. */
export async function checkCallLimit(url: string, mounted: Mounted): Promise<void> {
  const controller = new AbortController();
  const first = fetch(`${url}/_piko/actions/test.hold`, { method: 'POST', signal: controller.signal }).catch(() => undefined);
  await until(() => mounted.hold.running, 'the first call to run');
  const second = await fetch(`${url}/_piko/actions/test.hold`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  const body = (await second.json()) as { code: string; message: string };
  assert.deepEqual([second.status, body.code], [429, 'BUSY']);
  assert.match(body.message, /running 1 calls at once/);
  assert.equal(second.headers.get('retry-after'), '2');
  controller.abort();
  await first;
  await until(() => mounted.hold.aborted !== undefined, 'the first call to see its signal abort');
  assert.equal((mounted.hold.aborted as { code?: string }).code, 'CANCELLED');
}

/** An event over limits.maxEventBytes is refused, and its run ends with one error event. */
export async function checkEventLimit(url: string): Promise<void> {
  const s = await postStream(url, 'test.huge', {});
  assert.equal(s.status, 200);
  assert.deepEqual(s.events.map((e) => e.type), ['error']);
  assert.equal((s.events[0]!.data as { code: string }).code, 'INTERNAL');
}

/** A reader that stops taking bytes is dropped after limits.stalledClientMs, and its run cancelled. */
export async function checkStalledReaderDropped(url: string, mounted: Mounted): Promise<void> {
  const { port } = new URL(url);
  const abortsBefore = mounted.aborts.length;
  const socket = connect(Number(port), '127.0.0.1');
  // The request goes out; nothing is ever read from the socket.
  socket.pause();
  socket.write(
    'POST /_piko/actions/test.flood HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
  );
  try {
    await until(() => mounted.logged.some((l) => /dropped a client that took no bytes for 0\.5 s/.test(l)), 'the stalled reader to be dropped', 60_000);
    // Nobody re-attaches within the linger time (100 ms): the action's signal aborts.
    await until(() => mounted.aborts.length > abortsBefore, 'the run to be cancelled', 30_000);
  } finally {
    socket.destroy();
  }
}

/** An event stream read under a bound: a server that stops answering ends it (null) instead of hanging the test. */
async function openEvents(url: string, init: RequestInit): Promise<{ response: Response; next(): Promise<StreamEvent | null>; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(url, { ...init, signal: AbortSignal.any([controller.signal, AbortSignal.timeout(30_000)]) });
  const queue: StreamEvent[] = [];
  const decoder = createDecoder({ onEvent: (e) => queue.push(e) });
  const reader = response.body!.getReader();
  let ended = false;
  return {
    response,
    async next() {
      while (queue.length === 0 && !ended) {
        try {
          const chunk = await reader.read();
          if (chunk.done) ended = true;
          else decoder.feed(chunk.value);
        } catch {
          ended = true;
        }
      }
      return queue.shift() ?? null;
    },
    close: () => controller.abort(),
  };
}

/**
 * Runs through the mount: a detached run outlives its client, is listed, is re-attached from
 * its first event's id (`attachUrl` may be another mount on the same store) and gets the rest
 * once, and `DELETE` cancels it: the action's signal aborts and the follower gets the terminal
 * event.
 */
export async function checkRuns(url: string, mounted: Mounted, attachUrl = url): Promise<void> {
  const before = mounted.aborts.length;
  const started = await openEvents(`${url}/_piko/actions/test.wait`, {
    method: 'POST',
    headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', 'Pkt-Detach': '1' },
    body: '{}',
  });
  const runId = started.response.headers.get('pkt-run-id');
  assert.ok(runId, 'the stream names its run');
  const first = await started.next();
  assert.deepEqual([first?.type, first?.id, first?.data], ['progress', '1', { percent: 1, message: 'waiting' }]);
  started.close();

  const list = (await (await fetch(`${attachUrl}/_piko/actions/runs?state=live`)).json()) as RunList;
  const listed = list.runs.find((run) => run.runId === runId);
  assert.deepEqual([listed?.action, listed?.state, listed?.detached, listed?.lastSeq], ['test.wait', 'live', true, 1]);

  const attached = await openEvents(`${attachUrl}/_piko/actions/runs/${runId}`, { headers: { Accept: 'text/event-stream', 'Last-Event-ID': '1' } });
  assert.equal(attached.response.status, 200);
  const cancel = await fetch(`${attachUrl}/_piko/actions/runs/${runId}`, { method: 'DELETE' });
  assert.deepEqual(await cancel.json(), { runId, cancelled: true });
  const terminal = await attached.next();
  assert.deepEqual([terminal?.type, terminal?.id, (terminal?.data as { code?: string } | undefined)?.code], ['error', '2', 'CANCELLED']);
  assert.equal(await attached.next(), null, 'the stream ends after its terminal event');
  await until(() => mounted.aborts.length > before, 'the action to see its signal abort');
  assert.equal((mounted.aborts.at(-1) as { code?: string }).code, 'CANCELLED');
}

/**
 * The tests every app that mounts pkt passes, beside its own route and its dropped client
 * (which each app's file writes, since Hono's also watches its log): `at()` is the app's URL
 * once it listens.
 */
export function mountedAppTests(at: () => string, mounted: Mounted): void {
  test('pkt run --url streams task.process to completion', () => checkStreamsToCompletion(at()));
  test('a 422 keeps its shape', () => checkInvalidInput(at()));
  test('runs: listed, re-attached from an event id, cancelled by DELETE', () => checkRuns(at(), mounted));
  test('a body over the limit is a 413 that pkt run reads and names', () => checkTooLarge(at()));
  test('a page on another site cannot run an action (Sec-Fetch-Site)', () => checkCrossSite(at()));
  test('plain calls over the limit get 429 BUSY; a call whose client leaves is aborted', () => checkCallLimit(at(), mounted));
  test('an event over the per-event limit ends its run with one error', () => checkEventLimit(at()));
  test('a reader that stops taking bytes is dropped, and its run cancelled', () => checkStalledReaderDropped(at(), mounted));
}
