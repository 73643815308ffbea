// One run in the memory store: its record, its kept events, its followers, and the pacing
// that makes the action's `send` wait for a slow follower instead of running away from it.
//
// A follower (MemorySubscription) is only a place in the run's event log: the log is the one
// buffer, shared by every follower. One that lags more than FOLLOWER_LAG_EVENTS events or
// FOLLOWER_LAG_BYTES bytes behind the latest event holds the sender back until it catches up,
// so a follower that stops reading stops the action, not the memory. A run nobody follows
// (detached) is never held back.

import { ActionError, endedState, isTerminalEvent, seqOf, type RunInfoState, type StreamEvent } from '../../protocol/index.js';
import { EventLog } from './event-log.js';
import type { CancelHandler, EventSink, NewRun, RunRecord, RunSubscription } from './store.js';

export const FOLLOWER_LAG_EVENTS = 256;
export const FOLLOWER_LAG_BYTES = 1024 * 1024;
/** Most events one batch of a subscription holds. */
const BATCH_EVENTS = 1024;

export class MemoryRun {
  readonly runId: string;
  readonly action: string;
  readonly detached: boolean;
  readonly startedAt: number;
  /** Creation order in the store, for paging the list. */
  readonly order: number;
  readonly log: EventLog;
  state: RunInfoState = 'live';
  endedAt: number | undefined;
  percent: number | undefined;
  idleSince: number | undefined;
  cancelHandler: CancelHandler | undefined;
  readonly #followers = new Set<MemorySubscription>();
  readonly #now: () => number;
  #held: { promise: Promise<void>; release: () => void } | undefined;
  #wakeScheduled = false;

  constructor(run: NewRun, options: { order: number; maxEvents: number; now: () => number }) {
    this.runId = run.runId;
    this.action = run.action;
    this.detached = run.detached;
    this.order = options.order;
    this.#now = options.now;
    this.startedAt = options.now();
    this.log = new EventLog(options.maxEvents);
  }

  get ended(): boolean {
    return this.state !== 'live';
  }

  get followers(): number {
    return this.#followers.size;
  }

  record(): RunRecord {
    const record: RunRecord = {
      runId: this.runId,
      action: this.action,
      state: this.state,
      startedAt: new Date(this.startedAt).toISOString(),
      lastSeq: this.log.lastSeq,
      detached: this.detached,
      followers: this.#followers.size,
    };
    if (this.endedAt !== undefined) record.endedAt = new Date(this.endedAt).toISOString();
    if (this.percent !== undefined) record.percent = this.percent;
    if (this.idleSince !== undefined) record.idleSince = this.idleSince;
    return record;
  }

  /** After the event went into the log: the run's state, and its followers told. */
  appended(event: StreamEvent, percent: number | undefined): Promise<void> | undefined {
    if (percent !== undefined) this.percent = percent;
    if (isTerminalEvent(event.type)) {
      const code = event.type === 'error' ? (event.data as { code?: unknown } | null)?.code : undefined;
      this.state = endedState(event.type, typeof code === 'string' ? code : undefined);
      this.endedAt = this.#now();
      this.cancelHandler = undefined;
      this.#release();
    }
    if (this.#followers.size === 0) return undefined;
    // Followers waiting with a sink take the event now; the others are woken at the end of the turn.
    let untold = false;
    for (const follower of this.#followers) if (!follower.offer(event)) untold = true;
    if (untold) this.#scheduleWake();
    if (this.ended || !this.#lagging()) return undefined;
    this.#held ??= holdOpen();
    return this.#held.promise;
  }

  subscribe(from: number): RunSubscription {
    const subscription = new MemorySubscription(this, from);
    this.#followers.add(subscription);
    this.idleSince = undefined;
    return subscription;
  }

  /** A follower left. */
  unfollow(subscription: MemorySubscription): void {
    if (!this.#followers.delete(subscription)) return;
    if (this.#followers.size === 0) this.idleSince = this.#now();
    this.pulled();
  }

  /** A follower took events (or left): the sender may go on once nobody lags too far. */
  pulled(): void {
    if (this.#held && !this.#lagging()) this.#release();
  }

  /** Ends every subscription (the store is closing). */
  closeAll(): void {
    for (const subscription of [...this.#followers]) subscription.close();
    this.#release();
  }

  #lagging(): boolean {
    const last = this.log.lastSeq;
    const first = this.log.firstSeq;
    for (const follower of this.#followers) {
      const next = follower.next;
      // One that fell behind the kept events is done for; it learns so at its next read.
      if (next < first || next > last) continue;
      if (last - next + 1 > FOLLOWER_LAG_EVENTS || this.log.bytesFrom(next) > FOLLOWER_LAG_BYTES) return true;
    }
    return false;
  }

  #release(): void {
    const held = this.#held;
    this.#held = undefined;
    held?.release();
  }

  // Followers waiting for events are woken once per turn of the event loop, with everything
  // the turn brought: a firehose reaches them in batches, a lone event at the end of its turn.
  #scheduleWake(): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    setImmediate(() => {
      this.#wakeScheduled = false;
      for (const follower of this.#followers) follower.wake();
    });
  }
}

function holdOpen(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

type Result = IteratorResult<readonly StreamEvent[], undefined>;
const DONE: Result = { done: true, value: undefined };
const NOTHING_YET: Result = { done: false, value: [] };

/** A follower of a memory-store run: its place in the run's log, and nothing else. */
export class MemorySubscription implements RunSubscription {
  readonly #run: MemoryRun;
  /** The seq of the next event to hand over. */
  next: number;
  #closed = false;
  #waiting: { resolve: (r: Result) => void; reject: (e: unknown) => void } | undefined;
  #sink: EventSink | undefined;

  constructor(run: MemoryRun, from: number) {
    this.#run = run;
    this.next = from;
  }

  [Symbol.asyncIterator](): AsyncIterator<readonly StreamEvent[], undefined> {
    return {
      next: () => this.#read(),
      return: () => {
        this.close();
        return Promise.resolve(DONE);
      },
    };
  }

  deliverTo(sink: EventSink): void {
    this.#sink = sink;
  }

  /**
   * The event the run just appended, handed straight to the sink when this follower waits
   * with everything read (its next event is this one, and it is kept). True when it went, or
   * needs no wake; false when this follower must be woken to read it.
   */
  offer(event: StreamEvent): boolean {
    const waiting = this.#waiting;
    const sink = this.#sink;
    if (!waiting || !sink || this.#closed) return false;
    const log = this.#run.log;
    // Not kept (larger than the history budget holds): the read learns why, not the sink.
    if (this.next !== log.lastSeq || this.next < log.firstSeq) return false;
    this.next++;
    let more: boolean;
    try {
      more = sink(event);
    } catch (err) {
      this.#waiting = undefined;
      waiting.reject(err);
      return true;
    }
    if (this.#run.ended) {
      // The terminal event went: the iteration ends.
      this.#waiting = undefined;
      this.close();
      waiting.resolve(DONE);
    } else if (!more) {
      // The consumer reads on through the iterator once it can.
      this.#waiting = undefined;
      waiting.resolve(NOTHING_YET);
    }
    return true;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#run.unfollow(this);
    this.wake();
  }

  /** New events, an end, or a close: a waiting read gets its answer. */
  wake(): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    this.#waiting = undefined;
    try {
      const result = this.#take();
      if (result) waiting.resolve(result);
      else this.#waiting = waiting;
    } catch (err) {
      waiting.reject(err);
    }
  }

  #read(): Promise<Result> {
    try {
      const result = this.#take();
      if (result) return Promise.resolve(result);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  /** The next batch, the end, or undefined when there is nothing yet. */
  #take(): Result | undefined {
    if (this.#closed) return DONE;
    const log = this.#run.log;
    if (this.next < log.firstSeq) {
      this.close();
      throw new ActionError(
        404,
        'UNKNOWN_RUN',
        `run ${this.#run.runId} no longer has the events after ${this.next - 1}: they were dropped to keep the server within its history budget while this client was behind`,
      );
    }
    const events = log.read(this.next, BATCH_EVENTS);
    if (events.length > 0) {
      this.next = seqOf(events.at(-1)!) + 1;
      this.#run.pulled();
      return { done: false, value: events };
    }
    // Everything is read: an ended run has nothing more to come.
    if (this.#run.ended && this.next > log.lastSeq) {
      this.close();
      return DONE;
    }
    return undefined;
  }
}
