// Linger (PROTOCOL.md §4): when the last connection of a run that was not detached drops, the
// run goes on for a grace period and is cancelled only if nobody re-attached in that time. It
// asks the store, not a Run of this process, so it works for runs executing anywhere: the
// process that lost the last follower keeps the timer, and the store says whether anyone came
// back since (its follower count, and since when it has had none).

import { ActionError } from '../../protocol/index.js';
import type { RunStore } from './store.js';

export class Linger {
  readonly #store: RunStore;
  readonly #ms: number;
  readonly #now: () => number;
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(store: RunStore, ms: number, now: () => number = Date.now) {
    this.#store = store;
    this.#ms = Math.max(0, ms);
    this.#now = now;
  }

  /** A follower of a live run left before its end: cancel the run unless someone is back in time. */
  left(runId: string): void {
    this.#schedule(runId, this.#ms);
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #schedule(runId: string, ms: number): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#check(runId).catch(() => {
        // A store that cannot answer now: the run goes on, which loses nothing.
      });
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  async #check(runId: string): Promise<void> {
    const run = await this.#store.get(runId);
    if (!run || run.state !== 'live' || run.detached || run.followers > 0) return;
    // Someone came and went since this timer started: the grace period counts from their leaving.
    const idle = this.#now() - (run.idleSince ?? 0);
    if (idle < this.#ms) return this.#schedule(runId, this.#ms - idle);
    const seconds = this.#ms >= 1000 ? `${+(this.#ms / 1000).toFixed(1)} s` : `${this.#ms} ms`;
    const reason = new ActionError(499, 'CANCELLED', `the client disconnected and nobody re-attached within ${seconds}`);
    await this.#store.cancel(runId, reason.toJSON());
  }
}
