// What every route of the handler shares: where actions execute, where runs are kept, the
// limits and the options.

import type { Limits } from '../../protocol/index.js';
import type { ActionHost } from '../host.js';
import type { Linger } from '../runs/linger.js';
import type { RunStore } from '../runs/store.js';
import type { SseConnection } from '../sse-connection.js';
import type { StallMonitor } from '../stall-monitor.js';

export interface HandlerContext {
  /** Where actions execute: their manifest, starting runs, plain calls. */
  host: ActionHost;
  /** Every run, wherever it executes: what the routes for existing runs use, and nothing else. */
  store: RunStore;
  linger: Linger;
  basePath: string;
  limits: Limits;
  dev: boolean;
  token?: string;
  cors: string[];
  /** Listening on loopback only: requests must name a loopback host (DNS rebinding guard). */
  loopbackOnly: boolean;
  log: (line: string) => void;
  /** Open event-stream connections, for the concurrency limit. */
  streams: Set<SseConnection>;
  /** Drops stream clients that stop taking bytes (limits.stalledClientMs). */
  stalls: StallMonitor;
  /** Plain calls in flight, so shutdown can answer them. */
  calls: Set<AbortController>;
}
