// Types of the client builder (PROTOCOL.md §5).

import type { EventMap, StreamEvent, UntypedEvents } from '../protocol/index.js';

/**
 * One event off the stream, the terminal one (`complete`/`error`) included: protocol's
 * StreamEvent (type, id, data), under the name the client has always given it.
 */
export type ClientEvent = StreamEvent;

/**
 * Hears every non-terminal event: `(data, eventType, id)`. For an action that declares its
 * events, `data` is typed by `eventType` (test the type, and TypeScript narrows the data).
 */
export type ProgressCallback<Events extends EventMap = UntypedEvents> = (...event: ProgressArgs<Events, 3>) => void;

/**
 * The arguments of a progress callback that takes `Arity` of them: one tuple per declared event
 * type, so that testing `eventType` narrows `data`. (Each arity is its own overload of
 * `withOnProgress`: TypeScript matches a callback with fewer parameters than a tuple union has
 * elements against none of them.)
 */
export type ProgressArgs<Events extends EventMap, Arity extends 1 | 2 | 3> = string extends keyof Events
  ? Take<[data: unknown, eventType: string, id: string], Arity>
  : { [Type in keyof Events & string]: Take<[data: Events[Type], eventType: Type, id: string], Arity> }[keyof Events & string];

type Take<Args extends [unknown, string, string], Arity extends 1 | 2 | 3> = Arity extends 3
  ? Args
  : Arity extends 2
    ? [data: Args[0], eventType: Args[1]]
    : [data: Args[0]];

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

/**
 * A call being built. `Result` is what `call()` resolves with: the stream's result, or `Plain`
 * (what the action's `call` answers) once `withStream(false)` asks for the plain answer.
 * `Events` types `withOnProgress` for an action that declares its events.
 */
export interface ActionCall<Result = unknown, Events extends EventMap = UntypedEvents, Plain = Result> {
  /** Every non-terminal event: `(data, eventType, id)`. */
  withOnProgress(callback: ProgressCallback<Events>): ActionCall<Result, Events, Plain>;
  withOnProgress(callback: (...event: ProgressArgs<Events, 2>) => void): ActionCall<Result, Events, Plain>;
  withOnProgress(callback: (...event: ProgressArgs<Events, 1>) => void): ActionCall<Result, Events, Plain>;
  /** Every event, the terminal one included, with its id. */
  withOnEvent(callback: EventCallback): ActionCall<Result, Events, Plain>;
  /** The run id, as soon as the server's `Pkt-Run-Id` header arrives. */
  withOnRunId(callback: (runId: string) => void): ActionCall<Result, Events, Plain>;
  /** Aborting closes the stream; the server cancels the run (unless detached). */
  withSignal(signal: AbortSignal): ActionCall<Result, Events, Plain>;
  /** A limit on the whole call; past it, `call()` rejects with code TIMEOUT. */
  withTimeout(ms: number): ActionCall<Result, Events, Plain>;
  /**
   * Re-attach to the run by id and Last-Event-ID when the stream drops; never re-POSTs. On by
   * default (5 attempts in a row, backoff with jitter); `false` turns it off.
   */
  withRetryStream(options: RetryStreamOptions | boolean): ActionCall<Result, Events, Plain>;
  /**
   * Hears when the stream is lost and re-attached ('reconnecting', then 'connected'), so a
   * view can say "reconnecting…". Also 'connected' when the first stream opens.
   */
  withOnConnection(callback: ConnectionCallback): ActionCall<Result, Events, Plain>;
  withHeaders(headers: Record<string, string>): ActionCall<Result, Events, Plain>;
  /**
   * Reads the stream no faster than the caller can take its events: `whenReady` is awaited
   * before each chunk is read off the network (e.g. until stdout drains). While it waits, the
   * server's `send` waits too, so neither side buffers without end. A throw fails the call.
   */
  withBackpressure(whenReady: () => Promise<void> | void): ActionCall<Result, Events, Plain>;
  /** `false`: ask for the plain JSON answer (what the action's `call` returns). */
  withStream(stream: false): ActionCall<Plain, Events, Plain>;
  withStream(stream: true): ActionCall<Result, Events, Plain>;
  withStream(stream: boolean): ActionCall<Result | Plain, Events, Plain>;
  /** Keep the run going on the server when this client leaves (`Pkt-Detach: 1`). */
  withDetach(detach?: boolean): ActionCall<Result, Events, Plain>;
  /** Resolves with the `complete` payload, or the JSON body; rejects with an ActionError. */
  call(): Promise<Result>;
}
