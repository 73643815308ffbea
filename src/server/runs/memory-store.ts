// The in-memory run store: runs of this process, their events, and a budget over all of them.
//
// The budget (PROTOCOL.md §4a) counts the bytes of every kept event and the number of kept
// runs, live and ended alike. Before an event goes in, room is made for it: the oldest ended
// runs go first, whole; then the oldest events of the largest live runs. So however many
// clients start runs and leave, the history stays within its bytes. Each run also keeps at
// most `maxEvents` events and `maxBytes` of them, and an ended run goes after `retentionMs`.
// A run that went is remembered by id for a while (a tombstone), so that a client asking for
// it learns why it is gone rather than that it never was.

import {
  ActionError,
  DEFAULT_RUNS_LIMIT,
  type ErrorBody,
  type RunFilter,
  type RunInfo,
  type RunList,
  StreamEvent,
} from '../../protocol/index.js';
import { eventCost } from './event-log.js';
import { trimLargest } from './history-budget.js';
import { MemoryRun } from './memory-run.js';
import type { CancelHandler, CancelOutcome, NewRun, RunRecord, RunStore, RunSubscription, SubscribeFrom } from './store.js';

export interface MemoryRunStoreOptions {
  /** Events kept per run; the oldest go first. */
  maxEvents: number;
  /** Bytes kept per run (eventCost); the oldest events go first. */
  maxBytes?: number;
  /** How long an ended run is kept, in ms. */
  retentionMs: number;
  /** Bytes kept over all runs (PROTOCOL.md §4a). */
  historyBytes?: number;
  /** Runs kept, live and ended. */
  historyRuns?: number;
  now?: () => number;
}

/** What the store holds now, and the most it ever held: for tests, figures and `pkt serve`'s log. */
export interface MemoryStoreUsage {
  bytes: number;
  runs: number;
  peakBytes: number;
  budgetBytes: number;
}

type GoneReason = 'budget' | 'runs' | 'expired';
const TOMBSTONES = 10_000;

export class MemoryRunStore implements RunStore {
  readonly #runs = new Map<string, MemoryRun>();
  /** Ended runs, oldest end first: the first to go. */
  readonly #ended = new Map<string, MemoryRun>();
  readonly #gone = new Map<string, GoneReason>();
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #retentionMs: number;
  readonly #budget: number;
  readonly #maxRuns: number;
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;
  #bytes = 0;
  #peak = 0;
  #order = 0;

  constructor(options: MemoryRunStoreOptions) {
    this.#maxEvents = Math.max(1, options.maxEvents);
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#retentionMs = options.retentionMs;
    this.#budget = options.historyBytes ?? Number.POSITIVE_INFINITY;
    this.#maxRuns = Math.max(1, options.historyRuns ?? Number.POSITIVE_INFINITY);
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.sweep(), Math.min(60_000, Math.max(1000, this.#retentionMs / 4)));
    this.#sweeper.unref();
  }

  usage(): MemoryStoreUsage {
    return { bytes: this.#bytes, runs: this.#runs.size, peakBytes: this.#peak, budgetBytes: this.#budget };
  }

  create(run: NewRun): void {
    // Live runs are bounded by the server's stream limit; only ended ones can make room.
    while (this.#runs.size >= this.#maxRuns && this.#ended.size > 0) this.#forget(this.#ended.values().next().value!, 'runs');
    this.#runs.set(run.runId, new MemoryRun(run, { order: this.#order++, maxEvents: this.#maxEvents, now: this.#now }));
  }

  append(runId: string, event: StreamEvent, percent?: number): Promise<void> | undefined {
    const run = this.#runs.get(runId);
    if (!run || run.ended) return undefined;
    const cost = eventCost(event);
    this.#makeRoom(cost);
    if (this.#bytes + cost > this.#budget) {
      // Larger than all the budget can hold: followers get it never, and learn so (404).
      this.#bytes -= run.log.bytes;
      run.log.skip(cost);
    } else {
      const before = run.log.bytes;
      run.log.push(event, cost);
      while (run.log.bytes > this.#maxBytes && run.log.size > 1) run.log.dropOldest();
      this.#bytes += run.log.bytes - before;
    }
    this.#peak = Math.max(this.#peak, this.#bytes);
    const held = run.appended(event, percent);
    if (run.ended) this.#ended.set(runId, run);
    return held;
  }

  onCancel(runId: string, handler: CancelHandler): () => void {
    const run = this.#runs.get(runId);
    if (!run || run.ended) return () => {};
    run.cancelHandler = handler;
    return () => {
      if (run.cancelHandler === handler) run.cancelHandler = undefined;
    };
  }

  get(runId: string): RunRecord | undefined {
    const run = this.#live(runId);
    return run?.record();
  }

  list(filter: RunFilter): RunList {
    const limit = filter.limit ?? DEFAULT_RUNS_LIMIT;
    const before = filter.cursor === undefined ? Number.POSITIVE_INFINITY : Number.parseInt(filter.cursor, 36);
    const all = [...this.#runs.values()];
    const runs: RunInfo[] = [];
    let cursor: string | undefined;
    let last = 0;
    for (let i = all.length - 1; i >= 0; i--) {
      const run = all[i]!;
      if (this.#expired(run) || run.order >= before) continue;
      if (filter.state !== undefined && run.state !== filter.state) continue;
      if (runs.length === limit) {
        // More follow: the cursor is the place of the last run handed out, the next page starts below it.
        cursor = last.toString(36);
        break;
      }
      const { followers: _followers, idleSince: _idle, ...info } = run.record();
      runs.push(info);
      last = run.order;
    }
    return cursor === undefined ? { runs } : { runs, cursor };
  }

  subscribe(runId: string, from: SubscribeFrom): RunSubscription {
    const run = this.#live(runId);
    if (!run) throw this.#unknown(runId);
    const log = run.log;
    const next = from === 'oldest' ? log.firstSeq : from + 1;
    if (next < log.firstSeq) {
      const why = this.#budget === Number.POSITIVE_INFINITY ? '' : ' (a run keeps its latest events within the server\'s history limits)';
      throw new ActionError(404, 'UNKNOWN_RUN', `run ${runId} no longer has the events after ${from}${why}; start the action again`);
    }
    return run.subscribe(next);
  }

  cancel(runId: string, reason: ErrorBody): CancelOutcome {
    const run = this.#live(runId);
    if (!run) return this.#gone.has(runId) ? 'ended' : 'unknown';
    if (run.ended) return 'ended';
    if (run.cancelHandler) return run.cancelHandler(reason) ? 'cancelled' : 'ended';
    // Nothing executes it any more (its process let go): end it here, so no follower waits forever.
    this.append(runId, new StreamEvent('error', String(run.log.lastSeq + 1), JSON.stringify(reason)));
    return 'cancelled';
  }

  /** Forgets ended runs past their retention time. */
  sweep(): void {
    for (const run of this.#ended.values()) {
      if (!this.#expired(run)) break;
      this.#forget(run, 'expired');
    }
  }

  close(): void {
    clearInterval(this.#sweeper);
    for (const run of this.#runs.values()) run.closeAll();
    this.#runs.clear();
    this.#ended.clear();
    this.#bytes = 0;
  }

  #makeRoom(cost: number): void {
    if (this.#bytes + cost <= this.#budget) return;
    for (const run of this.#ended.values()) {
      if (this.#bytes + cost <= this.#budget) return;
      this.#forget(run, 'budget');
    }
    const excess = this.#bytes + cost - this.#budget;
    if (excess <= 0) return;
    const live = [...this.#runs.values()].filter((run) => !run.ended).map((run) => run.log);
    this.#bytes -= trimLargest(live, excess);
  }

  #forget(run: MemoryRun, reason: GoneReason): void {
    run.closeAll();
    this.#bytes -= run.log.bytes;
    this.#runs.delete(run.runId);
    this.#ended.delete(run.runId);
    this.#gone.set(run.runId, reason);
    if (this.#gone.size > TOMBSTONES) this.#gone.delete(this.#gone.keys().next().value!);
  }

  /** The run, unless it is unknown or expired (then it goes now, not at the next sweep). */
  #live(runId: string): MemoryRun | undefined {
    const run = this.#runs.get(runId);
    if (run && this.#expired(run)) {
      this.#forget(run, 'expired');
      return undefined;
    }
    return run;
  }

  #expired(run: MemoryRun): boolean {
    return run.endedAt !== undefined && this.#now() - run.endedAt > this.#retentionMs;
  }

  #unknown(runId: string): ActionError {
    const gone = this.#gone.get(runId);
    const why =
      gone === 'budget'
        ? 'its history was dropped to keep the server within its history budget (pkt serve --history-bytes)'
        : gone === 'runs'
          ? 'it was dropped to keep the server within its number of kept runs (pkt serve --history-runs)'
          : gone === 'expired'
            ? `it ended more than ${Math.round(this.#retentionMs / 1000)} s ago and its history has expired`
            : 'the server has no run with this id (it may have restarted, or its history expired)';
    return new ActionError(404, 'UNKNOWN_RUN', `no run ${runId}: ${why}; start the action again`);
  }
}
