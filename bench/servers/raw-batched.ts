// The second ceiling: plain node:http writing the same pre-encoded frames as servers/raw.ts,
// but joined into 64 KiB buffers ahead of time, so a firehose costs one res.write (and about
// one system call) per 64 KiB instead of one per event. A server that batches its writes, as
// pkt does, is judged against this one too. Fan-out needs no second ceiling: at one event a
// second there is nothing to batch, so this server only serves the firehose.
//
// With the argument `encode`, it builds each frame (JSON.stringify and the SSE lines) as it
// goes instead: not a ceiling but a reference, the cost of encoding alone, so a gap between
// pkt and the ceiling can be split into encoding and everything else.

import { createServer, type ServerResponse } from 'node:http';
import { EVENT_STREAM_HEADERS } from '../../src/protocol/http.js';
import { MAX_FIREHOSE_COUNT, frame, intInput, progressPayload, readJsonBody } from '../lib/events.js';
import { drained, listenForBench, runServerChild } from '../lib/server-child.js';

const BATCH_BYTES = 64 * 1024;

// Encoded once per count, on the warm-up request, so measured runs only write.
const encoded = new Map<number, Buffer[]>();
function batchesFor(count: number): Buffer[] {
  let batches = encoded.get(count);
  if (batches) return batches;
  batches = [];
  let parts: string[] = [];
  let size = 0;
  const add = (text: string) => {
    // A frame never straddles two batches: each write ends on an event boundary, as a
    // server batching whole events would write them.
    if (size + text.length > BATCH_BYTES && parts.length > 0) {
      batches!.push(Buffer.from(parts.join('')));
      parts = [];
      size = 0;
    }
    parts.push(text);
    size += text.length;
  };
  for (let i = 1; i <= count; i++) add(frame(i, 'progress', progressPayload(i, count)));
  add(frame(count + 1, 'complete', { sent: count }));
  batches.push(Buffer.from(parts.join('')));
  encoded.clear();
  encoded.set(count, batches);
  return batches;
}

/** Frames built one by one and written 64 KiB at a time, waiting for 'drain' when full. */
async function writeEncoding(res: ServerResponse, count: number): Promise<void> {
  let batch = '';
  for (let i = 1; i <= count; i++) {
    batch += frame(i, 'progress', progressPayload(i, count));
    if (batch.length >= BATCH_BYTES) {
      const ok = res.write(batch);
      batch = '';
      if (!ok && !(await drained(res))) return;
    }
  }
  res.end(batch + frame(count + 1, 'complete', { sent: count }));
}

const encodeEachEvent = process.argv.includes('encode');

runServerChild(async () => {
  const server = createServer((req, res) => {
    void (async () => {
      const input = await readJsonBody(req);
      if (req.url !== '/firehose') {
        res.writeHead(404).end();
        return;
      }
      const count = intInput(input, 'count', 100_000, MAX_FIREHOSE_COUNT);
      res.writeHead(200, EVENT_STREAM_HEADERS);
      if (encodeEachEvent) return writeEncoding(res, count);
      for (const b of batchesFor(count)) {
        if (!res.write(b) && !(await drained(res))) return;
      }
      res.end();
    })().catch((err: unknown) => res.destroy(err as Error));
  });
  const listening = await listenForBench(server);
  // No tick route: fan-out does not start this server.
  const { tickPath: _unused, ...firehoseOnly } = listening;
  return firehoseOnly;
});
