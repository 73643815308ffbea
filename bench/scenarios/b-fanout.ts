// (b) Fan-out: many concurrent streams, one event per second each, clients in their own
// process. Per server and size: RSS per stream (after a GC, loaded minus idle), server CPU
// over the window, and delivery latency p50/p99 from the `sentAt` stamped in each event.

import { join } from 'node:path';
import { benchDir, spawnNode, startServerProcess, tail, type ServerHandle } from '../lib/child.js';
import { pktServerMissing } from '../lib/pkt.js';
import type { Figure, Scenario, Target } from '../lib/report.js';
import { ratio } from '../lib/stats.js';
import type { FanoutMessage } from '../workers/fanout-client.js';

const SERVERS = [
  { subject: 'pkt', script: 'servers/pkt.ts' },
  { subject: 'raw node:http', script: 'servers/raw.ts' },
  { subject: 'better-sse', script: 'servers/better-sse.ts' },
  { subject: 'hono streamSSE', script: 'servers/hono.ts' },
];

interface Measure {
  rssPerStreamKB: number;
  cpuPercent: number;
  p50: number;
  p99: number;
  open: number;
  failed: number;
  note?: string;
}

async function measure(server: ServerHandle, streams: number, windowS: number): Promise<Measure> {
  const idle = await server.stats(true);
  const client = spawnNode(join(benchDir, 'workers/fanout-client.ts'), [
    String(server.port),
    server.tickPath!,
    String(streams),
    String(windowS),
    // Streams outlive the window; the client closes them when it is done.
    String(Math.min(180, windowS + 100)),
  ]);
  const output = tail(client);
  try {
    const next = (type: FanoutMessage['type'], timeoutMs: number) =>
      new Promise<FanoutMessage>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fan-out client: no ${type} within ${timeoutMs / 1000} s`)), timeoutMs);
        const onMessage = (m: FanoutMessage) => {
          if (m.type !== type) return;
          clearTimeout(timer);
          client.off('message', onMessage);
          resolve(m);
        };
        client.on('message', onMessage);
        client.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`fan-out client exited with ${code}: ${output().slice(-300)}`));
        });
      });
    const connected = next('connected', 120_000);
    const c = (await connected) as Extract<FanoutMessage, { type: 'connected' }>;
    const start = await server.stats(false);
    const result = next('result', windowS * 1000 + 30_000);
    const r = (await result) as Extract<FanoutMessage, { type: 'result' }>;
    // CPU first (no GC in it), then RSS after a GC, while the streams are still open.
    const end = await server.stats(false);
    const loaded = await server.stats(true);
    const cpuPercent = ((end.cpuMicros - start.cpuMicros) / 1000 / (end.at - start.at)) * 100;
    const rssPerStreamKB = (loaded.rss - idle.rss) / 1024 / Math.max(1, c.open);
    return {
      rssPerStreamKB,
      cpuPercent,
      p50: r.p50,
      p99: r.p99,
      open: r.open,
      failed: r.failed,
      note: `${c.open} open after ${(c.ms / 1000).toFixed(1)} s, ${r.events} events timed, max ${r.max.toFixed(1)} ms${r.firstError ? `, first error: ${r.firstError}` : ''}`,
    };
  } finally {
    if (client.exitCode === null) client.kill();
  }
}

export const scenario: Scenario = {
  id: 'b',
  title: 'fan-out (one event per second per stream)',
  async run(ctx) {
    const sizes = ctx.quick ? [1000] : [1000, 5000, 10_000];
    const windowS = ctx.quick ? 5 : 20;
    const notes: string[] = [`window ${windowS} s per server and size; RSS per stream = (RSS after GC with the streams open - idle RSS after GC) / streams; CPU as % of one core over the window`];
    const missing = pktServerMissing();
    if (missing) notes.push(`pkt not available: ${missing}`);
    const subjects = SERVERS.filter((s) => s.subject !== 'pkt' || !missing);
    const results = new Map<string, Measure>();
    for (const size of sizes) {
      for (const s of subjects) {
        let server: ServerHandle | undefined;
        try {
          // A fresh process per size, so one size's garbage and grown heap do not count in the next.
          server = await startServerProcess(s.subject, join(benchDir, s.script));
          const m = await measure(server, size, windowS);
          results.set(`${s.subject}@${size}`, m);
          notes.push(`${s.subject} @ ${size}: ${m.note}`);
        } catch (err) {
          notes.push(`${s.subject} @ ${size}: ${(err as Error).message.split('\n')[0]}`);
        } finally {
          await server?.stop();
        }
        ctx.log(`(b) ${s.subject} @ ${size} streams done`);
      }
    }

    const figures: Figure[] = [];
    const metrics = [
      { key: 'rssPerStreamKB', metric: 'RSS per stream', unit: 'KB' },
      { key: 'cpuPercent', metric: 'server CPU', unit: '% of a core' },
      { key: 'p50', metric: 'latency p50', unit: 'ms' },
      { key: 'p99', metric: 'latency p99', unit: 'ms' },
    ] as const;
    for (const size of sizes) {
      for (const m of metrics) {
        for (const s of subjects) {
          const got = results.get(`${s.subject}@${size}`);
          const value = got ? got[m.key] : null;
          const fig: Figure = { subject: s.subject, metric: `${m.metric} @ ${size.toLocaleString('en-US')}`, unit: m.unit, value, runs: value == null ? [] : [value] };
          if (s.subject === 'pkt') {
            fig.versus = subjects
              .filter((b) => b.subject !== 'pkt')
              .map((b) => ({ subject: b.subject, ratio: ratio(value, results.get(`${b.subject}@${size}`)?.[m.key]) }));
          }
          figures.push(fig);
        }
      }
    }
    const top = sizes[sizes.length - 1]!;
    const pkt = results.get(`pkt@${top}`);
    const usable = pkt && pkt.failed === 0 ? pkt : undefined;
    const atTen = top === 10_000;
    const why = missing ?? (pkt ? `${pkt.failed} streams failed` : 'pkt not measured');
    const targets: Target[] = [
      {
        text: '(b) at 10,000 streams: RSS per stream < 100 KB',
        met: usable && atTen ? usable.rssPerStreamKB < 100 : null,
        detail: usable ? `${usable.rssPerStreamKB.toFixed(1)} KB at ${top}${atTen ? '' : ' (quick mode: judged only in the full run)'}` : why,
      },
      {
        text: '(b) at 10,000 streams: p99 latency < 50 ms',
        met: usable && atTen ? usable.p99 < 50 : null,
        detail: usable ? `${usable.p99.toFixed(1)} ms at ${top}${atTen ? '' : ' (quick mode: judged only in the full run)'}` : why,
      },
    ];
    return { figures, targets, notes };
  },
};
