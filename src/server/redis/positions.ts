// Where this front end's followers of each run are: the seq the slowest of them has been
// handed, written to the run's `:pos` hash (a few times a second at most), so that the worker
// executing the run can hold its action back while a follower lags (run-writer.ts).

import type { Redis } from './connection.js';

/** How long position changes gather before they are written. */
const FLUSH_MS = 20;
/** How long a run's first client has to open its stream. */
const RESERVE_MS = 10_000;

export interface Placed {
  /** The seq of the last event handed to the follower's consumer. */
  readonly handed: number;
}

export class FollowerPositions {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #frontId: string;
  readonly #runs = new Map<string, { followers: Set<Placed>; written: number | undefined; timer: NodeJS.Timeout | undefined; reserved?: Placed }>();

  constructor(redis: Redis, prefix: string, frontId: string) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#frontId = frontId;
  }

  /**
   * A run this front end starts: its first client's place (before any event) counts from
   * before a worker takes the run, so a fast action cannot run ahead of the stream that is
   * about to open. Given up when that client's subscription comes, or after RESERVE_MS.
   */
  reserve(runId: string): Promise<unknown> {
    const reserved: Placed = { handed: 0 };
    const write = this.add(runId, reserved);
    const run = this.#runs.get(runId)!;
    run.reserved = reserved;
    setTimeout(() => this.remove(runId, reserved), RESERVE_MS).unref();
    return write;
  }

  /** A follower starts: its place counts at once, before the worker can run ahead of it. */
  add(runId: string, follower: Placed): Promise<unknown> {
    let run = this.#runs.get(runId);
    if (!run) this.#runs.set(runId, (run = { followers: new Set(), written: undefined, timer: undefined }));
    run.followers.add(follower);
    if (run.reserved && run.reserved !== follower) {
      run.followers.delete(run.reserved);
      run.reserved = undefined;
    }
    return this.#write(runId);
  }

  moved(runId: string): void {
    const run = this.#runs.get(runId);
    if (!run || run.timer) return;
    run.timer = setTimeout(() => {
      run.timer = undefined;
      void this.#write(runId);
    }, FLUSH_MS);
  }

  remove(runId: string, follower: Placed): void {
    const run = this.#runs.get(runId);
    if (!run?.followers.delete(follower)) return;
    if (run.followers.size > 0) return this.moved(runId);
    clearTimeout(run.timer);
    this.#runs.delete(runId);
    void this.#redis.hdel(this.#key(runId), this.#frontId).catch(() => {});
  }

  async #write(runId: string): Promise<unknown> {
    const run = this.#runs.get(runId);
    if (!run) return;
    let slowest = Number.POSITIVE_INFINITY;
    for (const follower of run.followers) slowest = Math.min(slowest, follower.handed);
    if (slowest === run.written) return;
    run.written = slowest;
    return this.#redis.hset(this.#key(runId), this.#frontId, slowest).catch(() => {});
  }

  #key(runId: string): string {
    return `${this.#prefix}run:${runId}:pos`;
  }
}
