// A worker's writes to one run: events are queued and sent in batches, one script call at a
// time per run, so a firehose costs a round trip per batch and not per event, and events land
// in seq order. The action's `send` waits when the unsent events pile up (Redis slower than
// the action), which bounds the worker's memory, and while the run's slowest follower, on any
// front end, lags more than FOLLOWER_LAG_EVENTS behind (as with the memory store: a slow client
// slows the action, rather than losing the events it has not read yet).
//
// Every batch says which seq it follows. A batch that Redis applied but whose answer was lost
// (a connection cut, then ioredis sends it again) is recognised and not applied twice: exactly
// once holds across a reconnect too.

import { endedState, isTerminalEvent, type ErrorBody, type StreamEvent } from '../../protocol/index.js';
import { script, type Redis } from './connection.js';
import type { StoreSettings } from './settings.js';

const MAX_UNSENT_EVENTS = 1024;
const MAX_UNSENT_BYTES = 1024 * 1024;
const MAX_BATCH = 1024;
/** How far the slowest follower may lag before the action's `send` waits for it. */
export const FOLLOWER_LAG_EVENTS = 2048;
/** How often a held writer asks whether the slowest follower has caught up. */
const LAG_POLL_MS = 10;

/** Why a run is no longer this worker's to write: what its `stream.signal` aborts with. */
export type Fenced = (reason: ErrorBody) => void;

interface Queued {
  type: string;
  json: string;
  endState: string;
}

export class RunWriter {
  readonly #redis: Redis;
  readonly #settings: StoreSettings;
  readonly #runId: string;
  readonly #attempt: number;
  readonly #onFenced: Fenced;
  /** The seq of the last event Redis has (as far as this writer knows). */
  #lastSeq: number;
  #queue: Queued[] = [];
  #queuedBytes = 0;
  #percent = '';
  #sending: Promise<void> | undefined;
  #fenced = false;
  /** The slowest follower lags too far: sends wait until it catches up. */
  #held = false;
  /**
   * Lag, unsent events and a batch each stay within a quarter of the run's kept events, so
   * the events a lagging follower has not read are never trimmed away.
   */
  readonly #maxLag: number;
  readonly #maxBatch: number;
  readonly #maxUnsent: number;
  #waiters: (() => void)[] = [];
  #idle: (() => void)[] = [];

  constructor(redis: Redis, settings: StoreSettings, run: { runId: string; attempt: number; lastSeq: number }, onFenced: Fenced) {
    this.#redis = redis;
    this.#settings = settings;
    this.#runId = run.runId;
    this.#attempt = run.attempt;
    this.#lastSeq = run.lastSeq;
    this.#onFenced = onFenced;
    const quarter = Math.max(1, Math.floor(settings.maxEvents / 4));
    this.#maxLag = Math.min(FOLLOWER_LAG_EVENTS, quarter);
    this.#maxBatch = Math.min(MAX_BATCH, quarter);
    this.#maxUnsent = Math.min(MAX_UNSENT_EVENTS, quarter);
  }

  get fenced(): boolean {
    return this.#fenced;
  }

  /** Queues the event; a promise when the sender should wait (too much unsent, or the run's end). */
  append(event: StreamEvent, percent: number | undefined): Promise<void> | undefined {
    if (this.#fenced) return undefined;
    let endState = '';
    if (isTerminalEvent(event.type)) {
      const code = event.type === 'error' ? (event.data as { code?: unknown } | null)?.code : undefined;
      endState = endedState(event.type, typeof code === 'string' ? code : undefined);
    }
    this.#queue.push({ type: event.type, json: event.json, endState });
    this.#queuedBytes += event.json.length;
    if (percent !== undefined) this.#percent = String(percent);
    if (!this.#sending) this.#sending = this.#sendSoon();
    if (endState !== '') return this.drained();
    if (!this.#mustWait()) return undefined;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #mustWait(): boolean {
    return this.#held || this.#queue.length >= this.#maxUnsent || this.#queuedBytes >= MAX_UNSENT_BYTES;
  }

  /** Settles once every queued event is written (or the run was taken from this worker). */
  drained(): Promise<void> {
    if (!this.#sending && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  // Waits a turn of the event loop first, so that what the action sends in one turn goes in one batch.
  async #sendSoon(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.#queue.length > 0 && !this.#fenced) await this.#sendBatch();
    } finally {
      this.#sending = undefined;
      if (this.#fenced) this.#queue = [];
      if (!this.#mustWait() || this.#fenced) this.#release(this.#waiters.splice(0));
      this.#release(this.#idle.splice(0));
    }
  }

  async #sendBatch(): Promise<void> {
    const batch = this.#queue.splice(0, this.#maxBatch);
    this.#queuedBytes = this.#queue.reduce((n, q) => n + q.json.length, 0);
    if (!this.#mustWait()) this.#release(this.#waiters.splice(0));
    const s = this.#settings;
    const args: (string | number)[] = [
      s.prefix, this.#runId, Date.now(), s.maxEvents, s.maxBytes, s.historyBytes, s.retentionMs,
      this.#attempt, this.#percent, batch.length, this.#lastSeq,
    ];
    for (const q of batch) args.push(q.type, q.json, q.endState);
    let answer: [string, string | number, number?];
    try {
      answer = await script<[string, string | number, number?]>(this.#redis, 'pktAppend', args);
    } catch (err) {
      return this.#fence({ status: 503, code: 'STORE_LOST', message: `the run store failed to keep the run's events (${(err as Error).message})` });
    }
    if (answer[0] === 'ok') {
      this.#lastSeq = Number(answer[1]);
      if (!this.#held && this.#lagging(this.#lastSeq, Number(answer[2] ?? -1))) {
        this.#held = true;
        void this.#waitForFollowers();
      }
      return;
    }
    this.#fence(fencedReason(String(answer[1])));
  }

  /** While held: asks Redis where the slowest follower is until it has caught up (or left). */
  async #waitForFollowers(): Promise<void> {
    while (this.#held && !this.#fenced) {
      await new Promise((resolve) => setTimeout(resolve, LAG_POLL_MS));
      try {
        const [last, slowest] = await script<[number, number]>(this.#redis, 'pktLag', [this.#settings.prefix, this.#runId]);
        if (!this.#lagging(Number(last), Number(slowest))) this.#held = false;
      } catch {
        // Redis is away: the writes wait for it anyway.
      }
    }
    this.#held = false;
    if (!this.#mustWait() || this.#fenced) this.#release(this.#waiters.splice(0));
  }

  #lagging(lastSeq: number, slowest: number): boolean {
    return slowest >= 0 && lastSeq - slowest > this.#maxLag;
  }

  #fence(reason: ErrorBody): void {
    if (this.#fenced) return;
    this.#fenced = true;
    this.#onFenced(reason);
  }

  #release(list: (() => void)[]): void {
    for (const resolve of list) resolve();
  }
}

/** What a worker's action learns when the store refuses its events. */
function fencedReason(why: string): ErrorBody {
  switch (why) {
    case 'attempt':
      return { status: 409, code: 'WORKER_LOST', message: 'the run was taken for lost and started again on another worker' };
    case 'seq':
      return { status: 409, code: 'WORKER_LOST', message: 'another worker has written to this run' };
    case 'gone':
      return { status: 503, code: 'STORE_LOST', message: 'the run store no longer has this run (Redis restarted without its data, or the run expired)' };
    default:
      return { status: 409, code: 'CANCELLED', message: `the run has ended (${why})` };
  }
}
