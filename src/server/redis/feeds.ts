// How a front end follows runs in Redis without a connection per follower: one blocking
// connection reads every run that some follower here is waiting on, with one XREAD over all
// their Streams. What it reads goes into the run's feed, a short tail of its latest events
// shared by every follower here; a follower that is behind the tail reads the Stream itself
// (XRANGE), one batch at a time, as fast as its client takes them.
//
// When the set of runs to read changes while the XREAD blocks, the reader is woken with CLIENT
// UNBLOCK and reads again with the new set.

import { isTerminalEvent, seqOf, StreamEvent, type ErrorBody } from '../../protocol/index.js';
import type { Redis } from './connection.js';

/** Events a feed keeps for the followers here that are a little behind. */
const TAIL_EVENTS = 1024;
/** Events one XREAD reads per run. */
const READ_COUNT = 1024;
/** An XREAD blocks at most this long, so nothing depends on CLIENT UNBLOCK alone. */
const BLOCK_MS = 5000;

type Entry = [id: string, fields: string[]];

export function toEvent([id, fields]: Entry): StreamEvent {
  // Fields are written as t, type, d, data.
  return new StreamEvent(fields[1]!, id.slice(0, id.indexOf('-')), fields[3]!);
}

/** One run as this front end follows it: its latest events, and the followers waiting for more. */
export class Feed {
  readonly runId: string;
  readonly key: string;
  /** The seq of the latest event read (0: none yet). */
  last = 0;
  /** The run's terminal event has been read. */
  ended = false;
  /** The store lost the run (Redis restarted without its data): followers end with this error. */
  lost: ErrorBody | undefined;
  refs = 0;
  #tail: StreamEvent[] = [];
  #waiters: (() => void)[] = [];
  readonly #onWait: () => void;

  constructor(runId: string, key: string, onWait: () => void) {
    this.runId = runId;
    this.key = key;
    this.#onWait = onWait;
  }

  get waiting(): boolean {
    return this.#waiters.length > 0 && !this.ended && this.lost === undefined;
  }

  /** Up to `max` events from seq `next` on, if the tail has them. */
  read(next: number, max: number): StreamEvent[] {
    const first = this.last - this.#tail.length + 1;
    if (next < first || next > this.last) return [];
    return this.#tail.slice(next - first, next - first + max);
  }

  /** Events read from Redis, by the reader or a follower: kept if they carry on from the tail. */
  absorb(events: readonly StreamEvent[]): void {
    let changed = false;
    for (const event of events) {
      const seq = seqOf(event);
      if (seq <= this.last) continue;
      // Not the next one: the feed had not been read for a while, and starts again from here.
      if (seq !== this.last + 1) this.#tail = [];
      this.#tail.push(event);
      this.last = seq;
      if (isTerminalEvent(event.type)) this.ended = true;
      changed = true;
    }
    if (this.#tail.length > TAIL_EVENTS) this.#tail = this.#tail.slice(-TAIL_EVENTS);
    if (changed) this.wake();
  }

  /** Waits for events after `next - 1` (the reader reads the run from there). */
  wait(next: number): Promise<void> {
    if (this.last < next - 1) {
      this.#tail = [];
      this.last = next - 1;
    }
    const waited = new Promise<void>((resolve) => this.#waiters.push(resolve));
    this.#onWait();
    return waited;
  }

  markLost(reason: ErrorBody): void {
    this.lost = reason;
    this.wake();
  }

  wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

export class Feeds {
  readonly #redis: Redis;
  readonly #reader: Redis;
  readonly #prefix: string;
  readonly #feeds = new Map<string, Feed>();
  #readerId: number | undefined;
  #blocked = false;
  #unblockScheduled = false;
  #changed: (() => void) | undefined;
  #closed = false;
  #loop: Promise<void>;

  constructor(redis: Redis, reader: Redis, prefix: string) {
    this.#redis = redis;
    this.#reader = reader;
    this.#prefix = prefix;
    // After a reconnect: the reader has a new id, and Redis may have restarted without its data.
    let first = true;
    reader.on('ready', () => {
      this.#readerId = undefined;
      if (!first) void this.#checkRunsExist();
      first = false;
    });
    this.#loop = this.#run();
  }

  /** The feed of a run, shared by its followers here; give it back with `release`. */
  acquire(runId: string): Feed {
    let feed = this.#feeds.get(runId);
    if (!feed) {
      feed = new Feed(runId, `${this.#prefix}run:${runId}:ev`, () => this.#wakeReader());
      this.#feeds.set(runId, feed);
    }
    feed.refs++;
    return feed;
  }

  release(feed: Feed): void {
    if (--feed.refs > 0) return;
    feed.wake();
    if (this.#feeds.get(feed.runId) === feed) this.#feeds.delete(feed.runId);
    this.#wakeReader();
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const feed of this.#feeds.values()) feed.wake();
    this.#wakeReader();
    this.#reader.disconnect();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      const feeds = [...this.#feeds.values()].filter((f) => f.waiting);
      if (feeds.length === 0) {
        await new Promise<void>((resolve) => (this.#changed = resolve));
        this.#changed = undefined;
        continue;
      }
      let reply: [string, Entry[]][] | null;
      try {
        this.#readerId ??= Number(await this.#reader.client('ID'));
        this.#blocked = true;
        reply = (await this.#reader.xread(
          'COUNT', READ_COUNT, 'BLOCK', BLOCK_MS,
          'STREAMS', ...feeds.map((f) => f.key), ...feeds.map((f) => `${f.last}-0`),
        )) as [string, Entry[]][] | null;
      } catch {
        // Redis is away (ioredis reconnects) or the reader is closing: try again in a moment.
        if (!this.#closed) await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      } finally {
        this.#blocked = false;
      }
      for (const [key, entries] of reply ?? []) {
        const feed = feeds.find((f) => f.key === key);
        feed?.absorb(entries.map(toEvent));
      }
    }
  }

  /** The set of runs to read changed: an idle reader starts, a blocked one reads again. */
  #wakeReader(): void {
    this.#changed?.();
    if (!this.#blocked || this.#unblockScheduled) return;
    this.#unblockScheduled = true;
    // Once per turn of the event loop, however many followers started waiting in it.
    setImmediate(() => {
      this.#unblockScheduled = false;
      if (this.#blocked && this.#readerId !== undefined) this.#redis.client('UNBLOCK', this.#readerId).catch(() => {});
    });
  }

  async #checkRunsExist(): Promise<void> {
    for (const feed of [...this.#feeds.values()]) {
      if (feed.ended || feed.lost) continue;
      try {
        const exists = await this.#redis.exists(`${this.#prefix}run:${feed.runId}`);
        if (exists === 0) {
          feed.markLost({
            status: 503,
            code: 'STORE_LOST',
            message: `the run store lost run ${feed.runId}: Redis restarted without its data (keep runs across restarts with appendonly yes)`,
          });
        }
      } catch {
        // Redis went away again: the next reconnect checks once more.
      }
    }
  }
}
