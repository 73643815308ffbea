// One run, where it executes: the events of one stream, numbered from 1, appended to the run
// store, which keeps them and hands them to whoever follows the run, here or in another
// process (PROTOCOL.md §4). The run itself never sees a connection.

import { ActionError, assertEventType, isTerminalEvent, readProgress, StreamEvent, type ErrorBody } from '../../protocol/index.js';
import type { RunStore } from './store.js';

const SENDS_PER_YIELD = 128;

/** What a send that did not have to wait returns: settled, shared, and never rejected. */
export const SENT: Promise<void> = Promise.resolve();

/** A payload as JSON text; throws a TypeError that says which value could not be sent. */
function toJson(payload: unknown): string {
  try {
    return JSON.stringify(payload === undefined ? null : payload);
  } catch (err) {
    throw new TypeError(`the payload could not be sent as JSON: ${(err as Error).message}`);
  }
}

export class Run {
  readonly id: string;
  /** The starting client asked the run to outlive its connection (`Pkt-Detach: 1`). */
  readonly detached: boolean;
  readonly #store: RunStore;
  readonly #controller = new AbortController();
  readonly #onEnd: () => void;
  #seq = 0;
  #ended = false;
  #sendsSinceYield = 0;

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

  /**
   * `stream.send`: one non-terminal event; waits while a follower is slow to read. Not an
   * async function: most sends need no wait, and then it hands back one shared settled
   * promise instead of making one per event (a firehose sends hundreds of thousands).
   */
  send(type: string, payload: unknown): Promise<void> {
    let data: string;
    try {
      if (this.#ended) throw this.#endedError();
      assertEventType(type);
      if (isTerminalEvent(type)) {
        throw new TypeError(`"${type}" ends a run: use stream.sendComplete(result), or throw to send an error.`);
      }
      data = toJson(payload);
    } catch (err) {
      return Promise.reject(err);
    }
    // The store holds the action back while a follower is slow to read (or while it writes).
    const held = this.#emit(type, payload, data);
    if (held) return held.then(this.#checkEnded);
    // A reader as fast as the action (loopback), or none at all (a detached run), never makes
    // send wait, and a loop of awaited sends would then run on microtasks alone, starving
    // every timer, heartbeat and request of the server. So every so often, yield a turn.
    if (++this.#sendsSinceYield >= SENDS_PER_YIELD) {
      this.#sendsSinceYield = 0;
      return new Promise<void>((resolve) => setImmediate(resolve)).then(this.#checkEnded);
    }
    return SENT;
  }

  readonly #checkEnded = (): void => {
    if (this.#ended) throw this.#endedError();
  };

  /** `stream.sendComplete`: the terminal `complete` event. */
  async complete(result: unknown): Promise<void> {
    if (this.#ended) throw this.#endedError();
    this.#finish('complete', result);
  }

  /** Ends the run with an `error` event; a no-op once it has ended. */
  fail(error: ErrorBody): void {
    if (!this.#ended) this.#finish('error', error);
  }

  /**
   * Aborts the action's signal and ends the run with `error` (CANCELLED, SHUTDOWN, ...).
   * False when the run had ended already, or its abort listener completed it first.
   */
  cancel(error: ActionError): boolean {
    if (this.#ended) return false;
    this.#controller.abort(error);
    if (this.#ended) return false;
    this.#finish('error', error.toJSON());
    return true;
  }

  #emit(type: string, payload: unknown, data: string): Promise<void> | undefined {
    const event = new StreamEvent(type, String(++this.#seq), data);
    // The run's record shows its progress (`pkt runs`, the page's list): read from the payload
    // the action gave, which costs no parse.
    const percent = type === 'progress' ? readProgress(payload).percent : undefined;
    return this.#store.append(this.id, event, percent) ?? undefined;
  }

  #finish(type: 'complete' | 'error', payload: unknown): void {
    let data: string;
    try {
      data = toJson(payload);
    } catch (err) {
      // The run must still end with exactly one terminal event, or its client waits forever.
      type = 'error';
      data = JSON.stringify(new ActionError(500, 'INTERNAL', (err as Error).message).toJSON());
    }
    this.#ended = true;
    // A store that writes asynchronously reports a failure to its followers; the run is over either way.
    this.#emit(type, payload, data)?.catch(() => {});
    // The signal also tells the action's awaits that the run is over (e.g. completed early).
    if (!this.#controller.signal.aborted) this.#controller.abort(new ActionError(409, 'CANCELLED', 'the run has ended'));
    this.#onEnd();
  }

  #endedError(): Error {
    const reason = this.#controller.signal.reason;
    return reason instanceof Error ? reason : new ActionError(409, 'CANCELLED', 'the run has ended');
  }
}
