// What every route of the handler shares: the registry, the runs, the limits and the options.

import type { Limits } from '../../protocol/index.js';
import type { ActionRegistry } from '../registry.js';
import type { Linger } from '../runs/linger.js';
import type { Runs } from '../runs/runs.js';
import type { RunStore } from '../runs/store.js';
import type { SseConnection } from '../sse-connection.js';

export interface HandlerContext {
  registry: ActionRegistry;
  /** The runs this process executes (starting them, the concurrency count). */
  runs: Runs;
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
  /** Plain calls in flight, so shutdown can answer them. */
  calls: Set<AbortController>;
}
