// The runs this server is executing: ids, the concurrency count, and the store behind them.

import { randomBytes } from 'node:crypto';
import type { ActionError } from '../../protocol/index.js';
import { Run } from './run.js';
import type { RunStore } from './store.js';

export class Runs {
  readonly store: RunStore;
  readonly #live = new Map<string, Run>();

  constructor(store: RunStore) {
    this.store = store;
  }

  create(options: { detached: boolean }): Run {
    // 18 random bytes: 24 URL-safe characters, unguessable, so a run id is its own capability.
    const id = randomBytes(18).toString('base64url');
    const run = new Run(id, this.store, { ...options, onEnd: () => this.#live.delete(id) });
    this.#live.set(id, run);
    return run;
  }

  get(id: string): Run | undefined {
    return this.#live.get(id);
  }

  get size(): number {
    return this.#live.size;
  }

  /** Ends every live run with `error` (used on shutdown). */
  cancelAll(error: ActionError): void {
    for (const run of [...this.#live.values()]) run.cancel(error);
  }
}
