// Types of the client builder (PROTOCOL.md §5).

import type { StreamEvent } from '../protocol/index.js';

/**
 * One event off the stream, the terminal one (`complete`/`error`) included: protocol's
 * StreamEvent (type, id, data), under the name the client has always given it.
 */
export type ClientEvent = StreamEvent;

export type ProgressCallback = (data: unknown, eventType: string, id: string) => void;
export type EventCallback = (event: ClientEvent) => void;

export interface RetryStreamOptions {
  /** How many times, in all, a call may re-attach to its run after losing the stream. */
  maxReconnects: number;
}

/** Everything a builder has collected by the time `call()` runs. */
export interface CallOptions {
  onProgress?: ProgressCallback;
  onEvent?: EventCallback;
  onRunId?: (runId: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
  retry?: RetryStreamOptions;
  headers?: Record<string, string>;
  /** Awaited before each chunk of the stream is read: how a slow consumer slows the stream. */
  backpressure?: () => Promise<void> | void;
  /** False: a plain JSON call, no events. */
  stream: boolean;
  /** The caller asked the run to go on when it leaves (`Pkt-Detach: 1`). */
  detach: boolean;
}

export interface ActionCall<Result = unknown> {
  /** Every non-terminal event: `(data, eventType, id)`. */
  withOnProgress(callback: ProgressCallback): ActionCall<Result>;
  /** Every event, the terminal one included, with its id. */
  withOnEvent(callback: EventCallback): ActionCall<Result>;
  /** The run id, as soon as the server's `Pkt-Run-Id` header arrives. */
  withOnRunId(callback: (runId: string) => void): ActionCall<Result>;
  /** Aborting closes the stream; the server cancels the run (unless detached). */
  withSignal(signal: AbortSignal): ActionCall<Result>;
  /** A limit on the whole call; past it, `call()` rejects with code TIMEOUT. */
  withTimeout(ms: number): ActionCall<Result>;
  /** Re-attach to the run by id and Last-Event-ID when the stream drops; never re-POSTs. */
  withRetryStream(options: RetryStreamOptions): ActionCall<Result>;
  withHeaders(headers: Record<string, string>): ActionCall<Result>;
  /**
   * Reads the stream no faster than the caller can take its events: `whenReady` is awaited
   * before each chunk is read off the network (e.g. until stdout drains). While it waits, the
   * server's `send` waits too, so neither side buffers without end. A throw fails the call.
   */
  withBackpressure(whenReady: () => Promise<void> | void): ActionCall<Result>;
  /** `false`: ask for the plain JSON answer (what the action's `call` returns). */
  withStream(stream: boolean): ActionCall<Result>;
  /** Keep the run going on the server when this client leaves (`Pkt-Detach: 1`). */
  withDetach(detach?: boolean): ActionCall<Result>;
  /** Resolves with the `complete` payload, or the JSON body; rejects with an ActionError. */
  call(): Promise<Result>;
}
