// What the Redis side of pkt is tuned by: the key prefix, the history budget (the same limits
// as the memory store's, PROTOCOL.md §4a and §6), and how fast a lost worker is noticed.

import { DEFAULT_LIMITS, type Limits } from '../../protocol/index.js';

export interface StoreSettings {
  /** Every key starts with it (default `pkt:`), so one Redis can hold several pkt clusters. */
  prefix: string;
  /** Events kept per run. */
  maxEvents: number;
  /** Bytes kept per run. */
  maxBytes: number;
  /** How long an ended run is kept, in ms. */
  retentionMs: number;
  /** Bytes kept over all runs. */
  historyBytes: number;
  /** Runs kept, live and ended. */
  historyRuns: number;
}

export const DEFAULT_PREFIX = 'pkt:';

/**
 * How long a worker may go silent before its runs are taken for lost (BullMQ's lock and stalled
 * check): a dead worker's run ends (WORKER_LOST) or restarts within about this time.
 */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

/** How often a worker or front end says it is alive, and how long that holds. */
export const PRESENCE_MS = 1000;
export const PRESENCE_TTL_MS = 5000;

export function storeSettings(limits: Partial<Limits>, prefix = DEFAULT_PREFIX): StoreSettings {
  const l = { ...DEFAULT_LIMITS, ...limits };
  return {
    prefix,
    maxEvents: l.runHistoryEvents,
    maxBytes: l.runHistoryBytes,
    retentionMs: l.runHistoryMs,
    historyBytes: l.historyBytes,
    historyRuns: l.historyRuns,
  };
}

/**
 * BullMQ's timings for a stall timeout T: the lock lasts 2T/3 and is checked every T/3, so a
 * job whose worker died is found within T (the lock runs out, then one more check).
 */
export function stallTimings(stallTimeoutMs: number): { lockDuration: number; stalledInterval: number } {
  const t = Math.max(300, stallTimeoutMs);
  return { lockDuration: Math.round((2 * t) / 3), stalledInterval: Math.round(t / 3) };
}
