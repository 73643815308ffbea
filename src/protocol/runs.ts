// Runs as resources (PROTOCOL.md §4a): the record `GET {base}/runs` lists, the answer of a
// cancel, and how a run's terminal event names the state it ended in. Shared by the server,
// which keeps runs, and by every client that lists, watches or cancels them.

import { normalizeBasePath } from './http.js';

/** Where a run is: still running, or how it ended. */
export const RUN_STATES = ['live', 'completed', 'failed', 'cancelled'] as const;
export type RunInfoState = (typeof RUN_STATES)[number];

/** One run, as `GET {base}/runs` lists it and `GET {base}/runs/{runId}` (JSON) answers. */
export interface RunInfo {
  runId: string;
  /** The action's name, as the server's registry spells it. */
  action: string;
  state: RunInfoState;
  /** ISO 8601 (UTC), as `Date#toISOString` writes it. */
  startedAt: string;
  /** ISO 8601 (UTC); only once the run has ended. */
  endedAt?: string;
  /** The seq of the latest event (0 before the first): what `Last-Event-ID` resumes after. */
  lastSeq: number;
  /** The starting client asked the run to outlive its connection (`Pkt-Detach: 1`). */
  detached: boolean;
  /** The last progress percent its events carried (0–100), when they carry one. */
  percent?: number;
}

/** The query of `GET {base}/runs`. */
export interface RunFilter {
  state?: RunInfoState;
  /** At most this many runs (1–1000; the server's default is 100). */
  limit?: number;
  /** From a previous page's `cursor`: the runs after it. */
  cursor?: string;
}

/** The answer of `GET {base}/runs`: newest first; `cursor` when more runs follow. */
export interface RunList {
  runs: RunInfo[];
  cursor?: string;
}

/** The answer of `DELETE {base}/runs/{runId}`. */
export interface CancelResult {
  runId: string;
  /** False when the run had already ended: then `message` says so. */
  cancelled: boolean;
  message?: string;
}

export const DEFAULT_RUNS_LIMIT = 100;
export const MAX_RUNS_LIMIT = 1000;

export function isRunInfoState(value: unknown): value is RunInfoState {
  return typeof value === 'string' && (RUN_STATES as readonly string[]).includes(value);
}

/** `{base}/runs`: the list of runs. */
export function runsPath(basePath: string): string {
  return `${normalizeBasePath(basePath)}/runs`;
}

/**
 * The state a terminal event ends a run in: `complete` is completed; an `error` whose code is
 * CANCELLED (a client, or nobody re-attaching in time) or SHUTDOWN (the server stopped it) is
 * cancelled, since the action did not fail; any other `error` is failed.
 */
export function endedState(type: 'complete' | 'error', code?: string): Exclude<RunInfoState, 'live'> {
  if (type === 'complete') return 'completed';
  return code === 'CANCELLED' || code === 'SHUTDOWN' ? 'cancelled' : 'failed';
}
