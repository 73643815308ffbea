// How long to wait before re-attaching: exponential backoff with jitter, so that a server
// that comes back after a restart is not met by every client at the same instant.

import type { RetryStreamOptions } from './types.js';

/** The wait before attempt `attempt` (from 1): base × 2^(attempt−1), capped, then between half and all of it. */
export function backoffDelay(attempt: number, options: Required<RetryStreamOptions>, random: () => number = Math.random): number {
  const full = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}
