// A follower of a run in Redis: its place in the run's Stream (the seq of the next event it
// wants), nothing more. Each batch is asked for only when its consumer asks, so a slow client
// holds no events here; one that falls so far behind that the Stream was trimmed past its place
// gets 404 UNKNOWN_RUN, which says so (PROTOCOL.md §8), never a gap.

import { ActionError, isTerminalEvent, seqOf, StreamEvent, type ErrorBody } from '../../protocol/index.js';
import type { RunSubscription } from '../runs/store.js';
import type { Redis } from './connection.js';
import { toEvent, type Feed } from './feeds.js';

const BATCH_EVENTS = 1024;

type Result = IteratorResult<readonly StreamEvent[], undefined>;
const DONE: Result = { done: true, value: undefined };

export class RedisSubscription implements RunSubscription {
  readonly #redis: Redis;
  readonly #feed: Feed;
  readonly #onClose: () => void;
  readonly #onMoved: () => void;
  #next: number;
  #closed = false;
  /** The terminal event has been handed over. */
  #finished = false;

  constructor(redis: Redis, feed: Feed, next: number, on: { close: () => void; moved: () => void }) {
    this.#redis = redis;
    this.#feed = feed;
    this.#next = next;
    this.#onClose = on.close;
    this.#onMoved = on.moved;
  }

  /** The seq of the last event handed to the consumer. */
  get handed(): number {
    return this.#next - 1;
  }

  [Symbol.asyncIterator](): AsyncIterator<readonly StreamEvent[], undefined> {
    return {
      next: () => this.#take(),
      return: () => {
        this.close();
        return Promise.resolve(DONE);
      },
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose();
  }

  async #take(): Promise<Result> {
    const feed = this.#feed;
    for (;;) {
      if (this.#closed) return DONE;
      if (this.#finished || (feed.ended && this.#next > feed.last)) {
        this.close();
        return DONE;
      }
      if (feed.lost) {
        this.#finished = true;
        return { done: false, value: [lostEvent(feed.lost, this.#next)] };
      }
      let events = feed.read(this.#next, BATCH_EVENTS);
      // Behind the feed's tail: read the Stream itself, from this follower's place.
      if (events.length === 0 && this.#next <= feed.last) events = await this.#range();
      if (events.length === 0) {
        await feed.wait(this.#next);
        continue;
      }
      const last = events.at(-1)!;
      this.#next = seqOf(last) + 1;
      this.#onMoved();
      if (isTerminalEvent(last.type)) this.#finished = true;
      return { done: false, value: events };
    }
  }

  async #range(): Promise<StreamEvent[]> {
    let entries: [string, string[]][];
    try {
      entries = (await this.#redis.xrange(this.#feed.key, `${this.#next}-0`, '+', 'COUNT', BATCH_EVENTS)) as [string, string[]][];
    } catch (err) {
      this.close();
      throw new ActionError(503, 'STORE_LOST', `the run store could not be read: ${(err as Error).message}`);
    }
    const events = entries.map(toEvent);
    if (events.length === 0 || seqOf(events[0]!) !== this.#next) {
      this.close();
      throw new ActionError(
        404,
        'UNKNOWN_RUN',
        `run ${this.#feed.runId} no longer has the events after ${this.#next - 1}: they were dropped to keep within the history limits while this client was behind`,
      );
    }
    this.#feed.absorb(events);
    return events;
  }
}

/** The error a follower ends with when the store lost its run: never a silent cut. */
function lostEvent(reason: ErrorBody, seq: number): StreamEvent {
  return new StreamEvent('error', String(seq), JSON.stringify(reason));
}
