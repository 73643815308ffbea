// Where runs live (PROTOCOL.md §4, §4a): their records, their events, who follows them, and
// how a cancel reaches them. The HTTP routes use only this interface, never a Run held in this
// process, so that a store shared by several processes (Redis) can stand in for the memory
// one. The process that executes a run creates it, appends its events and listens for its
// cancel; any process lists runs, subscribes to them and cancels them.
//
// Every method may answer at once or with a promise: the memory store answers at once (which
// keeps a firehose cheap), a networked store cannot. Callers always await.

import type { ErrorBody, RunFilter, RunInfo, RunList, StreamEvent } from '../../protocol/index.js';

/** What the executing process knows when a run starts. */
export interface NewRun {
  runId: string;
  action: string;
  detached: boolean;
}

/** A run as the store keeps it: its record (PROTOCOL.md §4a), and who follows it. */
export interface RunRecord extends RunInfo {
  /** Open subscriptions to the run, in every process that shares the store. */
  followers: number;
  /** When the last follower left (epoch ms); undefined while one follows, or before anyone did. */
  idleSince?: number;
}

/** How a cancel went: the run's signal aborted, it had ended already, or there is no such run. */
export type CancelOutcome = 'cancelled' | 'ended' | 'unknown';

/**
 * Ends a run with `reason` as its `error` event, where it executes. True when it did; false
 * when the run had ended already (or its action completed it on seeing the abort).
 */
export type CancelHandler = (reason: ErrorBody) => boolean;

/**
 * A run's events, history then live, in batches (a firehose costs a promise per batch, not
 * per event). It ends after the batch that holds the terminal event, or when closed. It never
 * reads ahead of its consumer: the next batch is fetched only when asked for, so a slow
 * consumer holds nothing but its place. A consumer so slow that the events it has not read
 * were evicted gets an ActionError 404 UNKNOWN_RUN, which says so, instead of a gap.
 */
export interface RunSubscription extends AsyncIterable<readonly StreamEvent[]> {
  /** Stops following: the iteration ends, and the follower no longer counts. Idempotent. */
  close(): void;
  /**
   * Optional, for a store in this process: while the consumer waits for the next batch and has
   * read everything, each new event goes to `sink` as it is appended, with no batch, promise or
   * turn of the event loop in between. `sink` says whether it can take the next one at once;
   * when it cannot (a backpressured connection), the waiting read settles with an empty batch
   * and the consumer reads on through the iterator, at its own pace, as without a sink.
   */
  deliverTo?(sink: EventSink): void;
}

/** Takes one event; false when the next one must wait (the consumer is backpressured or gone). */
export type EventSink = (event: StreamEvent) => boolean;

/** Where a subscription starts: after a seq (exactly once, or 404), or at the oldest kept event. */
export type SubscribeFrom = number | 'oldest';

export interface RunStore {
  /**
   * True for a store whose runs only workers write (Redis: a run's events come from the worker
   * that took it off the queue). It serves a front end, with the host that queues the actions
   * (`connectFrontEnd` gives both), never a handler that executes actions of its own.
   */
  readonly executesOnWorkers?: boolean;

  // The executing process's side.

  /** Registers a new live run (the oldest ended runs may go to make room for it). */
  create(run: NewRun): void | Promise<void>;
  /**
   * Appends the run's next event; calls come in seq order, and a store applies them in that
   * order. A terminal event ends the run, in the state its type and code say. `percent` is the
   * progress the event reports, kept for the run's record. The promise, when there is one,
   * settles once the event may be followed by the next: a store may hold the sender back
   * while a follower is slow (the memory store does), or until the event is written.
   */
  append(runId: string, event: StreamEvent, percent?: number): void | Promise<void>;
  /** Hands the store how to cancel a run that executes here; returns a function that stops it. */
  onCancel(runId: string, handler: CancelHandler): () => void;

  // Any process's side.

  get(runId: string): RunRecord | undefined | Promise<RunRecord | undefined>;
  /** Newest first. */
  list(filter: RunFilter): RunList | Promise<RunList>;
  /**
   * Follows a run: what came after `from`, then live. Throws ActionError 404 UNKNOWN_RUN for an
   * unknown run, and for one that no longer has the events after `from`, saying why.
   */
  subscribe(runId: string, from: SubscribeFrom): RunSubscription | Promise<RunSubscription>;
  /** Cancels a run wherever it executes: in-process here, a message for a shared store. */
  cancel(runId: string, reason: ErrorBody): CancelOutcome | Promise<CancelOutcome>;
  /** Ends every subscription and forgets every run. */
  close(): void | Promise<void>;
}
