// (c) worker: decodes one generated SSE stream with one parser, in one chunking, several
// times; prints the MB/s of each run as JSON. One parser per process, so neither's JIT state
// or garbage colours the other's figure.
//   node --import tsx bench/workers/decoder.ts <pkt|eventsource-parser> <chunk bytes|small> <MB> <runs>

import { createParser } from 'eventsource-parser';
import { createDecoder } from '../../src/protocol/decode.js';
import { frame, progressPayload } from '../lib/events.js';

const [parserName, chunking, megabytes, runsArg] = process.argv.slice(2);
const targetBytes = Number(megabytes) * 1e6;
const runs = Number(runsArg);

/** pkt's firehose output, with a comment now and then, as a server would send it. */
function generate(): { bytes: Buffer; events: number } {
  const parts: string[] = ['retry: 2000\n'];
  let size = 12;
  let events = 0;
  while (size < targetBytes) {
    events++;
    const block = (events % 1000 === 0 ? ': heartbeat\n\n' : '') + frame(events, 'progress', progressPayload(events, 1_000_000));
    parts.push(block);
    size += block.length;
  }
  return { bytes: Buffer.from(parts.join('')), events };
}

// "A few bytes": 1 to 7 in a fixed cycle, so CR/LF and multi-byte boundaries fall everywhere.
const SMALL = [3, 5, 1, 7, 4, 2, 6];

function feedAll(bytes: Buffer, feed: (chunk: Uint8Array) => void): void {
  const n = bytes.length;
  if (chunking === 'small') {
    let i = 0;
    for (let pos = 0; pos < n; ) {
      const end = Math.min(n, pos + SMALL[i++ % SMALL.length]!);
      feed(bytes.subarray(pos, end));
      pos = end;
    }
  } else {
    const size = Number(chunking);
    for (let pos = 0; pos < n; pos += size) feed(bytes.subarray(pos, Math.min(n, pos + size)));
  }
}

function once(bytes: Buffer): { ms: number; events: number } {
  let events = 0;
  const started = performance.now();
  if (parserName === 'pkt') {
    const decoder = createDecoder({ onEvent: () => void events++ });
    feedAll(bytes, (chunk) => decoder.feed(chunk));
    decoder.end();
  } else {
    // eventsource-parser takes text; its own stream wrapper decodes with TextDecoder too.
    const text = new TextDecoder();
    const parser = createParser({ onEvent: () => void events++ });
    feedAll(bytes, (chunk) => parser.feed(text.decode(chunk, { stream: true })));
    parser.feed(text.decode());
  }
  return { ms: performance.now() - started, events };
}

const { bytes, events: expected } = generate();
once(bytes); // warm-up: JIT and inline caches
const mbPerSec: number[] = [];
for (let r = 0; r < runs; r++) {
  const { ms, events } = once(bytes);
  if (events !== expected) throw new Error(`${parserName} decoded ${events} events of ${expected}`);
  mbPerSec.push(bytes.length / 1e6 / (ms / 1000));
}
process.stdout.write(`${JSON.stringify({ mbPerSec, bytes: bytes.length, events: expected })}\n`);
