// The runs this process executes: it starts them (a record in the store, a cancel the store
// can reach, the action's `streamProgress`), counts them for the concurrency limit, and ends
// them on shutdown. Everything else about a run (its events, followers, list, cancel) is the
// store's, so that the routes serve runs executing anywhere.

import { ActionError } from '../../protocol/index.js';
import { executeStream, type ExecuteContext } from '../execute.js';
import type { RegisteredAction } from '../registry.js';
import { newRunId } from './run-id.js';
import { Run } from './run.js';
import type { RunStore } from './store.js';

export interface StartOptions extends ExecuteContext {
  detached: boolean;
}

export class Runs {
  readonly store: RunStore;
  readonly #live = new Map<string, Run>();
  readonly #maxEventBytes: number;

  constructor(store: RunStore, options: { maxEventBytes: number }) {
    this.store = store;
    this.#maxEventBytes = options.maxEventBytes;
  }

  /** Starts the action in a new run; resolves with the run id once the store knows the run. */
  async start(registered: RegisteredAction, input: unknown, options: StartOptions): Promise<string> {
    const id = newRunId();
    await this.store.create({ runId: id, action: registered.name, detached: options.detached });
    this.execute(id, registered, input, options);
    return id;
  }

  /**
   * Executes the action in a run the store already knows (one this process created, or one a
   * worker took from the queue). `ended` settles once the run has had its terminal event.
   */
  execute(id: string, registered: RegisteredAction, input: unknown, options: StartOptions): { run: Run; ended: Promise<void> } {
    let stopListening = () => {};
    let markEnded = () => {};
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    const run = new Run(id, this.store, {
      detached: options.detached,
      maxEventBytes: this.#maxEventBytes,
      onEnd: () => {
        this.#live.delete(id);
        stopListening();
        markEnded();
      },
    });
    this.#live.set(id, run);
    stopListening = this.store.onCancel(id, (reason) => run.cancel(ActionError.fromBody(reason)));
    void executeStream(registered, input, run, options);
    return { run, ended };
  }

  /** Runs executing in this process. */
  get size(): number {
    return this.#live.size;
  }

  /** Ends every run executing here with `error` (used on shutdown). */
  cancelAll(error: ActionError): void {
    for (const run of [...this.#live.values()]) run.cancel(error);
  }
}
