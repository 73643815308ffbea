// Linger for runs whose clients all went with a front end that died. The front end that loses a
// run's last follower keeps the linger timer (runs/linger.ts); one that is killed keeps nothing,
// so the worker executing the run watches it too: a run that was not detached and has had no
// follower through any live front end for the linger time is cancelled, as the front would have.

import { ActionError } from '../../protocol/index.js';
import type { RedisRunStore } from './redis-store.js';

export class OrphanWatch {
  readonly #store: RedisRunStore;
  readonly #lingerMs: number;
  readonly #runs = new Set<string>();
  /** When this worker first found a run without followers (a killed front sets no idleSince). */
  readonly #alone = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;
  #checking = false;

  constructor(store: RedisRunStore, lingerMs: number) {
    this.#store = store;
    this.#lingerMs = Math.max(0, lingerMs);
    this.#timer = setInterval(() => void this.#check(), Math.max(250, Math.round(this.#lingerMs / 3)));
    this.#timer.unref();
  }

  /** Watches a run this worker executes (not a detached one); returns how to stop. */
  watch(runId: string): () => void {
    this.#runs.add(runId);
    return () => {
      this.#runs.delete(runId);
      this.#alone.delete(runId);
    };
  }

  close(): void {
    clearInterval(this.#timer);
  }

  async #check(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      const now = Date.now();
      for (const runId of [...this.#runs]) {
        const record = await this.#store.get(runId).catch(() => undefined);
        if (!record || record.state !== 'live' || record.followers > 0) {
          this.#alone.delete(runId);
          continue;
        }
        const since = record.idleSince ?? this.#alone.get(runId) ?? now;
        this.#alone.set(runId, since);
        if (now - since < this.#lingerMs) continue;
        const seconds = this.#lingerMs >= 1000 ? `${+(this.#lingerMs / 1000).toFixed(1)} s` : `${this.#lingerMs} ms`;
        const reason = new ActionError(499, 'CANCELLED', `the client disconnected and nobody re-attached within ${seconds}`);
        await this.#store.cancel(runId, reason.toJSON()).catch(() => {});
      }
    } finally {
      this.#checking = false;
    }
  }
}
