// Where a run's events are kept for clients that re-attach (PROTOCOL.md §4). An interface,
// so a Redis store can stand in for the memory one when several servers share runs. It keeps
// the events as the run made them: protocol's StreamEvent, its id the seq, its payload the
// JSON text that went out.

import type { StreamEvent } from '../../protocol/index.js';

export interface RunHistory {
  /** Events after the asked-for seq, in order. */
  events: StreamEvent[];
  /** True once the run has sent its terminal event. */
  ended: boolean;
  /** False when events after the asked-for seq have already been dropped (history too short). */
  complete: boolean;
}

export interface RunStore {
  append(runId: string, event: StreamEvent): void | Promise<void>;
  /** Marks the run ended; its history expires after the store's retention. */
  end(runId: string): void | Promise<void>;
  /** The history after `afterSeq`, or undefined when the store has no such run. */
  read(runId: string, afterSeq: number): RunHistory | undefined | Promise<RunHistory | undefined>;
  close(): void | Promise<void>;
}
