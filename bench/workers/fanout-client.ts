// (b) worker: the fan-out clients, in a process of their own. Opens `streams` event streams
// (a bounded number of connects in flight, so no listen backlog overflows), tells the parent
// when all are open, then records each event's delivery latency (receive time minus the
// `sentAt` inside it) for `window` seconds, reports, and closes everything.
//   node --import tsx bench/workers/fanout-client.ts <port> <path> <streams> <window s> <stream s>

import { setMaxListeners } from 'node:events';
import { readEventStream } from '../lib/sse-socket.js';
import { wallNow } from '../lib/events.js';
import { percentile } from '../lib/stats.js';

const [portArg, path, streamsArg, windowArg, streamSecondsArg] = process.argv.slice(2);
const port = Number(portArg);
if (!path) throw new Error('usage: fanout-client.ts <port> <path> <streams> <window s> <stream s>');
const streams = Number(streamsArg);
const windowMs = Number(windowArg) * 1000;
const IN_FLIGHT = 200;
const CONNECT_BUDGET_MS = 90_000;

export type FanoutMessage =
  | { type: 'connected'; ms: number; open: number; failed: number }
  | { type: 'result'; events: number; p50: number; p99: number; max: number; open: number; failed: number; firstError?: string };

const send = (m: FanoutMessage) => process.send?.(m);
process.on('disconnect', () => process.exit(0));

const stop = new AbortController();
// Every stream listens on this one signal; thousands of listeners are the point, not a leak.
setMaxListeners(0, stop.signal);
const latencies = new Float64Array(Math.ceil((streams * windowMs) / 1000) * 2 + 1000);
let recorded = 0;
let measuring = false;
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

function openStream(): Promise<void> {
  return new Promise((connected) => {
    readEventStream({
      port,
      path: path!,
      body: JSON.stringify({ seconds: Number(streamSecondsArg), intervalMs: 1000 }),
      timeoutMs: CONNECT_BUDGET_MS + windowMs + 60_000,
      signal: stop.signal,
      onHead: (status) => {
        if (status === 200) open++;
        else {
          failed++;
          firstError ??= `status ${status}`;
        }
        connected();
      },
      onData: (data) => onText(data.toString('latin1')),
    }).then(
      (r) => {
        if (stop.signal.aborted || r.status !== 200) return;
        // A stream the server ended before the window closed is a lost client.
        open--;
        failed++;
        firstError ??= 'stream ended early';
      },
    ).catch((err: Error) => {
      failed++;
      firstError ??= err.message;
      connected();
    });
  });
}

const started = performance.now();
let next = 0;
async function opener(): Promise<void> {
  while (next < streams && performance.now() - started < CONNECT_BUDGET_MS) {
    next++;
    await openStream();
  }
}
await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, streams) }, opener));
send({ type: 'connected', ms: performance.now() - started, open, failed });

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
  stop.abort();
  setTimeout(() => process.exit(0), 200);
}, windowMs);
