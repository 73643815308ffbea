// (c) worker: holds one generated SSE stream and one parser, and decodes the whole stream
// once per `pass` request, answering with the MB/s. One parser per process, so neither's JIT
// state or garbage colours the other's figure; the parent alternates passes between the two
// workers, so a busy moment of the machine lands on both.
// pkt's decoder is the built one (dist/protocol.js, the package's `pkt/protocol`), as users
// run it. With a profile path, the passes (and only they: not generating the stream) run
// under V8's CPU profiler, for bench:profile.
//   node --import tsx bench/workers/decoder.ts <pkt|eventsource-parser> <chunk bytes|small> <MB> [profile path]

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import { createParser } from 'eventsource-parser';
import { frame, progressPayload } from '../lib/events.js';
import { pktProtocolDist } from '../lib/pkt.js';

interface PktProtocol {
  createDecoder(callbacks: { onEvent(event: unknown): void }): { feed(chunk: Uint8Array): void; end(): void };
}
const { createDecoder } = (await import(pathToFileURL(pktProtocolDist).href)) as PktProtocol;

export type DecoderRequest = { type: 'pass' };
export type DecoderMessage = { type: 'ready'; bytes: number; events: number } | { type: 'pass'; mbPerSec: number } | { type: 'failed'; message: string };

const [parserName, chunking, megabytes, profilePath] = process.argv.slice(2);
const targetBytes = Number(megabytes) * 1e6;

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

function decode(bytes: Buffer): { ms: number; events: number } {
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

const send = (m: DecoderMessage) => process.send?.(m);
const profiler = profilePath ? new Session() : undefined;
process.on('disconnect', () => {
  if (!profiler) process.exit(0);
  void profiler.post('Profiler.stop').then(({ profile }) => {
    writeFileSync(profilePath!, JSON.stringify(profile));
    process.exit(0);
  });
});
const { bytes, events: expected } = generate();
// Warm-up: the whole stream in big chunks (a fraction of a second); a tenth in the slow
// few-bytes case, which feeds millions of chunks and so warms the JIT just as well.
decode(chunking === 'small' ? bytes.subarray(0, Math.floor(bytes.length / 10)) : bytes);
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
process.on('message', (m: DecoderRequest) => {
  if (m.type !== 'pass') return;
  const { ms, events } = decode(bytes);
  if (events !== expected) send({ type: 'failed', message: `${parserName} decoded ${events} events of ${expected}` });
  else send({ type: 'pass', mbPerSec: bytes.length / 1e6 / (ms / 1000) });
});
send({ type: 'ready', bytes: bytes.length, events: expected });
