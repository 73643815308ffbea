// (3) Slow and stalled readers (item 5). 200 readers of the bundled firehose read 256 KiB and
// then stop reading; the server must drop each about 30 s (limits.stalledClientMs) after it
// stops, and its memory must stay bounded meanwhile. Beside them, readers that read slowly but
// keep up with their own events (a tick of 1 KiB a second, read at 2 KiB/s) must never be
// dropped; and firehose readers at 200 KB/s and 1 KB/s show where the rule's resolution lies.

import type { IncomingMessage } from 'node:http';
import { held, info, mb, pool, type StressScenario } from '../lib/figures.js';
import { kernelQueues, startPktServe } from '../lib/server.js';
import { openStream, pace, type OpenStream } from '../lib/stream-client.js';
import { percentile } from '../../lib/stats.js';

const STALLED = 200;
const STOP_AFTER_BYTES = 256 * 1024;
/** The stall limit is 30 s; past 30 + this, a reader not dropped counts as not dropped. */
const GRACE_MS = 15_000;

interface Reader {
  kind: string;
  stream: OpenStream;
  stoppedAt?: number;
}

export const scenario: StressScenario = {
  id: 'slow-readers',
  title: `slow readers: ${STALLED} stalled firehose readers, and steady slow ones`,
  async run(log) {
    // Started in code with the default limits, so that its heap can be read after a collection.
    const server = await startPktServe({ limits: {} });
    const rssBefore = server.rss();
    const readers: Reader[] = [];
    const paced = (rate: number) => {
      let pacer: ((chunk: Buffer) => void) | undefined;
      return (chunk: Buffer, res: IncomingMessage) => (pacer ??= pace(res, rate))(chunk);
    };
    // Steady readers first, so they live through the whole window.
    for (let i = 0; i < 10; i++) {
      readers.push({ kind: 'keeps up (1 KiB/s tick, read at 2 KiB/s)', stream: openStream({ port: server.port, target: 'stress.hold', input: { intervalMs: 1000, size: 1024 }, decode: false, onData: paced(2048) }) });
    }
    for (const [rate, label] of [[200_000, 'firehose read at 200 KB/s'], [1000, 'firehose read at 1 KB/s']] as const) {
      for (let i = 0; i < 5; i++) {
        readers.push({ kind: label, stream: openStream({ port: server.port, target: 'demo.firehose', input: { count: 100_000_000 }, decode: false, onData: paced(rate) }) });
      }
    }
    const stalled: Reader[] = [];
    await pool(STALLED, 50, async () => {
      const reader: Reader = { kind: 'stalled', stream: undefined as unknown as OpenStream };
      reader.stream = openStream({
        port: server.port,
        target: 'demo.firehose',
        input: { count: 100_000_000 },
        decode: false,
        onData: (_chunk, res) => {
          if (reader.stoppedAt === undefined && reader.stream.bytes() >= STOP_AFTER_BYTES) {
            res.pause();
            reader.stoppedAt = Date.now();
          }
        },
      });
      stalled.push(reader);
      await reader.stream.head;
    });
    readers.push(...stalled);
    log(`slow-readers: ${STALLED} stalled readers open`);

    let peakRss = 0;
    let heldHeap: number | undefined;
    let peakSend = 0;
    let peakReceive = 0;
    const dropped = () => {
      const byRun = new Map<string, number>();
      for (const line of server.lines) {
        const m = /^run (\S+): dropped a client that /.exec(line.text);
        if (m) byRun.set(m[1]!, line.at);
      }
      return byRun;
    };
    const deadline = () => Math.max(...stalled.map((r) => r.stoppedAt ?? Date.now())) + 30_000 + GRACE_MS;
    for (;;) {
      peakRss = Math.max(peakRss, server.rss());
      const q = kernelQueues(server.port);
      peakSend = Math.max(peakSend, q.serverSendQueue);
      peakReceive = Math.max(peakReceive, q.clientReceiveQueue);
      // Once every reader has stopped and none is dropped yet: what the heap holds for them.
      if (heldHeap === undefined && stalled.every((r) => r.stoppedAt !== undefined && Date.now() - r.stoppedAt > 10_000)) {
        heldHeap = (await server.collected())?.heapUsed;
      }
      const gone = dropped();
      if (stalled.every((r) => gone.has(r.stream.runId() ?? '')) || Date.now() > deadline()) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const gone = dropped();
    const dropSeconds = stalled.flatMap((r) => {
      const at = gone.get(r.stream.runId() ?? '');
      return at !== undefined && r.stoppedAt !== undefined ? [(at - r.stoppedAt) / 1000] : [];
    });
    const droppedOf = (kind: string) => readers.filter((r) => r.kind === kind && gone.has(r.stream.runId() ?? '')).length;
    const keepUp = 'keeps up (1 KiB/s tick, read at 2 KiB/s)';
    const keptUpBytes = readers.filter((r) => r.kind === keepUp).map((r) => r.stream.bytes());
    for (const r of readers) r.stream.close();
    const rssAfter = server.rss();
    await server.stop();
    const min = Math.min(...dropSeconds);
    const max = Math.max(...dropSeconds);
    return {
      figures: [
        held('stalled readers dropped', dropSeconds.length, `of ${STALLED}`, `${STALLED}`, dropSeconds.length === STALLED),
        held('drop time after the reader stopped reading, min', round(min), 's', '>= 30', min >= 30),
        info('drop time after the reader stopped reading, median', round(percentile(dropSeconds, 50)), 's'),
        held('drop time after the reader stopped reading, max', round(max), 's', '<= 40', max <= 40),
        info('server RSS before', mb(rssBefore), 'MB'),
        info('server RSS at the peak', mb(peakRss), 'MB'),
        info('server RSS with all of them open, per stalled reader', mb((peakRss - rssBefore) / STALLED), 'MB'),
        info('heap in use with all of them stalled, after a collection', mb(heldHeap ?? Number.NaN), 'MB'),
        info('kernel: server send queues at the peak', mb(peakSend), 'MB'),
        info('kernel: client receive queues at the peak', mb(peakReceive), 'MB'),
        held('readers keeping up (1 KiB/s) dropped', droppedOf(keepUp), 'of 10', '0', droppedOf(keepUp) === 0),
        info('firehose readers at 200 KB/s dropped', droppedOf('firehose read at 200 KB/s'), 'of 5'),
        info('firehose readers at 1 KB/s dropped', droppedOf('firehose read at 1 KB/s'), 'of 5'),
      ],
      notes: [
        `server RSS after the readers closed: ${mb(rssAfter)} MB`,
        `bytes read by the keeping-up readers: ${keptUpBytes.join(', ')}`,
        'the rule counts 30 s from the last byte the reader\'s side took, checked every 2 s; after a reader stops reading, its kernel goes on taking bytes until its receive buffer is full, which with 200 firehoses sharing two cores takes a few seconds',
        'the kernel queues are both ends of loopback connections: what the server\'s sockets hold (sent, not acknowledged, or not yet sent) and what the readers\' sockets hold unread',
      ],
    };
  },
};

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
