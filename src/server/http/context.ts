// What every route of the handler shares: the registry, the runs, the limits and the options.

import type { Limits } from '../../protocol/index.js';
import type { ActionRegistry } from '../registry.js';
import type { Runs } from '../runs/runs.js';
import type { SseConnection } from '../sse-connection.js';

export interface HandlerContext {
  registry: ActionRegistry;
  runs: Runs;
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
