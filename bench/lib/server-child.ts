// The child side of a bench server process: it starts one server, tells the parent its port
// over IPC, answers resource questions (RSS, CPU) and stops on request or when the parent
// goes away, so no server outlives a bench run.

import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';
import { answerProfiling, type ProfilingAnswer, type ProfilingRequest } from './child-profiling.js';

export interface BenchServer {
  port: number;
  /** Path of the firehose stream (POST, JSON body `{count}`). */
  firehosePath: string;
  /** Path of the one-event-per-interval stream (POST, JSON body `{seconds, intervalMs}`), when served. */
  tickPath?: string;
  close(): Promise<void>;
}

export type ChildMessage =
  | { type: 'ready'; port: number; firehosePath: string; tickPath?: string }
  | { type: 'failed'; message: string }
  | ({ type: 'stats' } & ServerStats)
  | ProfilingAnswer;

export interface ServerStats {
  rss: number;
  heapUsed: number;
  /** What V8 has reserved for its heap; RSS beyond it and `external` is sockets, libuv and malloc. */
  heapTotal: number;
  /** Memory of JS objects held outside V8's heap (Buffers among it, as `arrayBuffers`). */
  external: number;
  arrayBuffers: number;
  cpuMicros: number;
  /** Garbage collections so far and their pauses of the main thread, in ms (perf_hooks 'gc'). */
  gcCount: number;
  gcMs: number;
  at: number;
}

export type ParentMessage = { type: 'stats'; gc?: boolean } | ProfilingRequest | { type: 'stop' };

export function runServerChild(start: () => Promise<BenchServer>): void {
  const send = (m: ChildMessage) => process.send?.(m);
  let server: BenchServer | undefined;
  let gcCount = 0;
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++;
      gcMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'stats') {
      // A collection before reading RSS makes per-stream memory comparable between servers
      // that happen to be at different points of their GC cycles.
      if (m.gc) (globalThis as { gc?: () => void }).gc?.();
      const cpu = process.cpuUsage();
      const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
      send({ type: 'stats', rss, heapUsed, heapTotal, external, arrayBuffers, cpuMicros: cpu.user + cpu.system, gcCount, gcMs, at: performance.now() });
    } else if (m.type === 'heapSnapshot' || m.type === 'cpuProfile') {
      void answerProfiling(m).then(send);
    } else if (m.type === 'stop') {
      const done = () => process.exit(0);
      // Streams still open would keep close() waiting; the bench only needs the process gone.
      setTimeout(done, 2000).unref();
      void (server?.close() ?? Promise.resolve()).then(done, done);
    }
  });
  start().then(
    (s) => {
      server = s;
      send({ type: 'ready', port: s.port, firehosePath: s.firehosePath, ...(s.tickPath ? { tickPath: s.tickPath } : {}) });
    },
    (err: unknown) => {
      send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
      setTimeout(() => process.exit(1), 100);
    },
  );
}

/** Resolves true once `res` can take more, false if it closed first. */
export function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => {
      res.off('close', onClose);
      resolve(true);
    };
    const onClose = () => {
      res.off('drain', onDrain);
      resolve(false);
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/**
 * Listens on a loopback port the OS picks, as the hand-written baselines serve: a backlog big
 * enough for fan-out (the default 511 drops some of thousands of connections opened at once),
 * and no keep-alive between streams.
 */
export async function listenForBench(server: Server): Promise<BenchServer> {
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  server.keepAliveTimeout = 0;
  return {
    port: (server.address() as AddressInfo).port,
    firehosePath: '/firehose',
    tickPath: '/tick',
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
