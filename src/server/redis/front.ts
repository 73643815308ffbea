// A front end's side of Redis: the run store every process shares, and the queue host that
// hands actions to workers. `startServer({ redis })` imports this module only when asked, so a
// server without Redis loads no Redis client.

import { Queue } from 'bullmq';
import type { Limits } from '../../protocol/index.js';
import { connect, connectionOptions, type Redis } from './connection.js';
import { WorkerDirectory } from './presence.js';
import { queueName, type JobData } from './queue.js';
import { QueueHost } from './queue-host.js';
import { RedisRunStore } from './redis-store.js';
import { DEFAULT_PREFIX, storeSettings } from './settings.js';

export interface FrontOptions {
  /** `redis://host:port` (or `rediss://`, with a user and password if needed). */
  url: string;
  /** Key prefix shared with the workers (default `pkt:`). */
  prefix?: string;
  /** The history budget's limits: give the workers and every front end the same (default PROTOCOL.md §6's). */
  limits?: Partial<Limits>;
  /** A job no worker takes within this time is withdrawn (429 or 503); default 10 s. */
  queueTimeoutMs?: number;
}

export const DEFAULT_QUEUE_TIMEOUT_MS = 10_000;

export async function connectFront(options: FrontOptions): Promise<{ store: RedisRunStore; host: QueueHost }> {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const redis = await connect(options.url, 'pkt-front');
  const store = new RedisRunStore({ redis }, storeSettings(options.limits ?? {}, prefix));
  const subscriber = redis.duplicate({ connectionName: 'pkt-front-replies' });
  subscriber.on('error', () => {});
  const { Redis: Client } = await import('ioredis');
  const queueConnection: Redis = new Client(options.url, { ...connectionOptions('pkt-front-queue'), lazyConnect: false, scripts: {} });
  queueConnection.on('error', () => {});
  const queue = new Queue<JobData>(queueName, { connection: queueConnection, prefix: prefix.replace(/:$/, '') });
  queue.on('error', () => {});
  const directory = new WorkerDirectory(redis, prefix);
  const host = new QueueHost(store, queue, directory, subscriber, [subscriber, queueConnection], {
    queueTimeoutMs: options.queueTimeoutMs ?? DEFAULT_QUEUE_TIMEOUT_MS,
  });
  return { store, host };
}
