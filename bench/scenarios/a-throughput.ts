// (a) Single-stream throughput: one firehose stream at a time, read by the raw-socket reader
// in this process, each server in its own child process. Rounds go server by server in turn,
// so a slow moment of the machine lands on every server alike rather than on one.

import { join } from 'node:path';
import { benchDir, startServerProcess, type ServerHandle } from '../lib/child.js';
import { pktServerMissing } from '../lib/pkt.js';
import type { Figure, Scenario, Target } from '../lib/report.js';
import { readEventStream } from '../lib/sse-socket.js';
import { median, ratio } from '../lib/stats.js';

const BASELINES = [
  { subject: 'raw node:http', script: 'servers/raw.ts' },
  { subject: 'better-sse', script: 'servers/better-sse.ts' },
  { subject: 'hono streamSSE', script: 'servers/hono.ts' },
] as const;
const LIBRARIES = ['better-sse', 'hono streamSSE'];
export const PKT = 'pkt';

interface Run {
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
  return { eventsPerSec: r.events / s, mbPerSec: r.bodyBytes / 1e6 / s, bytesPerEvent: r.bodyBytes / r.events };
}

export const scenario: Scenario = {
  id: 'a',
  title: 'single-stream throughput (firehose, raw-socket reader)',
  async run(ctx) {
    const count = ctx.quick ? 100_000 : 200_000;
    const rounds = ctx.quick ? 3 : 5;
    const notes: string[] = [`${count.toLocaleString('en-US')} events per run, 1 warm-up run then ${rounds} measured runs per server`];
    const subjects: { subject: string; script: string }[] = [...BASELINES];
    const missing = pktServerMissing();
    if (missing) notes.push(`pkt not available: ${missing}`);
    else subjects.splice(1, 0, { subject: PKT, script: 'servers/pkt.ts' });

    const servers: ServerHandle[] = [];
    const runs = new Map<string, Run[]>();
    try {
      // Started together (nothing is measured yet), so start-up costs one wait, not four.
      const started = await Promise.allSettled(subjects.map((s) => startServerProcess(s.subject, join(benchDir, s.script))));
      started.forEach((r, i) => {
        if (r.status === 'fulfilled') servers.push(r.value);
        else notes.push(`${subjects[i]!.subject} not available: ${(r.reason as Error).message.split('\n')[0]}`);
      });
      for (const server of servers) {
        runs.set(server.name, []);
        await firehoseRun(server, count).catch((err: Error) => notes.push(`${server.name} warm-up: ${err.message}`));
      }
      for (let round = 1; round <= rounds; round++) {
        for (const server of servers) {
          try {
            runs.get(server.name)!.push(await firehoseRun(server, count));
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
    const raw = med('raw node:http', 'eventsPerSec').value;
    const libs = LIBRARIES.map((n) => ({ n, v: med(n, 'eventsPerSec').value })).filter((l) => l.v != null);
    const best = libs.sort((x, y) => y.v! - x.v!)[0];
    const vsRaw = ratio(pkt, raw);
    const vsBest = best ? ratio(pkt, best.v) : null;
    const targets: Target[] = [
      {
        text: '(a) events/s >= 0.85x the raw ceiling',
        met: vsRaw == null ? null : vsRaw >= 0.85,
        detail: vsRaw == null ? (missing ?? 'pkt or raw not measured') : `${vsRaw.toFixed(2)}x`,
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
