// Connections to Redis (ioredis, the client BullMQ uses too), with pkt's scripts defined on them.
// This module is imported only when a server or worker is given a Redis URL: without one, no
// Redis client is loaded at all.

import { Redis, type RedisOptions } from 'ioredis';
import { SCRIPTS, type ScriptName } from './lua.js';

export type { Redis };

/** How long start-up waits for Redis before saying it cannot reach it. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Options every connection shares. Commands wait through an outage (no retry limit) and are
 * sent again once Redis is back, as BullMQ's workers need; reconnects back off up to 1 s, so
 * a restarted Redis is found again quickly.
 */
export function connectionOptions(name: string): RedisOptions {
  return {
    connectionName: name,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    lazyConnect: true,
    // As an option, the scripts come with every duplicate() of the connection too.
    scripts: Object.fromEntries(Object.entries(SCRIPTS).map(([command, lua]) => [command, { lua, numberOfKeys: 0 }])),
  };
}

/** A connection with pkt's scripts; resolves once it is ready, or fails saying Redis is unreachable. */
export async function connect(url: string, name: string, extra: RedisOptions = {}): Promise<Redis> {
  const client = new Redis(url, { ...connectionOptions(name), ...extra });
  // An error event with no listener would end the process; reconnecting is ioredis's job. The
  // last one says best why a first connection failed (ECONNREFUSED, a bad password, ...).
  let lastError: Error | undefined;
  client.on('error', (err: Error) => (lastError = err));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer')), CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    client.disconnect();
    throw new RedisUnreachable(url, (lastError ?? (err as Error)).message);
  } finally {
    clearTimeout(timer);
  }
  return client;
}

export class RedisUnreachable extends Error {
  constructor(url: string, why: string) {
    super(`cannot reach Redis at ${redact(url)} (${why}); start redis-server, or check --redis / PKT_REDIS`);
    this.name = 'RedisUnreachable';
  }
}

/** Runs one of pkt's scripts. */
export function script<T = unknown>(client: Redis, name: ScriptName, args: (string | number)[]): Promise<T> {
  return (client as unknown as Record<ScriptName, (...a: (string | number)[]) => Promise<T>>)[name](...args);
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
