// (a) Single-stream throughput: one firehose stream at a time, read by the raw-socket reader
// in this process, each server in its own child process. Rounds go server by server in turn,
// so a slow moment of the machine lands on every server alike rather than on one. The reader
// costs a handful of integer operations per read, so the figures are the servers', up to the
// rate at which one process can read a loopback socket (the batched ceiling may meet that).

import { join } from 'node:path';
import { benchDir, startServerProcess, type ServerHandle } from '../lib/child.js';
import { pktServerMissing } from '../lib/pkt.js';
import type { Figure, Scenario, Target } from '../lib/report.js';
import { MAX_FIREHOSE_COUNT } from '../lib/events.js';
import { readEventStream } from '../lib/sse-socket.js';
import { median, ratio } from '../lib/stats.js';

const RAW = 'raw node:http';
const RAW_BATCHED = 'raw node:http, 64 KiB writes';
const ENCODING = 'node:http encoding, 64 KiB writes';
const BASELINES: { subject: string; script: string; args?: string[] }[] = [
  { subject: RAW, script: 'servers/raw.ts' },
  { subject: RAW_BATCHED, script: 'servers/raw-batched.ts' },
  // A reference, not a ceiling: the batched writer encoding every frame as it goes.
  { subject: ENCODING, script: 'servers/raw-batched.ts', args: ['encode'] },
  { subject: 'better-sse', script: 'servers/better-sse.ts' },
  { subject: 'hono streamSSE', script: 'servers/hono.ts' },
];
const LIBRARIES = ['better-sse', 'hono streamSSE'];
export const PKT = 'pkt';

interface Run {
  seconds: number;
  eventsPerSec: number;
  mbPerSec: number;
  bytesPerEvent: number;
}

/** One firehose read: the figures of (a) and the reference of (d). */
export async function firehoseRun(server: ServerHandle, count: number): Promise<Run> {
  const r = await readEventStream({
    port: server.port,
    path: server.firehosePath,
    body: JSON.stringify({ count }),
    timeoutMs: 120_000,
  });
  if (r.status !== 200) throw new Error(`${server.name}: status ${r.status}`);
  // Each server adds its terminal event (and better-sse a retry block); fewer means a cut stream.
  if (r.events < count) throw new Error(`${server.name}: ${r.events} events of ${count}`);
  const s = r.ms / 1000;
  return { seconds: s, eventsPerSec: r.events / s, mbPerSec: r.bodyBytes / 1e6 / s, bytesPerEvent: r.bodyBytes / r.events };
}

export const scenario: Scenario = {
  id: 'a',
  title: 'single-stream throughput (firehose, raw-socket reader)',
  async run(ctx) {
    const count = ctx.quick ? 100_000 : 200_000;
    const rounds = ctx.quick ? 3 : 5;
    // Every measured run lasts about this long, whatever the server's speed: at a fixed count,
    // the batched ceiling (millions of events a second) would be over in a few ms of noise.
    const runSeconds = ctx.quick ? 0.4 : 0.8;
    const notes: string[] = [
      `warm-up runs size each server's runs to about ${runSeconds} s (at least ${count.toLocaleString('en-US')} events, at most ${MAX_FIREHOSE_COUNT.toLocaleString('en-US')}), then ${rounds} measured runs per server, in turn`,
    ];
    const subjects = [...BASELINES];
    const missing = pktServerMissing();
    if (missing) notes.push(`pkt not available: ${missing}`);
    else subjects.splice(3, 0, { subject: PKT, script: 'servers/pkt.ts' });

    const servers: ServerHandle[] = [];
    const runs = new Map<string, Run[]>();
    try {
      // Started together (nothing is measured yet), so start-up costs one wait, not four.
      const started = await Promise.allSettled(subjects.map((s) => startServerProcess(s.subject, join(benchDir, s.script), s.args)));
      started.forEach((r, i) => {
        if (r.status === 'fulfilled') servers.push(r.value);
        else notes.push(`${subjects[i]!.subject} not available: ${(r.reason as Error).message.split('\n')[0]}`);
      });
      const counts = new Map<string, number>();
      for (const server of servers) {
        runs.set(server.name, []);
        try {
          // The first run pays for JIT and pre-encoding; later ones grow the count until a run
          // lasts long enough to time (a short run is mostly connection set-up). Pre-encoding
          // servers encode a new count on its first request, so that is never a measured run.
          await firehoseRun(server, count);
          let sized = count;
          for (let i = 0; i < 5; i++) {
            const warm = await firehoseRun(server, sized);
            if (warm.seconds >= runSeconds * 0.6 || sized >= MAX_FIREHOSE_COUNT) break;
            const next = Math.max(sized * 2, Math.round((warm.eventsPerSec * runSeconds) / 10_000) * 10_000);
            sized = Math.min(MAX_FIREHOSE_COUNT, next);
            await firehoseRun(server, sized);
          }
          counts.set(server.name, sized);
        } catch (err) {
          notes.push(`${server.name} warm-up: ${(err as Error).message}`);
        }
      }
      notes.push(`events per measured run: ${[...counts].map(([n, c]) => `${n} ${c.toLocaleString('en-US')}`).join(', ')}`);
      for (let round = 1; round <= rounds; round++) {
        for (const server of servers) {
          try {
            runs.get(server.name)!.push(await firehoseRun(server, counts.get(server.name) ?? count));
          } catch (err) {
            notes.push(`${server.name} round ${round}: ${(err as Error).message}`);
          }
        }
        ctx.log(`(a) round ${round}/${rounds} done`);
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }

    const med = (name: string, key: keyof Run) => {
      const values = (runs.get(name) ?? []).map((r) => r[key]);
      return { value: values.length ? median(values) : null, runs: values };
    };
    const figures: Figure[] = [];
    for (const metric of ['events/s', 'MB/s'] as const) {
      const key = metric === 'events/s' ? 'eventsPerSec' : 'mbPerSec';
      for (const name of runs.keys()) {
        const { value, runs: values } = med(name, key);
        const fig: Figure = { subject: name, metric, unit: metric, value, runs: values };
        if (name === PKT) {
          fig.versus = [...runs.keys()]
            .filter((n) => n !== PKT)
            .map((n) => ({ subject: n, ratio: ratio(value, med(n, key).value) }));
        }
        figures.push(fig);
      }
    }
    for (const name of runs.keys()) {
      const b = med(name, 'bytesPerEvent').value;
      if (b != null) notes.push(`${name}: ${b.toFixed(0)} bytes per event on the wire (SSE body)`);
    }

    const pkt = med(PKT, 'eventsPerSec').value;
    // Two ceilings: a write per event (what a naive server does) and 64 KiB writes (what a
    // batching server can reach). pkt batches, so it is held to the faster of the two.
    const ceilings = [RAW, RAW_BATCHED].map((n) => ({ n, v: med(n, 'eventsPerSec').value })).filter((c) => c.v != null);
    const ceiling = ceilings.sort((x, y) => y.v! - x.v!)[0];
    const libs = LIBRARIES.map((n) => ({ n, v: med(n, 'eventsPerSec').value })).filter((l) => l.v != null);
    const best = libs.sort((x, y) => y.v! - x.v!)[0];
    const vsCeiling = ceiling ? ratio(pkt, ceiling.v) : null;
    const vsBest = best ? ratio(pkt, best.v) : null;
    // The ceilings encode nothing; pkt must JSON.stringify every payload. The encoding
    // reference shows what encoding alone leaves of the faster ceiling, and where pkt stands
    // against a server that does no more work than it must (PROFILES.md (a)).
    const encoding = med(ENCODING, 'eventsPerSec').value;
    const vsEncoding = ratio(pkt, encoding);
    const encodingVsCeiling = ceiling ? ratio(encoding, ceiling.v) : null;
    const againstEncoding =
      vsEncoding == null || encodingVsCeiling == null
        ? ''
        : `; ${vsEncoding.toFixed(2)}x the encoding reference, which itself reaches ${encodingVsCeiling.toFixed(2)}x the ceiling`;
    const targets: Target[] = [
      {
        text: '(a) events/s >= 0.9x the faster ceiling (raw node:http, per event or in 64 KiB writes)',
        met: vsCeiling == null ? null : vsCeiling >= 0.9,
        detail: vsCeiling == null ? (missing ?? 'pkt or the ceilings not measured') : `${vsCeiling.toFixed(2)}x ${ceiling!.n}${againstEncoding}`,
      },
      {
        text: '(a) events/s >= 1.2x the best library',
        met: vsBest == null ? null : vsBest >= 1.2,
        detail: vsBest == null ? (missing ?? 'pkt or libraries not measured') : `${vsBest.toFixed(2)}x ${best!.n}`,
      },
    ];
    return { figures, targets, notes };
  },
};
