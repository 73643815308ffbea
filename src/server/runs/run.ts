// One run, where it executes: the events of one stream, numbered from 1, appended to the run
// store, which keeps them and hands them to whoever follows the run, here or in another
// process (PROTOCOL.md §4). The run itself never sees a connection.

import { ActionError, assertEventType, isTerminalEvent, readProgress, StreamEvent, type ErrorBody } from '../../protocol/index.js';
import { eventData } from './event-data.js';
import type { RunStore } from './store.js';

const SENDS_PER_YIELD = 128;
/** Node's timers take at most 2^31 - 1 ms. */
const MAX_SLEEP_MS = 2 ** 31 - 1;

/** What a send that did not have to wait returns: settled, shared, and never rejected. */
export const SENT: Promise<void> = Promise.resolve();

interface Sleep {
  timer: NodeJS.Timeout | undefined;
  reject: ((reason: unknown) => void) | undefined;
  promise: Promise<void>;
}

export class Run {
  readonly id: string;
  /** The starting client asked the run to outlive its connection (`Pkt-Detach: 1`). */
  readonly detached: boolean;
  readonly #store: RunStore;
  readonly #controller = new AbortController();
  readonly #onEnd: () => void;
  readonly #maxEventBytes: number;
  #seq = 0;
  #ended = false;
  #sendsSinceYield = 0;
  /** The last type `send` accepted: a stream mostly sends one type, and its checks need not run again. */
  #lastType = '';
  /** The timers of `stream.sleep` calls still waiting, each with how to end it early. */
  #sleeping: Set<Sleep> | undefined;

  constructor(id: string, store: RunStore, options: { detached: boolean; onEnd: () => void; maxEventBytes: number }) {
    this.id = id;
    this.#store = store;
    this.detached = options.detached;
    this.#onEnd = options.onEnd;
    this.#maxEventBytes = options.maxEventBytes;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /**
   * `stream.sleep`: waits `ms`, or rejects with the run's abort reason as soon as the run is
   * cancelled or ends. One plain timer per call; the signal is listened to once per run, not
   * once per call as `setTimeout(ms, v, { signal })` of node:timers/promises does (which, at a
   * tick a second to thousands of streams, doubled what each event allocated).
   */
  sleep(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !(ms >= 0 && ms <= MAX_SLEEP_MS)) {
      return Promise.reject(new TypeError(`stream.sleep(${String(ms)}): give a number of milliseconds from 0 to ${MAX_SLEEP_MS}`));
    }
    const signal = this.#controller.signal;
    if (signal.aborted) return Promise.reject(this.#endedError());
    const sleeping = (this.#sleeping ??= this.#watchSleeps());
    const sleep = { timer: undefined as NodeJS.Timeout | undefined, reject: undefined as ((reason: unknown) => void) | undefined, promise: SENT };
    sleep.promise = new Promise<void>((resolve, reject) => {
      sleep.reject = reject;
      sleep.timer = setTimeout(() => {
        sleeping.delete(sleep);
        resolve();
      }, ms);
    });
    sleeping.add(sleep);
    return sleep.promise;
  }

  #watchSleeps(): Set<Sleep> {
    const sleeping = new Set<Sleep>();
    this.#controller.signal.addEventListener(
      'abort',
      () => {
        const reason = this.#endedError();
        for (const sleep of sleeping) {
          clearTimeout(sleep.timer);
          // An action that did not await its sleep must not take the server down with an
          // unhandled rejection: the awaiting one still gets it.
          sleep.promise.catch(() => {});
          sleep.reject!(reason);
        }
        sleeping.clear();
      },
      { once: true },
    );
    return sleeping;
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
      if (type !== this.#lastType) {
        assertEventType(type);
        if (isTerminalEvent(type)) {
          throw new TypeError(`"${type}" ends a run: use stream.sendComplete(result), or throw to send an error.`);
        }
        this.#lastType = type;
      }
      data = eventData(payload, this.#maxEventBytes, `stream.send(${JSON.stringify(type)})`);
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

  /**
   * `stream.sendComplete`: the terminal `complete` event. A result that cannot be sent is
   * refused (UnsendableEvent) and the run goes on, for the caller to end it with an error.
   */
  async complete(result: unknown): Promise<void> {
    if (this.#ended) throw this.#endedError();
    this.#finish('complete', result, eventData(result, this.#maxEventBytes, 'stream.sendComplete'));
  }

  /** Ends the run with an `error` event; a no-op once it has ended. */
  fail(error: ErrorBody): void {
    if (!this.#ended) this.#finish('error', error, errorData(error));
  }

  /**
   * Aborts the action's signal and ends the run with `error` (CANCELLED, SHUTDOWN, ...).
   * False when the run had ended already, or its abort listener completed it first.
   */
  cancel(error: ActionError): boolean {
    if (this.#ended) return false;
    this.#controller.abort(error);
    if (this.#ended) return false;
    const body = error.toJSON();
    this.#finish('error', body, errorData(body));
    return true;
  }

  #emit(type: string, payload: unknown, data: string): Promise<void> | undefined {
    const event = new StreamEvent(type, String(++this.#seq), data);
    // The run's record shows its progress (`pkt runs`, the page's list): read from the payload
    // the action gave, which costs no parse.
    const percent = type === 'progress' ? readProgress(payload).percent : undefined;
    return this.#store.append(this.id, event, percent) ?? undefined;
  }

  #finish(type: 'complete' | 'error', payload: unknown, data: string): void {
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

/**
 * An error body as JSON text. The run must end with exactly one terminal event whatever an
 * action put in its ActionError's `errors`, so a body JSON cannot carry becomes a plain INTERNAL.
 */
function errorData(error: ErrorBody): string {
  try {
    const text: unknown = JSON.stringify(error);
    if (typeof text === 'string') return text;
  } catch {
    // replaced below
  }
  return JSON.stringify(new ActionError(500, 'INTERNAL', 'the action failed with an error that cannot be sent as JSON').toJSON());
}
