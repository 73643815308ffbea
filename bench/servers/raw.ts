// The ceiling: plain node:http writing pre-encoded frames, one res.write per event, waiting
// for 'drain' when the socket is full. Nothing per event but the write itself, so no SSE
// server can do the same work faster in Node.

import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_STREAM_HEADERS } from '../../src/protocol/http.js';
import {
  MAX_FIREHOSE_COUNT,
  frame,
  intInput,
  progressPayload,
  readJsonBody,
  tickClock,
  tickInput,
  wallNow,
} from '../lib/events.js';
import { drained, listenForBench, runServerChild } from '../lib/server-child.js';

// Encoding happens once per count, on the warm-up request, so measured runs only write.
const encoded = new Map<number, Buffer[]>();
function framesFor(count: number): Buffer[] {
  let frames = encoded.get(count);
  if (!frames) {
    frames = [];
    for (let i = 1; i <= count; i++) frames.push(Buffer.from(frame(i, 'progress', progressPayload(i, count))));
    frames.push(Buffer.from(frame(count + 1, 'complete', { sent: count })));
    encoded.clear();
    encoded.set(count, frames);
  }
  return frames;
}

runServerChild(async () => {
  const server = createServer((req, res) => {
    void (async () => {
      const input = await readJsonBody(req);
      if (req.url === '/firehose') {
        const frames = framesFor(intInput(input, 'count', 100_000, MAX_FIREHOSE_COUNT));
        res.writeHead(200, EVENT_STREAM_HEADERS);
        for (const f of frames) {
          if (!res.write(f) && !(await drained(res))) return;
        }
        res.end();
      } else if (req.url === '/tick') {
        const { n, intervalMs, phaseMs } = tickInput(input);
        const next = tickClock(phaseMs, intervalMs);
        res.writeHead(200, EVENT_STREAM_HEADERS);
        // The first tick may be up to an interval away: the client is told it is in now.
        res.flushHeaders();
        let open = true;
        res.once('close', () => (open = false));
        for (let i = 1; i <= n && open; i++) {
          await sleep(next());
          if (open) res.write(frame(i, 'tick', { seq: i, sentAt: wallNow() }));
        }
        if (open) res.end(frame(n + 1, 'complete', { sent: n }));
      } else {
        res.writeHead(404).end();
      }
    })().catch((err: unknown) => res.destroy(err as Error));
  });
  return listenForBench(server);
});
