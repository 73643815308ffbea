// The run store in Redis (PROTOCOL.md §4b): every process that shares the Redis (front ends and
// workers) sees every run. Records are hashes, events are Streams with the seq as the entry id,
// and every write goes through a script of lua.ts, so the store stays exactly-once whoever dies.
//
// A front end follows runs through one blocking connection (feeds.ts); a worker appends through
// one RunWriter per run it executes and hears cancels on one subscriber connection.

import { randomBytes } from 'node:crypto';
import {
  ActionError,
  DEFAULT_RUNS_LIMIT,
  endedState,
  isRunInfoState,
  type ErrorBody,
  type RunFilter,
  type RunInfo,
  type RunList,
  type StreamEvent,
} from '../../protocol/index.js';
import type { CancelHandler, CancelOutcome, NewRun, RunRecord, RunStore, RunSubscription, SubscribeFrom } from '../runs/store.js';
import { script, type Redis } from './connection.js';
import { Feeds } from './feeds.js';
import { FollowerPositions } from './positions.js';
import { RunWriter } from './run-writer.js';
import { PRESENCE_MS, PRESENCE_TTL_MS, type StoreSettings } from './settings.js';
import { RedisSubscription } from './subscription.js';

export interface RedisConnections {
  /** Commands and scripts. */
  redis: Redis;
  /** Blocking reads of run Streams (front ends); opened on first use when absent. */
  reader?: Redis;
  /** Cancel messages (workers); opened on first use when absent. */
  subscriber?: Redis;
}

/** How a run looks to the worker that takes it: what to do, as which attempt, after which seq. */
export interface Claim {
  outcome: 'run' | 'restart' | 'lost' | 'ended';
  attempt: number;
  lastSeq: number;
}

export class RedisRunStore implements RunStore {
  readonly executesOnWorkers = true;
  /** This process, as followers and presence know it. */
  readonly id = randomBytes(9).toString('base64url');
  readonly settings: StoreSettings;
  readonly redis: Redis;
  readonly #connections: RedisConnections;
  readonly #writers = new Map<string, RunWriter>();
  readonly #cancelHandlers = new Map<string, CancelHandler>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #positions: FollowerPositions;
  #feeds: Feeds | undefined;
  #subscribing: Promise<void> | undefined;
  #closed = false;

  constructor(connections: RedisConnections, settings: StoreSettings) {
    this.#connections = connections;
    this.redis = connections.redis;
    this.settings = settings;
    this.#positions = new FollowerPositions(this.redis, settings.prefix, this.id);
    // Followers count through live fronts only: this one says it is alive.
    const beat = () => void this.redis.set(this.#key(`front:${this.id}`), '1', 'PX', PRESENCE_TTL_MS).catch(() => {});
    beat();
    this.#every(PRESENCE_MS, beat);
    // Ended runs past their retention go, their bytes given back to the budget.
    this.#every(Math.min(60_000, Math.max(1000, settings.retentionMs / 4)), () => {
      void script(this.redis, 'pktSweep', [settings.prefix, Date.now(), settings.retentionMs]).catch(() => {});
    });
  }

  // --- The executing side (a worker) ---

  /** Records a new run, queued until a worker takes it; its first client's place is kept from now. */
  async create(run: NewRun): Promise<void> {
    await this.#positions.reserve(run.runId);
    await script(this.redis, 'pktCreate', [
      this.settings.prefix, run.runId, run.action, run.detached ? 1 : 0, Date.now(), this.settings.historyRuns,
    ]);
  }

  /**
   * A worker takes a run from the queue (lua.ts pktClaim). For a run it is to execute, appends
   * go through a writer fenced by the attempt; `onFenced` hears when the run is no longer its own.
   */
  async claim(runId: string, worker: string, maxAttempts: number, channel: string): Promise<Claim> {
    const s = this.settings;
    const lost = new ActionError(503, 'WORKER_LOST', 'the worker running this action was lost (it stopped answering) and the action does not retry').toJSON();
    const [outcome, attempt, lastSeq] = await script<[Claim['outcome'], number, string | number]>(this.redis, 'pktClaim', [
      s.prefix, runId, Date.now(), s.maxEvents, s.maxBytes, s.historyBytes, s.retentionMs,
      worker, maxAttempts, JSON.stringify(lost), JSON.stringify('the worker running it was lost'), channel,
    ]);
    const claim = { outcome, attempt: Number(attempt), lastSeq: Number(lastSeq) };
    if (outcome === 'run' || outcome === 'restart') {
      this.#writers.set(runId, new RunWriter(this.redis, s, { runId, attempt: claim.attempt, lastSeq: claim.lastSeq }, (reason) => {
        this.#cancelHandlers.get(runId)?.(reason);
      }));
    }
    return claim;
  }

  /** The input failed the action's schema on the worker: the front that is waiting answers 422. */
  async reject(runId: string, error: ErrorBody, channel: string): Promise<void> {
    await script(this.redis, 'pktReject', [this.settings.prefix, runId, JSON.stringify(error), channel]);
  }

  append(runId: string, event: StreamEvent, percent?: number): Promise<void> | undefined {
    return this.#writers.get(runId)?.append(event, percent);
  }

  /** Settles once every event appended so far is written (or the run is no longer this worker's). */
  async drained(runId: string): Promise<void> {
    await this.#writers.get(runId)?.drained();
  }

  /** Settles once every event of the run is written; the worker then lets go of it. */
  async finished(runId: string): Promise<void> {
    await this.drained(runId);
    this.#writers.delete(runId);
  }

  onCancel(runId: string, handler: CancelHandler): () => void {
    this.#cancelHandlers.set(runId, handler);
    void this.#listenForCancels();
    return () => {
      if (this.#cancelHandlers.get(runId) === handler) this.#cancelHandlers.delete(runId);
    };
  }

  // --- Any side ---

  async get(runId: string): Promise<RunRecord | undefined> {
    const fields = await script<string[]>(this.redis, 'pktRecord', [this.settings.prefix, runId]);
    if (fields.length === 0) return undefined;
    const hash: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) hash[fields[i]!] = fields[i + 1]!;
    return toRecord(runId, hash);
  }

  /** The raw record, queued and rejected runs included (for the front that started the run). */
  async state(runId: string): Promise<{ state?: string; invalid?: string }> {
    const [state, invalid] = await this.redis.hmget(this.#key(`run:${runId}`), 'state', 'invalid');
    return { state: state ?? undefined, invalid: invalid ?? undefined };
  }

  async list(filter: RunFilter): Promise<RunList> {
    const limit = filter.limit ?? DEFAULT_RUNS_LIMIT;
    let before = filter.cursor === undefined ? '+inf' : `(${Number.parseInt(filter.cursor, 36)}`;
    const runs: RunInfo[] = [];
    let lastOrder = 0;
    const page = Math.min(1000, Math.max(100, limit * 2));
    // Pages through the index newest first until enough runs match (bounded by the kept runs).
    for (;;) {
      const ids = await this.redis.zrevrangebyscore(this.#key('runs'), before, '-inf', 'WITHSCORES', 'LIMIT', 0, page);
      if (ids.length === 0) return { runs };
      const pipeline = this.redis.pipeline();
      for (let i = 0; i < ids.length; i += 2) pipeline.hgetall(this.#key(`run:${ids[i]}`));
      const hashes = (await pipeline.exec()) ?? [];
      for (let i = 0; i < ids.length; i += 2) {
        const hash = hashes[i / 2]?.[1] as Record<string, string> | undefined;
        const record = hash?.state ? toRecord(ids[i]!, hash) : undefined;
        if (!record || (filter.state !== undefined && record.state !== filter.state)) continue;
        // More follow: the cursor is the place of the last run handed out, the next page starts below it.
        if (runs.length === limit) return { runs, cursor: lastOrder.toString(36) };
        const { followers: _f, idleSince: _i, ...info } = record;
        runs.push(info);
        lastOrder = Number(ids[i + 1]);
      }
      if (ids.length < page * 2) return { runs };
      before = `(${ids.at(-1)}`;
    }
  }

  async subscribe(runId: string, from: SubscribeFrom): Promise<RunSubscription> {
    const [state, first] = await this.redis.hmget(this.#key(`run:${runId}`), 'state', 'first');
    if (state === null || state === 'invalid') throw await this.#unknown(runId);
    const oldest = Number(first ?? 1);
    const next = from === 'oldest' ? oldest : from + 1;
    if (next < oldest) {
      throw new ActionError(404, 'UNKNOWN_RUN', `run ${runId} no longer has the events after ${from} (a run keeps its latest events within the server's history limits); start the action again`);
    }
    const followers = await script<number>(this.redis, 'pktFollow', [this.settings.prefix, runId, this.id, 1, Date.now()]);
    if (followers < 0) throw await this.#unknown(runId);
    const feeds = this.#followFeeds();
    const feed = feeds.acquire(runId);
    const subscription: RedisSubscription = new RedisSubscription(this.redis, feed, next, {
      moved: () => this.#positions.moved(runId),
      close: () => {
        feeds.release(feed);
        this.#positions.remove(runId, subscription);
        void script(this.redis, 'pktFollow', [this.settings.prefix, runId, this.id, -1, Date.now()]).catch(() => {});
      },
    });
    await this.#positions.add(runId, subscription);
    return subscription;
  }

  async cancel(runId: string, reason: ErrorBody): Promise<CancelOutcome> {
    const s = this.settings;
    return script<CancelOutcome>(this.redis, 'pktCancel', [
      s.prefix, runId, Date.now(), s.maxEvents, s.maxBytes, s.historyBytes, s.retentionMs,
      'error', JSON.stringify(reason), endedState('error', reason.code),
    ]);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    await Promise.all([...this.#writers.keys()].map((id) => this.finished(id)));
    await this.#feeds?.close();
    this.#connections.subscriber?.disconnect();
    await this.redis.del(this.#key(`front:${this.id}`)).catch(() => {});
    this.redis.disconnect();
  }

  #followFeeds(): Feeds {
    this.#feeds ??= new Feeds(this.redis, this.#connections.reader ?? this.redis.duplicate(), this.settings.prefix);
    return this.#feeds;
  }

  /** One subscriber connection hears every cancel, and hands it to the run's handler here. */
  #listenForCancels(): Promise<void> {
    this.#subscribing ??= (async () => {
      const sub = (this.#connections.subscriber ??= this.redis.duplicate());
      sub.on('message', (_channel: string, runId: string) => void this.#applyCancel(runId));
      // A cancel sent while the connection was down is still in the run's record.
      sub.on('ready', () => {
        for (const runId of this.#cancelHandlers.keys()) void this.#applyCancel(runId);
      });
      await sub.subscribe(this.#key('cancel'));
    })();
    return this.#subscribing;
  }

  async #applyCancel(runId: string): Promise<void> {
    const handler = this.#cancelHandlers.get(runId);
    if (!handler) return;
    const reason = await this.redis.hget(this.#key(`run:${runId}`), 'cancel').catch(() => null);
    if (reason !== null) handler(ActionError.fromBody(JSON.parse(reason)).toJSON());
  }

  async #unknown(runId: string): Promise<ActionError> {
    const gone = await this.redis.get(this.#key(`gone:${runId}`)).catch(() => null);
    const why =
      gone === 'budget'
        ? 'its history was dropped to keep within the history budget (--history-bytes)'
        : gone === 'runs'
          ? 'it was dropped to keep within the number of kept runs (--history-runs)'
          : gone === 'expired'
            ? `it ended more than ${Math.round(this.settings.retentionMs / 1000)} s ago and its history has expired`
            : 'the run store has no run with this id (it may have expired, or Redis lost it)';
    return new ActionError(404, 'UNKNOWN_RUN', `no run ${runId}: ${why}; start the action again`);
  }

  #key(suffix: string): string {
    return `${this.settings.prefix}${suffix}`;
  }

  #every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    this.#timers.push(timer);
  }
}

/** A run's hash as PROTOCOL.md §4a's record (a queued run is live: it has started, for its client). */
function toRecord(runId: string, hash: Record<string, string>): RunRecord | undefined {
  const state = hash.state === 'queued' ? 'live' : hash.state;
  if (!isRunInfoState(state)) return undefined;
  const record: RunRecord = {
    runId,
    action: hash.action ?? '',
    state,
    startedAt: new Date(Number(hash.startedAt)).toISOString(),
    lastSeq: Number(hash.lastSeq ?? 0),
    detached: hash.detached === '1',
    followers: Number(hash.followers ?? 0),
  };
  if (hash.endedAt) record.endedAt = new Date(Number(hash.endedAt)).toISOString();
  if (hash.percent) record.percent = Number(hash.percent);
  if (hash.idleSince) record.idleSince = Number(hash.idleSince);
  return record;
}
