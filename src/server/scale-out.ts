// Workers for more than one process (docs/SCALING.md), reachable from `pkt/server` without
// loading BullMQ or a Redis client until one is started.

import type { FrontOptions } from './redis/front.js';
import type { ActionHost } from './host.js';
import type { RunStore } from './runs/store.js';
import type { PktWorker, WorkerOptions } from './redis/worker.js';

export type { FrontOptions, PktWorker, WorkerOptions };

/** Starts a worker: it executes actions taken from the Redis queue that front ends fill. */
export async function startWorker(options: WorkerOptions): Promise<PktWorker> {
  const { startWorker: start } = await import('./redis/worker.js');
  return start(options);
}

/**
 * A front end's two halves on Redis: the run store every process shares, and the host that
 * queues actions for workers. What `startServer({ redis })` uses; a handler mounted elsewhere
 * takes the same pair.
 */
export async function connectFrontEnd(options: FrontOptions): Promise<{ store: RunStore; host: ActionHost }> {
  const { connectFront } = await import('./redis/front.js');
  return connectFront(options);
}
