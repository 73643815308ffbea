// Issue 2 §7: pkt's server and decoder against clients and servers that are not pkt: real
// curl, the real `eventsource` package, a reader with Piko's browser-client rules, and a raw
// node:http server that writes what Piko writes. Everything talks to 127.0.0.1 only.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EventSource } from 'eventsource';
import { ActionError, createDecoder, type StreamEvent } from '../../src/protocol/index.js';
import { MemoryRunStore } from '../../src/server/index.js';
import { readPikoStream, type PikoEvent } from '../helpers/piko-reader.js';
import { BASE, postStream, readStream, withServer } from '../helpers/server.js';

const SERVER_INDEX = fileURLToPath(new URL('../../src/server/index.ts', import.meta.url));
const hasCurl = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
// Locally a missing curl skips with its reason; in CI it must be there, so nothing skips.
const noCurl = hasCurl || process.env.CI === 'true' ? false : 'curl is not installed (apt-get install curl to run this test)';

/** A memory store that also notes, in one shared log, each event the server appends to a run. */
class SpyStore extends MemoryRunStore {
  constructor(readonly log: string[]) {
    super({ maxEvents: 10_000, retentionMs: 60_000 });
  }
  override append(runId: string, event: StreamEvent, percent?: number): Promise<void> | undefined {
    this.log.push(`server appended ${event.type} ${event.id}`);
    return super.append(runId, event, percent);
  }
}

const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

interface CurlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs curl, handing each stdout chunk to `onChunk` as it arrives. */
function curl(args: string[], onChunk: (chunk: Buffer) => void = () => {}): Promise<CurlResult> {
  const child = spawn('curl', ['-sS', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    onChunk(chunk);
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

function decodeText(text: string): { events: StreamEvent[]; comments: string[]; retry: number | null } {
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  const decoder = createDecoder({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
  decoder.feed(text);
  decoder.end();
  return { events, comments, retry: decoder.retry };
}

const ids = (events: StreamEvent[]) => events.map((e) => e.id);
const types = (events: { type: string }[]) => events.map((e) => e.type);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('interop (a): curl streams live', { skip: noCurl }, () => {
  it('curl reads the first progress event before the server has even produced the complete event', { timeout: 30_000 }, async () => {
    // One log for both sides: what the server appended to the run, and what curl printed.
    // The server appends `complete` to the store before writing it to any socket, so curl
    // seeing event 1 before that append proves the stream reached curl while the run was live.
    const log: string[] = [];
    await withServer({ store: new SpyStore(log) }, async (server) => {
      const steps = 8;
      const decoder = createDecoder({ onEvent: (e) => log.push(`curl read ${e.type} ${e.id}`) });
      const result = await curl(
        [
          '-N',
          '-H', 'Accept: text/event-stream',
          '-H', 'Content-Type: application/json',
          '-d', JSON.stringify({ name: 'curl', steps, delayMs: 150 }),
          `${server.url}${BASE}/task.process`,
        ],
        (chunk) => decoder.feed(chunk),
      );
      decoder.end();
      assert.equal(result.code, 0, `curl failed: ${result.stderr}`);

      const firstRead = log.indexOf('curl read progress 1');
      const completeAppended = log.indexOf(`server appended complete ${steps + 1}`);
      assert.ok(firstRead >= 0, `curl never read progress 1; log: ${log.join(' | ')}`);
      assert.ok(completeAppended >= 0, `the server never completed; log: ${log.join(' | ')}`);
      assert.ok(firstRead < completeAppended, `curl read event 1 only after the run completed (buffered, not live): ${log.join(' | ')}`);

      // And what curl printed is the whole stream: N progress events, then complete, ids 1..N+1.
      const { events, retry } = decodeText(result.stdout);
      assert.deepEqual(types(events), [...Array(steps).fill('progress'), 'complete']);
      assert.deepEqual(ids(events), range(1, steps + 1));
      assert.equal(retry, 2000);
      assert.deepEqual(JSON.parse(events.at(-1)!.json), { status: 'done', taskName: 'curl' });
    });
  });
});

describe('interop (b): the eventsource package over GET ?input=', () => {
  interface Seen {
    type: string;
    data: string;
    lastEventId: string;
  }

  /** Opens an EventSource and collects `names` events until a terminal one, then closes it. */
  function collect(url: string, names: string[]): Promise<{ seen: Seen[]; opens: number }> {
    return new Promise((resolve, reject) => {
      const es = new EventSource(url);
      const seen: Seen[] = [];
      let opens = 0;
      es.addEventListener('open', () => opens++);
      for (const name of names) {
        es.addEventListener(name, (e: Event) => {
          // A server-sent `error` event is a MessageEvent; a connection failure is a bare Event.
          if (!(e instanceof MessageEvent)) {
            es.close();
            reject(new Error(`EventSource connection failed before a terminal event (after ${seen.length} events)`));
            return;
          }
          seen.push({ type: e.type, data: String(e.data), lastEventId: e.lastEventId });
          // EventSource reconnects when a stream ends, and a GET reconnect would start the
          // action again: close as soon as the run's terminal event is in.
          if (e.type === 'complete' || e.type === 'error') {
            es.close();
            resolve({ seen, opens });
          }
        });
      }
    });
  }

  it('gets every event with ids 1..N and complete last', { timeout: 20_000 }, async () => {
    await withServer({}, async (server) => {
      const steps = 6;
      const input = encodeURIComponent(JSON.stringify({ name: 'es', steps, delayMs: 10 }));
      const { seen, opens } = await collect(`${server.url}${BASE}/task.process?input=${input}`, ['progress', 'complete', 'error']);
      assert.equal(opens, 1, 'one connection, no reconnect');
      assert.deepEqual(types(seen), [...Array(steps).fill('progress'), 'complete']);
      assert.deepEqual(seen.map((e) => e.lastEventId), range(1, steps + 1));
      seen.slice(0, steps).forEach((e, i) => {
        assert.deepEqual(JSON.parse(e.data), {
          step: i + 1,
          total: steps,
          percent: Math.round(((i + 1) / steps) * 100),
          message: `Processing es: step ${i + 1} of ${steps}`,
        });
      });
      assert.deepEqual(JSON.parse(seen.at(-1)!.data), { status: 'done', taskName: 'es' });
    });
  });

  it('reaches a server with a token through ?token=, since EventSource cannot set headers', { timeout: 20_000 }, async () => {
    await withServer({ token: 's3cret' }, async (server) => {
      const input = encodeURIComponent(JSON.stringify({ name: 'es', steps: 2, delayMs: 0 }));
      const { seen } = await collect(`${server.url}${BASE}/task.process?input=${input}&token=s3cret`, ['progress', 'complete', 'error']);
      assert.deepEqual(types(seen), ['progress', 'progress', 'complete']);
      assert.deepEqual(seen.map((e) => e.lastEventId), ['1', '2', '3']);
      // And without it, the EventSource fails on the 401 instead of streaming.
      await assert.rejects(collect(`${server.url}${BASE}/task.process?input=${input}`, ['progress', 'complete', 'error']), /connection failed/);
    });
  });

  it("hands a failing action's error event to the error listener as a message with its code", { timeout: 20_000 }, async () => {
    await withServer({}, async (server) => {
      const input = encodeURIComponent(JSON.stringify({ after: 2, delayMs: 0 }));
      const { seen } = await collect(`${server.url}${BASE}/demo.fail?input=${input}`, ['progress', 'complete', 'error']);
      assert.deepEqual(types(seen), ['progress', 'progress', 'error']);
      assert.deepEqual(seen.map((e) => e.lastEventId), ['1', '2', '3']);
      const body = JSON.parse(seen.at(-1)!.data) as { status: number; code: string };
      assert.equal(body.code, 'INTERNAL');
      assert.equal(body.status, 500);
    });
  });
});

describe("interop (c): Piko's browser-client rules read pkt's stream", () => {
  // Payloads that stress framing: line ends of every kind inside strings, text that looks like
  // SSE fields, unicode outside the BMP, NUL, empty and non-object values, and event types
  // with every character the protocol allows.
  const SENDS: [string, unknown][] = [
    ['progress', { step: 1, total: 3, percent: 33, message: 'first' }],
    ['log', 'two\nlines'],
    ['log', 'cr\r\nlf\rcr'],
    ['log', 'data: fake\n\nevent: complete\nid: 99\n\n'],
    ['stage:start', { text: 'é 😀 \u2028 \u0000 end' }],
    ['x.y-z_1', ''],
    ['progress', null],
    ['progress', 0],
    ['progress', [1, 'two', { three: 3 }]],
  ];
  const RESULT = { done: true, text: 'line1\nline2' };
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pkt-interop-'));
    await mkdir(join(dir, 'interop'));
    await writeFile(
      join(dir, 'interop', 'payloads.ts'),
      [
        `import { defineAction } from ${JSON.stringify(pathToFileURL(SERVER_INDEX).href)};`,
        `const sends: [string, unknown][] = ${JSON.stringify(SENDS)};`,
        'export default defineAction({',
        "  description: 'Sends payloads that stress framing',",
        '  call: () => ({ ok: true }),',
        '  async streamProgress(_input: unknown, stream) {',
        '    for (const [type, data] of sends) await stream.send(type, data);',
        `    await stream.sendComplete(${JSON.stringify(RESULT)});`,
        '  },',
        '});',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** POSTs the way Piko's page does, and reads the body with Piko's rules and with pkt's decoder. */
  async function bothReaders(url: string, name: string, input: unknown): Promise<{ piko: PikoEvent[]; pkt: StreamEvent[]; text: string }> {
    const res = await fetch(`${url}${BASE}/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify(input),
    });
    assert.equal(res.status, 200);
    // The same bytes go through both readers: tee the body.
    const [a, b] = res.body!.tee();
    const [piko, pkt] = await Promise.all([readPikoStream(new Response(a)), readStream(new Response(b))]);
    return { piko, pkt: pkt.events, text: pkt.text };
  }

  /** pkt's decoded events in the shape the Piko reader gives. */
  function asPiko(events: StreamEvent[]): PikoEvent[] {
    return events.map((e) => {
      let data: unknown;
      try {
        data = JSON.parse(e.json);
      } catch {
        data = e.json;
      }
      return { type: e.type, data, id: e.id };
    });
  }

  it('reads the same types, payloads and ids as pkt, payloads that stress framing included', { timeout: 20_000 }, async () => {
    await withServer({ actionsDirs: [dir] }, async (server) => {
      const { piko, pkt } = await bothReaders(server.url, 'interop.payloads', {});
      // Checked against what the action sent, not only against each other.
      assert.deepEqual(
        piko,
        [...SENDS.map(([type, data], i) => ({ type, data, id: String(i + 1) })), { type: 'complete', data: RESULT, id: String(SENDS.length + 1) }],
      );
      assert.deepEqual(piko, asPiko(pkt));
    });
  });

  it('reads task.process (named task.Process, as Piko names it), heartbeats and a failing action alike', { timeout: 20_000 }, async () => {
    // A heartbeat far shorter than the pauses between steps, so the stream carries comment
    // blocks between events: Piko's rules must skip them, not turn them into events.
    await withServer({ limits: { heartbeatMs: 5 } }, async (server) => {
      const ok = await bothReaders(server.url, 'task.Process', { name: 'piko', steps: 3, delayMs: 60 });
      assert.match(ok.text, /^: heartbeat$/m, 'the stream had no heartbeat to test with');
      assert.deepEqual(types(ok.piko), ['progress', 'progress', 'progress', 'complete']);
      assert.deepEqual(ok.piko, asPiko(ok.pkt));
      assert.deepEqual(ok.piko.at(-1), { type: 'complete', data: { status: 'done', taskName: 'piko' }, id: '4' });

      const failed = await bothReaders(server.url, 'demo.fail', { after: 1, delayMs: 0 });
      assert.deepEqual(types(failed.piko), ['progress', 'error']);
      assert.deepEqual(failed.piko, asPiko(failed.pkt));
      assert.equal((failed.piko.at(-1)!.data as { code: string }).code, 'INTERNAL');
    });
  });
});

describe("interop (d): pkt's decoder reads a Piko-style stream", () => {
  let piko: Server;
  let pikoUrl: string;
  const seen: { method: string; path: string; accept: string | undefined }[] = [];
  const PROGRESS = [1, 2, 3].map((step) => ({ step, total: 3, percent: Math.round((step / 3) * 100), message: `step ${step}` }));

  before(async () => {
    // What Piko writes (PROTOCOL.md §7): `: heartbeat` comments, `event:`/`data:` blocks with
    // no ids and no retry, a final `event: complete`; SSE only for Accept exactly
    // text/event-stream. Blocks go out split mid-line, as a network may deliver them.
    piko = createServer((req, res) => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', accept: req.headers.accept });
      req.resume();
      req.on('end', async () => {
        const sse = req.headers.accept === 'text/event-stream';
        if (req.method === 'POST' && req.url === '/_piko/actions/task.Process' && sse) {
          res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
          const pieces = [': heartbeat\n\n'];
          for (const p of PROGRESS) pieces.push(`event: progress\ndata: ${JSON.stringify(p)}\n\n`, ': heartbeat\n\n');
          pieces.push(`event: complete\ndata: ${JSON.stringify({ status: 'done', taskName: 'piko' })}\n\n`);
          for (const piece of pieces) {
            const cut = Math.floor(piece.length / 2);
            res.write(piece.slice(0, cut));
            await new Promise((r) => setImmediate(r));
            res.write(piece.slice(cut));
          }
          res.end();
        } else if (req.method === 'POST' && req.url === '/_piko/actions/task.Fail' && sse) {
          res.writeHead(200, { 'Content-Type': 'text/event-stream' });
          res.end(`event: progress\ndata: {"step":1}\n\nevent: error\ndata: ${JSON.stringify({ message: 'disk full' })}\n\n`);
        } else if (req.method === 'POST' && req.url === '/_piko/actions/task.Broken' && sse) {
          // Piko's stream method failing: the body just stops, here in the middle of a block.
          res.writeHead(200, { 'Content-Type': 'text/event-stream' });
          res.end('event: progress\ndata: {"step":1}\n\nevent: progress\ndata: {"step":2}');
        } else {
          res.writeHead(404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ status: 404, code: 'NOT_FOUND', message: 'no such action' }));
        }
      });
    });
    await new Promise<void>((resolve) => piko.listen(0, '127.0.0.1', resolve));
    pikoUrl = `http://127.0.0.1:${(piko.address() as AddressInfo).port}`;
  });
  after(async () => {
    piko.closeAllConnections();
    await new Promise((resolve) => piko.close(resolve));
  });

  async function pikoStream(name: string): Promise<{ events: StreamEvent[]; comments: string[]; retry: number | null }> {
    const res = await fetch(`${pikoUrl}/_piko/actions/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ name: 'piko' }),
    });
    assert.equal(res.status, 200, `the Piko stand-in refused ${name}`);
    const events: StreamEvent[] = [];
    const comments: string[] = [];
    const decoder = createDecoder({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) decoder.feed(chunk);
    decoder.end();
    return { events, comments, retry: decoder.retry };
  }

  it('reads progress and complete, skips heartbeats, and reports no ids and no retry', { timeout: 20_000 }, async () => {
    const { events, comments, retry } = await pikoStream('task.Process');
    assert.deepEqual(
      events.map((e) => ({ type: e.type, data: JSON.parse(e.json) as unknown, lastEventId: e.id })),
      [
        ...PROGRESS.map((p) => ({ type: 'progress', data: p, lastEventId: '' })),
        { type: 'complete', data: { status: 'done', taskName: 'piko' }, lastEventId: '' },
      ],
    );
    assert.deepEqual(comments, ['heartbeat', 'heartbeat', 'heartbeat', 'heartbeat']);
    assert.equal(retry, null);
    assert.equal(seen.at(-1)?.accept, 'text/event-stream', 'the stand-in only streams for exactly this Accept');
  });

  it("reads Piko's loose error event into an ActionError", { timeout: 20_000 }, async () => {
    const { events } = await pikoStream('task.Fail');
    assert.deepEqual(types(events), ['progress', 'error']);
    const error = ActionError.fromBody(JSON.parse(events[1]!.json));
    assert.equal(error.message, 'disk full');
    assert.equal(error.status, 500);
    assert.equal(error.code, 'INTERNAL');
  });

  it('reads a Piko stream that stops mid-block as the events before the cut, with no terminal and no half event', { timeout: 20_000 }, async () => {
    const { events } = await pikoStream('task.Broken');
    assert.deepEqual(events.map((e) => [e.type, e.json]), [['progress', '{"step":1}']]);
  });

  it("and pkt's own server answers Piko's name task.Process, for streams and plain calls", { timeout: 20_000 }, async () => {
    await withServer({}, async (server) => {
      const streamed = await postStream(server.url, 'task.Process', { name: 'piko', steps: 2, delayMs: 0 });
      assert.equal(streamed.status, 200);
      assert.deepEqual(types(streamed.events), ['progress', 'progress', 'complete']);
      assert.deepEqual(JSON.parse(streamed.events.at(-1)!.json), { status: 'done', taskName: 'piko' });

      const plain = await fetch(`${server.url}${BASE}/TASK.process`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ name: 'piko' }),
      });
      assert.equal(plain.status, 200);
      assert.deepEqual(await plain.json(), { taskName: 'piko', status: 'completed' });
    });
  });
});

describe('re-attach with Last-Event-ID', () => {
  it('curl: GET runs/{id} with Last-Event-ID: 2 replays 3..N of an ended run, once, in order', { skip: noCurl, timeout: 20_000 }, async () => {
    await withServer({}, async (server) => {
      const steps = 5;
      const first = await postStream(server.url, 'task.process', { name: 'again', steps, delayMs: 0 });
      assert.deepEqual(ids(first.events), range(1, steps + 1));
      const runId = first.headers.get('pkt-run-id');
      assert.ok(runId, 'the stream carries Pkt-Run-Id');

      const result = await curl(['-N', '-H', 'Accept: text/event-stream', '-H', 'Last-Event-ID: 2', `${server.url}${BASE}/runs/${runId}`]);
      assert.equal(result.code, 0, result.stderr);
      const { events } = decodeText(result.stdout);
      assert.deepEqual(ids(events), range(3, steps + 1));
      assert.deepEqual(types(events), [...Array(steps - 2).fill('progress'), 'complete']);
      // Same bytes of payload as the first time round.
      assert.deepEqual(events.map((e) => e.json), first.events.slice(2).map((e) => e.json));
    });
  });

  it('fetch: a detached run re-attached while live gets 3..N exactly once, replay then live', { timeout: 20_000 }, async () => {
    const log: string[] = [];
    await withServer({ store: new SpyStore(log) }, async (server) => {
      // Slow enough that the run is surely still going when the second connection arrives.
      const steps = 10;
      const controller = new AbortController();
      const res = await fetch(`${server.url}${BASE}/task.process`, {
        method: 'POST',
        headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', 'Pkt-Detach': '1' },
        body: JSON.stringify({ name: 'live', steps, delayMs: 150 }),
        signal: controller.signal,
      });
      const runId = res.headers.get('pkt-run-id')!;
      const seenFirst: string[] = [];
      // Read until event 2, then drop the connection, as a client on a flaky network would.
      await readStream(res, (e) => {
        seenFirst.push(e.id);
        if (e.id === '2') controller.abort();
      }).catch((err: Error) => assert.equal(err.name, 'AbortError'));
      assert.deepEqual(seenFirst, ['1', '2']);

      const again = await fetch(`${server.url}${BASE}/runs/${runId}`, { headers: { Accept: 'text/event-stream', 'Last-Event-ID': '2' } });
      assert.equal(again.status, 200);
      const attachedAt = log.length;
      const { events } = await readStream(again);
      assert.deepEqual(ids(events), range(3, steps + 1));
      assert.equal(events.at(-1)!.type, 'complete');
      // The run was still going when the second connection arrived, so part of what it got
      // was live, not replayed: the handover from history to live lost and doubled nothing.
      assert.ok(log.slice(attachedAt).includes(`server appended complete ${steps + 1}`), `the run ended before re-attach: ${log.join(' | ')}`);
    });
  });
});

describe('CORS with a browser-like Origin', () => {
  const ALLOWED = 'https://app.example';

  it('answers a preflight from an allowed origin and streams to it with the run id exposed', { timeout: 20_000 }, async () => {
    await withServer({ cors: [ALLOWED] }, async (server) => {
      const pre = await fetch(`${server.url}${BASE}/task.process`, {
        method: 'OPTIONS',
        headers: { Origin: ALLOWED, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, last-event-id' },
      });
      assert.ok(pre.status === 204 || pre.status === 200, `preflight status ${pre.status}`);
      assert.equal(pre.headers.get('access-control-allow-origin'), ALLOWED);
      const methods = (pre.headers.get('access-control-allow-methods') ?? '').toLowerCase();
      assert.ok(methods.includes('post') && methods.includes('get'), methods);
      const allowed = (pre.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const h of ['content-type', 'last-event-id']) assert.ok(allowed.includes(h), `preflight does not allow ${h}: ${allowed}`);

      const streamed = await postStream(server.url, 'task.process', { name: 'cors', steps: 1, delayMs: 0 }, { Origin: ALLOWED });
      assert.equal(streamed.status, 200);
      assert.equal(streamed.headers.get('access-control-allow-origin'), ALLOWED);
      assert.match(streamed.headers.get('access-control-expose-headers') ?? '', /pkt-run-id/i);
      assert.deepEqual(types(streamed.events), ['progress', 'complete']);
    });
  });

  it('403s another origin, preflight and request, with FORBIDDEN_ORIGIN and no run', { timeout: 20_000 }, async () => {
    const log: string[] = [];
    await withServer({ cors: [ALLOWED], store: new SpyStore(log) }, async (server) => {
      const evil = 'https://evil.example';
      const pre = await fetch(`${server.url}${BASE}/task.process`, {
        method: 'OPTIONS',
        headers: { Origin: evil, 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(pre.status, 403);
      assert.equal(pre.headers.get('access-control-allow-origin'), null);
      assert.equal(((await pre.json()) as { code: string }).code, 'FORBIDDEN_ORIGIN');

      const res = await fetch(`${server.url}${BASE}/task.process`, {
        method: 'POST',
        headers: { Origin: evil, Accept: 'text/event-stream', 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'evil', steps: 1, delayMs: 0 }),
      });
      assert.equal(res.status, 403);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      const body = (await res.json()) as { status: number; code: string; message: string };
      assert.equal(body.status, 403);
      assert.equal(body.code, 'FORBIDDEN_ORIGIN');
      assert.match(body.message, /evil\.example/);
      assert.deepEqual(log, [], 'a refused origin starts no run');
    });
  });

  it('lets the page on its own origin in without --cors', { timeout: 20_000 }, async () => {
    await withServer({}, async (server) => {
      const streamed = await postStream(server.url, 'task.process', { name: 'self', steps: 1, delayMs: 0 }, { Origin: server.url });
      assert.equal(streamed.status, 200);
      assert.deepEqual(types(streamed.events), ['progress', 'complete']);
      const other = await fetch(`${server.url}${BASE}`, { headers: { Origin: 'http://localhost:1' } });
      assert.equal(other.status, 403);
    });
  });
});

