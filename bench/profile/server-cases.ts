// Profiles of server-side pieces: one firehose stream (a), fan-out at 10,000 streams (b), and
// the decoder (c). Each runs in its own process under --cpu-prof, driven as the bench drives it.

import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, spawnNode, startServerProcess, tail, type ServerHandle } from '../lib/child.js';
import type { ServerStats } from '../lib/server-child.js';
import { allocationsMarkdown, cpuSummaryMarkdown, summarizeCpuProfile } from '../lib/cpuprofile.js';
import { perStreamMarkdown, summarizeHeapSnapshot } from '../lib/heapsnapshot.js';
import { fmt } from '../lib/stats.js';
import { firehoseRun } from '../scenarios/a-throughput.js';
import { measureSizes } from '../scenarios/b-fanout.js';

export const cpuProf = (dir: string) => ['--cpu-prof', `--cpu-prof-dir=${dir}`];

/**
 * The main thread's .cpuprofile of the process that wrote into `dir`, summarised. Named
 * CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile; thread 0 is the main one (tsx's loader
 * hooks run on a thread of their own, and write a profile too).
 */
export function summarizeDir(dir: string, top = 15): string {
  const files = readdirSync(dir).filter((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (files.length !== 1) throw new Error(`expected one main-thread .cpuprofile in ${dir}, found ${files.length}`);
  return cpuSummaryMarkdown(summarizeCpuProfile(join(dir, files[0]!), top));
}

function profiledServer(name: string, script: string, dir: string, args: string[] = []): Promise<ServerHandle> {
  return startServerProcess(name, join(benchDir, script), args, cpuProf(dir));
}

export async function profileServer(dir: string, log: (m: string) => void): Promise<string> {
  const out: string[] = [];
  const count = 500_000;
  for (const s of [
    { name: 'pkt', script: 'servers/pkt.ts', args: [] },
    { name: 'node:http encoding, 64 KiB writes', script: 'servers/raw-batched.ts', args: ['encode'] },
  ]) {
    const sub = join(dir, s.name.split(/[ :,]/)[0]!);
    const server = await profiledServer(s.name, s.script, sub, s.args);
    let rates: number[] = [];
    try {
      await firehoseRun(server, 100_000);
      for (let i = 0; i < 5; i++) rates.push((await firehoseRun(server, count)).eventsPerSec);
    } finally {
      await server.stop();
    }
    rates = rates.sort((x, y) => x - y);
    log(`(a) ${s.name} done`);
    out.push(`### ${s.name}: 5 firehose runs of ${count.toLocaleString('en-US')} events, median ${fmt(rates[2]!)} events/s under the profiler\n`, summarizeDir(sub), '');
  }
  return out.join('\n');
}

const MB = 1024 * 1024;

export async function profileFanout(dir: string, log: (m: string) => void): Promise<string> {
  const out: string[] = [];
  const streams = 10_000;
  const GROUPS = ['(string)', '(concatenated string)', 'Object', '(closure)', 'Promise', 'Timeout'];
  for (const s of [
    { name: 'pkt', script: 'servers/pkt.ts', args: [] },
    // The same server keeping one event of history per run instead of 10,000: how much of
    // pkt's memory per stream is the history kept for re-attaching clients.
    { name: 'pkt, history of 1 event', script: 'servers/pkt.ts', args: ['history=1'] },
    // The action waiting as an action naturally would: timers/promises with stream.signal.
    { name: 'pkt, abortable sleep in the action', script: 'servers/pkt.ts', args: ['abortable-sleep'] },
    { name: 'better-sse', script: 'servers/better-sse.ts', args: [] },
    { name: 'raw node:http', script: 'servers/raw.ts', args: [] },
  ]) {
    const sub = join(dir, s.name.replace(/[^a-z0-9]+/gi, '-'));
    mkdirSync(sub, { recursive: true });
    const server = await startServerProcess(s.name, join(benchDir, s.script), s.args);
    const idleSnap = join(sub, 'idle.heapsnapshot');
    const loadedSnap = join(sub, `at-${streams}.heapsnapshot`);
    const profile = join(sub, 'window.cpuprofile');
    let text = '';
    let windowStart: ServerStats | undefined;
    try {
      const idle = await server.stats(true);
      await server.heapSnapshot(idleSnap);
      const measured = await measureSizes(server, [{ streams, windowS: 20, windows: 1 }], 1000, log, {
        // The CPU profile covers the measured window only: not the growing, not the snapshots.
        beforeWindow: async () => {
          await server.cpuProfile('start');
          windowStart = await server.stats(false);
        },
        whileOpen: async () => {
          await server.cpuProfile('stop', profile);
          const windowEnd = await server.stats(false);
          const loaded = await server.stats(true);
          await server.heapSnapshot(loadedSnap);
          const per = (a: number, b: number) => `${((a - b) / streams / 1024).toFixed(1)} KB`;
          text = [
            `memory per stream (after GC, ${streams.toLocaleString('en-US')} open minus idle): RSS ${per(loaded.rss, idle.rss)}, ` +
              `V8 heap used ${per(loaded.heapUsed, idle.heapUsed)}, heap reserved ${per(loaded.heapTotal, idle.heapTotal)}, ` +
              `external ${per(loaded.external, idle.external)}; ` +
              `RSS outside V8's heap and external memory (sockets, libuv, malloc): ${per(loaded.rss - loaded.heapTotal - loaded.external, idle.rss - idle.heapTotal - idle.external)}`,
            `process: RSS ${(loaded.rss / MB).toFixed(0)} MB, heap used ${(loaded.heapUsed / MB).toFixed(0)} MB, heap reserved ${(loaded.heapTotal / MB).toFixed(0)} MB`,
            `in the window: ${windowEnd.gcCount - windowStart!.gcCount} garbage collections pausing the main thread ${(windowEnd.gcMs - windowStart!.gcMs).toFixed(0)} ms; ` +
              `process CPU ${((windowEnd.cpuMicros - windowStart!.cpuMicros) / 1e6).toFixed(1)} s (all threads: V8's helper threads mark and sweep in parallel)`,
          ].join('\n\n');
        },
      });
      const m = measured.get(streams);
      if (m) text += `\n\nthe window (profiler on): ${m.open} open, CPU ${m.cpuPercent.toFixed(1)}% of a core, p99 ${m.p99.toFixed(1)} ms`;
      if (m && m.open < streams) {
        text = `**only ${m.open} of ${streams.toLocaleString('en-US')} streams opened (a busy machine): the per-stream figures below divide by ${streams.toLocaleString('en-US')} and read low; run again when the machine is quieter**\n\n${text}`;
      }
    } finally {
      await server.stop();
    }
    log(`(b) ${s.name} done`);
    const heap = perStreamMarkdown(summarizeHeapSnapshot(idleSnap, GROUPS), summarizeHeapSnapshot(loadedSnap, GROUPS), streams);
    out.push(
      `### ${s.name} at ${streams.toLocaleString('en-US')} streams\n`,
      text,
      '',
      heap,
      '',
      '#### CPU in the 20 s window\n',
      cpuSummaryMarkdown(summarizeCpuProfile(profile, 15)),
      '',
      '#### Allocations in the 20 s window (collected objects included)\n',
      allocationsMarkdown(profile.replace(/\.cpuprofile$/, '.heapprofile'), { count: streams * 20, what: 'event' }),
      '',
    );
  }
  return out.join('\n');
}

export async function profileDecoder(dir: string, log: (m: string) => void): Promise<string> {
  const out: string[] = [];
  for (const parser of ['pkt', 'eventsource-parser']) {
    const file = join(dir, `${parser}.cpuprofile`);
    // The worker profiles its passes itself, leaving out the generation of the stream.
    const child = spawnNode(join(benchDir, 'workers/decoder.ts'), [parser, '16384', '50', file]);
    const output = tail(child);
    const next = () =>
      new Promise<{ type: string; mbPerSec?: number; message?: string }>((resolve, reject) => {
        child.once('message', resolve);
        child.once('exit', (code) => reject(new Error(`${parser} worker exited with ${code}: ${output()}`)));
      });
    await next();
    const rates: number[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = next();
      child.send({ type: 'pass' });
      const m = await answer;
      if (m.type !== 'pass') throw new Error(`${parser}: ${m.message}`);
      rates.push(m.mbPerSec!);
    }
    // The worker exits on disconnect, which is when --cpu-prof writes the profile.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    await exited;
    log(`(c) ${parser} done`);
    rates.sort((x, y) => x - y);
    out.push(`### ${parser}: 5 passes over 50 MB in 16 KiB chunks, median ${fmt(rates[2]!)} MB/s under the profiler\n`, cpuSummaryMarkdown(summarizeCpuProfile(file, 12)), '');
  }
  return out.join('\n');
}
