// (b) worker: the fan-out clients, in a process of their own. On `grow` it opens streams up
// to a total (a bounded number of connects in flight, so no listen backlog overflows); on
// `measure` it records each event's delivery latency (receive time minus the `sentAt` inside
// it) for a window and reports; on `stop`, or when the parent goes, it closes everything.
//   node --import tsx bench/workers/fanout-client.ts <port> <path> <stream seconds>

import { setMaxListeners } from 'node:events';
import { wallNow } from '../lib/events.js';
import { readEventStream } from '../lib/sse-socket.js';
import { percentile } from '../lib/stats.js';

const [portArg, path, streamSecondsArg] = process.argv.slice(2);
if (!path) throw new Error('usage: fanout-client.ts <port> <path> <stream seconds>');
const port = Number(portArg);
const IN_FLIGHT = 200;
// A server that cannot take connections faster than this is reported short, not waited for.
const GROW_BUDGET_MS = 30_000;

export type FanoutRequest = { type: 'grow'; to: number } | { type: 'measure'; seconds: number } | { type: 'stop' };
export type FanoutMessage =
  | { type: 'connected'; ms: number; open: number; failed: number }
  | { type: 'result'; events: number; p50: number; p99: number; max: number; open: number; failed: number; firstError?: string };

const send = (m: FanoutMessage) => process.send?.(m);
const stop = new AbortController();
// Every stream listens on this one signal; thousands of listeners are the point, not a leak.
setMaxListeners(0, stop.signal);

let latencies = new Float64Array(0);
let recorded = 0;
let measuring = false;
let started = 0;
let open = 0;
let failed = 0;
let firstError: string | undefined;
const SENT_AT = '"sentAt":';

function onText(text: string): void {
  const now = wallNow();
  if (!measuring) return;
  // Events are a few dozen bytes at one per second: a block never spans two reads in practice,
  // and one that did would only lose its sample, never count a wrong one.
  for (let at = text.indexOf(SENT_AT); at >= 0; at = text.indexOf(SENT_AT, at + 1)) {
    const sentAt = Number.parseFloat(text.slice(at + SENT_AT.length, at + SENT_AT.length + 24));
    if (Number.isFinite(sentAt) && recorded < latencies.length) latencies[recorded++] = now - sentAt;
  }
}

function fail(why: string): void {
  failed++;
  firstError ??= why;
}

// Stream i ticks at i times the golden ratio's fraction of each second: evenly spread over
// the second for any number of streams, so every size sees the same even load.
const GOLDEN = 0.6180339887498949;
const phaseOf = (i: number) => Math.floor(((i * GOLDEN) % 1) * 1000);

function openStream(index: number): Promise<void> {
  return new Promise((connected) => {
    readEventStream({
      port,
      path: path!,
      body: JSON.stringify({ seconds: Number(streamSecondsArg), intervalMs: 1000, phaseMs: phaseOf(index) }),
      timeoutMs: 600_000,
      signal: stop.signal,
      onHead: (status) => {
        if (status === 200) open++;
        else fail(`status ${status}`);
        connected();
      },
      onData: (data) => onText(data.toString('latin1')),
    }).then(
      (r) => {
        if (stop.signal.aborted || r.status !== 200) return;
        // A stream the server ended while the bench still listened is a lost client.
        open--;
        fail('stream ended early');
      },
      (err: Error) => {
        fail(err.message);
        connected();
      },
    );
  });
}

async function grow(to: number): Promise<void> {
  const t0 = performance.now();
  const wanted = to - started;
  let next = 0;
  const opener = async () => {
    while (next < wanted && performance.now() - t0 < GROW_BUDGET_MS) {
      next++;
      await openStream(started++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, wanted) }, opener));
  send({ type: 'connected', ms: performance.now() - t0, open, failed });
}

function measure(seconds: number): void {
  latencies = new Float64Array(Math.ceil(open * seconds * 1.5) + 1000);
  recorded = 0;
  measuring = true;
  setTimeout(() => {
    measuring = false;
    const sample = Array.from(latencies.subarray(0, recorded));
    send({
      type: 'result',
      events: recorded,
      p50: percentile(sample, 50),
      p99: percentile(sample, 99),
      max: percentile(sample, 100),
      open,
      failed,
      ...(firstError ? { firstError } : {}),
    });
  }, seconds * 1000);
}

process.on('disconnect', () => process.exit(0));
process.on('message', (m: FanoutRequest) => {
  if (m.type === 'grow') void grow(m.to);
  else if (m.type === 'measure') measure(m.seconds);
  else {
    stop.abort();
    setTimeout(() => process.exit(0), 200);
  }
});
