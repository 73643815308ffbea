// One run: the events of one stream, numbered from 1, fanned out to every connection that
// follows it, and kept in the store for connections that re-attach later (PROTOCOL.md §4).

import { ActionError, assertEventType, encodeEvent, isTerminalEvent, type ErrorBody } from '../../protocol/index.js';
import type { RunStore, StoredEvent } from './store.js';

/** An event on its way out, with its frame encoded once for every follower. */
export interface OutgoingEvent extends StoredEvent {
  frame: string;
}

/** A connection following a run (see sse-connection.ts). */
export interface RunFollower {
  deliver(event: OutgoingEvent): void;
  /** True while the connection holds more unsent bytes than it should. */
  readonly backpressured: boolean;
  /** Resolves once the connection can take more, or is gone. */
  whenWritable(): Promise<void>;
  /** Called after the terminal event: flush and close. */
  end(): void;
}

export function frameOf(event: StoredEvent): string {
  return encodeEvent({ id: event.seq, event: event.event, data: event.data });
}

export class Run {
  readonly id: string;
  /** The starting client asked the run to outlive its connection (`Pkt-Detach: 1`). */
  readonly detached: boolean;
  readonly #store: RunStore;
  readonly #controller = new AbortController();
  readonly #followers = new Set<RunFollower>();
  readonly #onEnd: () => void;
  #seq = 0;
  #ended = false;
  // Appends to an asynchronous store are chained so they land in seq order.
  #storeTail: Promise<void> | undefined;

  constructor(id: string, store: RunStore, options: { detached: boolean; onEnd: () => void }) {
    this.id = id;
    this.#store = store;
    this.detached = options.detached;
    this.#onEnd = options.onEnd;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get followerCount(): number {
    return this.#followers.size;
  }

  /** `stream.send`: one non-terminal event; waits while a follower is slow to read. */
  async send(type: string, payload: unknown): Promise<void> {
    if (this.#ended) throw this.#endedError();
    assertEventType(type);
    if (isTerminalEvent(type)) {
      throw new TypeError(`"${type}" ends a run: use stream.sendComplete(result), or throw to send an error.`);
    }
    this.#emit(type, payload);
    for (const follower of this.#followers) {
      if (follower.backpressured) await follower.whenWritable();
    }
    if (this.#ended) throw this.#endedError();
  }

  /** `stream.sendComplete`: the terminal `complete` event. */
  async complete(result: unknown): Promise<void> {
    if (this.#ended) throw this.#endedError();
    this.#finish('complete', result);
  }

  /** Ends the run with an `error` event; a no-op once it has ended. */
  fail(error: ErrorBody): void {
    if (!this.#ended) this.#finish('error', error);
  }

  /** Aborts the action's signal and ends the run with `error` (CANCELLED, SHUTDOWN, ...). */
  cancel(error: ActionError): void {
    if (this.#ended) return;
    this.#controller.abort(error);
    this.#finish('error', error.toJSON());
  }

  follow(follower: RunFollower): () => void {
    this.#followers.add(follower);
    return () => this.#followers.delete(follower);
  }

  #emit(type: string, payload: unknown): OutgoingEvent {
    const data = JSON.stringify(payload === undefined ? null : payload);
    const event = { seq: ++this.#seq, event: type, data, frame: '' };
    event.frame = frameOf(event);
    this.#append({ seq: event.seq, event: type, data });
    for (const follower of this.#followers) follower.deliver(event);
    return event;
  }

  #finish(type: 'complete' | 'error', payload: unknown): void {
    this.#ended = true;
    this.#emit(type, payload);
    const ended = () => this.#store.end(this.id);
    if (this.#storeTail) this.#storeTail = this.#storeTail.then(ended);
    else void ended();
    for (const follower of this.#followers) follower.end();
    this.#followers.clear();
    // The signal also tells the action's awaits that the run is over (e.g. completed early).
    if (!this.#controller.signal.aborted) this.#controller.abort(new ActionError(409, 'CANCELLED', 'the run has ended'));
    this.#onEnd();
  }

  #append(event: StoredEvent): void {
    if (this.#storeTail) {
      this.#storeTail = this.#storeTail.then(() => this.#store.append(this.id, event));
      return;
    }
    const pending = this.#store.append(this.id, event);
    if (pending) this.#storeTail = pending;
  }

  #endedError(): Error {
    const reason = this.#controller.signal.reason;
    return reason instanceof Error ? reason : new ActionError(409, 'CANCELLED', 'the run has ended');
  }
}
