// Types of the client builder (PROTOCOL.md §5).

import type { StreamEvent } from '../protocol/index.js';

/**
 * One event off the stream, the terminal one (`complete`/`error`) included: protocol's
 * StreamEvent (type, id, data), under the name the client has always given it.
 */
export type ClientEvent = StreamEvent;

export type ProgressCallback = (data: unknown, eventType: string, id: string) => void;
export type EventCallback = (event: ClientEvent) => void;

/**
 * Re-attaching after a dropped stream (PROTOCOL.md §4): by run id and Last-Event-ID, never by
 * sending the input again. On by default.
 */
export interface RetryStreamOptions {
  /** Re-attach attempts in a row that may fail before the call gives up (default 5); a re-attach that brings an event starts the count again. */
  maxReconnects?: number;
  /** The wait before the first attempt, doubled for each next one, with jitter (default 250 ms). */
  baseDelayMs?: number;
  /** The longest wait between two attempts (default 4000 ms). */
  maxDelayMs?: number;
}

/** Whether the call's stream is open, or lost and being re-attached. */
export type ConnectionState = 'connected' | 'reconnecting';

export interface ConnectionInfo {
  /** For 'reconnecting', which attempt comes next (from 1); for 'connected', how many it took (0 for the first connection). */
  attempt: number;
  /** Attempts allowed in a row. */
  maxAttempts: number;
  /** For 'reconnecting': the wait before the attempt. */
  delayMs?: number;
  /** For 'reconnecting': why the stream was lost, when known. */
  reason?: string;
}

export type ConnectionCallback = (state: ConnectionState, info: ConnectionInfo) => void;

/** Everything a builder has collected by the time `call()` runs. */
export interface CallOptions {
  onProgress?: ProgressCallback;
  onEvent?: EventCallback;
  onRunId?: (runId: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** false: no re-attaching. */
  retry?: Required<RetryStreamOptions> | false;
  onConnection?: ConnectionCallback;
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
  /**
   * Re-attach to the run by id and Last-Event-ID when the stream drops; never re-POSTs. On by
   * default (5 attempts in a row, backoff with jitter); `false` turns it off.
   */
  withRetryStream(options: RetryStreamOptions | boolean): ActionCall<Result>;
  /**
   * Hears when the stream is lost and re-attached ('reconnecting', then 'connected'), so a
   * view can say "reconnecting…". Also 'connected' when the first stream opens.
   */
  withOnConnection(callback: ConnectionCallback): ActionCall<Result>;
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
