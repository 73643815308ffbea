// Workers for more than one process (docs/SCALING.md), reachable from `pkt/server` without
// loading BullMQ or a Redis client until one is started.

import type { PktWorker, WorkerOptions } from './redis/worker.js';

export type { PktWorker, WorkerOptions };

/** Starts a worker: it executes actions taken from the Redis queue that front ends fill. */
export async function startWorker(options: WorkerOptions): Promise<PktWorker> {
  const { startWorker: start } = await import('./redis/worker.js');
  return start(options);
}
