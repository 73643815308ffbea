// A worker's writes to one run: events are queued and sent in batches, one script call at a
// time per run, so a firehose costs a round trip per batch and not per event, and events land
// in seq order. The action's `send` waits only when the unsent events pile up (Redis slower than
// the action), which bounds the worker's memory.
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
  #waiters: (() => void)[] = [];
  #idle: (() => void)[] = [];

  constructor(redis: Redis, settings: StoreSettings, run: { runId: string; attempt: number; lastSeq: number }, onFenced: Fenced) {
    this.#redis = redis;
    this.#settings = settings;
    this.#runId = run.runId;
    this.#attempt = run.attempt;
    this.#lastSeq = run.lastSeq;
    this.#onFenced = onFenced;
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
    if (this.#queue.length < MAX_UNSENT_EVENTS && this.#queuedBytes < MAX_UNSENT_BYTES) return undefined;
    return new Promise((resolve) => this.#waiters.push(resolve));
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
      this.#release(this.#waiters.splice(0));
      this.#release(this.#idle.splice(0));
    }
  }

  async #sendBatch(): Promise<void> {
    const batch = this.#queue.splice(0, MAX_BATCH);
    this.#queuedBytes = this.#queue.reduce((n, q) => n + q.json.length, 0);
    if (this.#queue.length < MAX_UNSENT_EVENTS && this.#queuedBytes < MAX_UNSENT_BYTES) this.#release(this.#waiters.splice(0));
    const s = this.#settings;
    const args: (string | number)[] = [
      s.prefix, this.#runId, Date.now(), s.maxEvents, s.maxBytes, s.historyBytes, s.retentionMs,
      this.#attempt, this.#percent, batch.length, this.#lastSeq,
    ];
    for (const q of batch) args.push(q.type, q.json, q.endState);
    let answer: [string, string | number];
    try {
      answer = await script<[string, string | number]>(this.#redis, 'pktAppend', args);
    } catch (err) {
      return this.#fence({ status: 503, code: 'STORE_LOST', message: `the run store failed to keep the run's events (${(err as Error).message})` });
    }
    if (answer[0] === 'ok') {
      this.#lastSeq = Number(answer[1]);
      return;
    }
    this.#fence(fencedReason(String(answer[1])));
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
