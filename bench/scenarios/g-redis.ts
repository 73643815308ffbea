// (g) Runs in Redis (issue 10): pkt front ends and workers on a real redis-server, beside pkt
// with its memory store in the same run. One firehose run; four at once with one worker and
// with two; the latency Redis adds to each event; 1,000 followers of one run spread over two
// front ends; and how long a DELETE on one front takes to end a run that executes on a worker.

import { request } from 'node:http';
import { join } from 'node:path';
import { startRedis, type RedisServer } from '../../test/helpers/redis.js';
import { benchDir, startServerProcess, type ServerHandle } from '../lib/child.js';
import { follow } from '../lib/follow.js';
import { pktServerMissing } from '../lib/pkt.js';
import type { Figure, Scenario, Target } from '../lib/report.js';
import { median, percentile, ratio } from '../lib/stats.js';
import { firehoseRun } from './a-throughput.js';

const BASE = '/_piko/actions';
const MEMORY = 'pkt, memory store';
const REDIS = 'pkt, Redis';

const now = () => performance.timeOrigin + performance.now();

function figure(subject: string, metric: string, unit: string, runs: number[], versus?: { subject: string; value: number | null }): Figure {
  const value = runs.length ? median(runs) : null;
  const f: Figure = { subject, metric, unit, value, runs };
  if (versus) f.versus = [{ subject: versus.subject, ratio: ratio(value, versus.value) }];
  return f;
}

/** Several firehose runs at once through one server: events per second over all of them. */
async function concurrentFirehoses(server: ServerHandle, runs: number, count: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: runs }, () => firehoseRun(server, count)));
  return (runs * count) / ((performance.now() - t0) / 1000);
}

/** Delivery latency of bench.tick events, in ms: arrival minus the time the action sent them. */
async function tickLatencies(port: number, seconds: number, intervalMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const r = await follow({
    port,
    path: `${BASE}/bench.tick`,
    method: 'POST',
    body: JSON.stringify({ seconds, intervalMs }),
    timeoutMs: (seconds + 30) * 1000,
    onEvent: (type, data, at) => {
      if (type === 'tick') latencies.push(at - (data as { sentAt: number }).sentAt);
    },
  });
  if (r.lastType !== 'complete') throw new Error(`bench.tick ended with ${r.lastType || `status ${r.status}`}`);
  return latencies;
}

/**
 * `followers` clients of one detached bench.tick run, spread over `ports`: the latency of the
 * events sent once all of them were attached, and how many clients got every event.
 */
async function fanOut(ports: number[], followers: number, seconds: number): Promise<{ latencies: number[]; complete: number }> {
  let runId = '';
  const starter = new AbortController();
  await new Promise<void>((resolve, reject) => {
    follow({
      port: ports[0]!,
      path: `${BASE}/bench.tick`,
      method: 'POST',
      body: JSON.stringify({ seconds, intervalMs: 100 }),
      headers: { 'Pkt-Detach': '1' },
      signal: starter.signal,
      timeoutMs: (seconds + 60) * 1000,
      onHead: (status, id) => {
        runId = id;
        if (status === 200) resolve();
        else reject(new Error(`starting the run: status ${status}`));
      },
    }).catch(reject);
  });
  starter.abort();
  const latencies: number[] = [];
  let attached = 0;
  let allAttachedAt = Number.POSITIVE_INFINITY;
  const runs = Array.from({ length: followers }, (_, i) =>
    follow({
      port: ports[i % ports.length]!,
      path: `${BASE}/runs/${runId}`,
      timeoutMs: (seconds + 60) * 1000,
      onHead: () => {
        if (++attached === followers) allAttachedAt = now();
      },
      onEvent: (type, data, at) => {
        if (type === 'tick' && (data as { sentAt: number }).sentAt > allAttachedAt) latencies.push(at - (data as { sentAt: number }).sentAt);
      },
    }),
  );
  const results = await Promise.all(runs);
  if (attached < followers) throw new Error(`${followers - attached} followers could not attach`);
  return { latencies, complete: results.filter((r) => r.lastType === 'complete').length };
}

/** DELETE through one front, while a client follows the run through another: ms until its CANCELLED event. */
async function cancelLatency(startPort: number, cancelPort: number): Promise<number> {
  let deleteSentAt = 0;
  let endedAt = 0;
  let runId = '';
  let firstTick!: () => void;
  const ticked = new Promise<void>((resolve) => (firstTick = resolve));
  const followed = follow({
    port: startPort,
    path: `${BASE}/bench.tick`,
    method: 'POST',
    body: JSON.stringify({ seconds: 60, intervalMs: 1000 }),
    timeoutMs: 60_000,
    onHead: (_status, id) => (runId = id),
    onEvent: (type, data, at) => {
      if (type === 'tick') firstTick();
      if (type === 'error' && (data as { code?: string }).code === 'CANCELLED') endedAt = at;
    },
  });
  await ticked;
  deleteSentAt = now();
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: cancelPort, path: `${BASE}/runs/${runId}`, method: 'DELETE' }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
  await followed;
  if (!endedAt) throw new Error('the run did not end with CANCELLED');
  return endedAt - deleteSentAt;
}

export const scenario: Scenario = {
  id: 'g',
  title: 'runs in Redis: throughput, workers, latency, 1,000 followers over two fronts, cancel',
  async run(ctx) {
    const notes: string[] = [];
    const figures: Figure[] = [];
    const targets: Target[] = [];
    const missing = pktServerMissing();
    if (missing) return { figures, targets, notes: [`pkt not available: ${missing}`] };
    let redis: RedisServer;
    try {
      redis = await startRedis();
    } catch (err) {
      return { figures, targets, notes: [`redis-server not available: ${(err as Error).message}`] };
    }
    const handles: ServerHandle[] = [];
    const start = async (name: string, script: string, args: string[] = []) => {
      const h = await startServerProcess(name, join(benchDir, script), args);
      handles.push(h);
      return h;
    };
    try {
      const [memory, frontA, frontB] = await Promise.all([
        start(MEMORY, 'servers/pkt.ts'),
        start('pkt front A', 'servers/pkt-redis.ts', ['front', redis.url]),
        start('pkt front B', 'servers/pkt-redis.ts', ['front', redis.url]),
        start('pkt worker 1', 'servers/pkt-redis.ts', ['worker', redis.url]),
      ]);
      const count = ctx.quick ? 50_000 : 100_000;
      const rounds = ctx.quick ? 2 : 3;
      notes.push(`redis-server ${redis.url.replace('redis://', '')}, persistence off; fronts and workers are separate processes`);

      ctx.log('(g) one firehose run');
      await firehoseRun(memory, 10_000);
      await firehoseRun(frontA, 10_000);
      const single = { memory: [] as number[], redis: [] as number[] };
      for (let i = 0; i < rounds; i++) {
        single.memory.push((await firehoseRun(memory, count)).eventsPerSec);
        single.redis.push((await firehoseRun(frontA, count)).eventsPerSec);
      }
      const memoryRate = median(single.memory);
      figures.push(figure(MEMORY, 'one firehose run', 'events/s', single.memory));
      figures.push(figure(`${REDIS}, 1 worker`, 'one firehose run', 'events/s', single.redis, { subject: MEMORY, value: memoryRate }));

      ctx.log('(g) four firehose runs at once, 1 then 2 workers');
      const parallel = 4;
      const each = Math.floor(count / 2);
      const total = { memory: [] as number[], one: [] as number[], two: [] as number[] };
      for (let i = 0; i < rounds; i++) total.memory.push(await concurrentFirehoses(memory, parallel, each));
      for (let i = 0; i < rounds; i++) total.one.push(await concurrentFirehoses(frontA, parallel, each));
      await start('pkt worker 2', 'servers/pkt-redis.ts', ['worker', redis.url]);
      for (let i = 0; i < rounds; i++) total.two.push(await concurrentFirehoses(frontA, parallel, each));
      const memoryTotal = median(total.memory);
      figures.push(figure(MEMORY, `${parallel} runs at once, total`, 'events/s', total.memory));
      figures.push(figure(`${REDIS}, 1 worker`, `${parallel} runs at once, total`, 'events/s', total.one, { subject: MEMORY, value: memoryTotal }));
      figures.push(figure(`${REDIS}, 2 workers`, `${parallel} runs at once, total`, 'events/s', total.two, { subject: MEMORY, value: memoryTotal }));

      ctx.log('(g) latency of each event');
      const seconds = ctx.quick ? 2 : 4;
      const lat = { memory: await tickLatencies(memory.port, seconds, 20), redis: await tickLatencies(frontA.port, seconds, 20) };
      for (const [p, name] of [[50, 'p50'], [99, 'p99']] as const) {
        const m = percentile(lat.memory, p);
        const r = percentile(lat.redis, p);
        figures.push(figure(MEMORY, `event latency ${name}`, 'ms', [m]));
        figures.push(figure(REDIS, `event latency ${name}`, 'ms', [r], { subject: MEMORY, value: m }));
        figures.push(figure(REDIS, `latency Redis adds, ${name}`, 'ms', [r - m]));
      }

      ctx.log('(g) 1,000 followers of one run');
      const followers = 1000;
      const fanSeconds = ctx.quick ? 4 : 8;
      const memFan = await fanOut([memory.port], followers, fanSeconds);
      const redisFan = await fanOut([frontA.port, frontB.port], followers, fanSeconds);
      for (const [p, name] of [[50, 'p50'], [99, 'p99']] as const) {
        const m = percentile(memFan.latencies, p);
        figures.push(figure(`${MEMORY}, one server`, `1,000 followers: latency ${name}`, 'ms', [m]));
        figures.push(figure(`${REDIS}, two fronts`, `1,000 followers: latency ${name}`, 'ms', [percentile(redisFan.latencies, p)], { subject: `${MEMORY}, one server`, value: m }));
      }
      notes.push(`1,000 followers got the whole run: ${memFan.complete} on the memory store, ${redisFan.complete} over two Redis fronts`);
      targets.push({
        text: '1,000 followers of one run over two fronts each get every event',
        met: redisFan.complete === followers,
        detail: `${redisFan.complete} of ${followers} saw the run complete`,
      });

      ctx.log('(g) cancel: DELETE on one front, the run on a worker, its client on the other front');
      const cancels: number[] = [];
      for (let i = 0; i < (ctx.quick ? 10 : 30); i++) cancels.push(await cancelLatency(frontA.port, frontB.port));
      const p99 = percentile(cancels, 99);
      figures.push(figure(REDIS, 'DELETE to the CANCELLED event at the client, p50', 'ms', [percentile(cancels, 50)]));
      figures.push(figure(REDIS, 'DELETE to the CANCELLED event at the client, p99', 'ms', [p99]));
      notes.push('the cancel figure ends when the client has the CANCELLED event, which the worker writes after its signal aborted: an upper bound of the abort itself');
      targets.push({ text: 'cancel through any front aborts the run on its worker: p99 under 100 ms', met: p99 < 100, detail: `p99 ${p99.toFixed(1)} ms over ${cancels.length} cancels` });
      return { figures, targets, notes };
    } finally {
      await Promise.all(handles.map((h) => h.stop()));
      await redis.close();
    }
  },
};
