// Actions on a pool of workers, as a front end's routes see them (host.ts): the manifest is the
// union of the live workers' ones, a run or a plain call is a job in the queue, and the front
// waits for a worker to take it. A run's input is checked by the worker's schema before any
// stream opens, so a 422 is still a JSON answer: the front opens the stream only once a worker
// has taken the run as valid (PROTOCOL.md §4b).

import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import { ActionError, type ManifestAction } from '../../protocol/index.js';
import type { ActionHost, HostedAction, StartRunOptions } from '../host.js';
import { newRunId } from '../runs/run-id.js';
import { script, type Redis } from './connection.js';
import type { WorkerDirectory } from './presence.js';
import type { JobData } from './queue.js';
import type { RedisRunStore } from './redis-store.js';

/** How often the front looks for itself whether a worker took a job (the message may go astray). */
const POLL_MS = 250;
/** How long a withdrawn call's mark stays, for a worker that finds its job later (as long as a job can wait). */
const CALL_MARK_TTL_MS = 24 * 3600_000;

export interface QueueHostOptions {
  /** A job no worker takes within this time is withdrawn: 429 BUSY, or 503 NO_WORKER. */
  queueTimeoutMs: number;
}

export class QueueHost implements ActionHost {
  readonly #store: RedisRunStore;
  readonly #queue: Queue<JobData>;
  readonly #directory: WorkerDirectory;
  readonly #subscriber: Redis;
  readonly #owned: Redis[];
  readonly #channel: string;
  readonly #options: QueueHostOptions;
  readonly #waiting = new Map<string, () => void>();
  #listening: Promise<unknown> | undefined;

  /** `owned`: connections to close with the host (the subscriber's, the queue's). */
  constructor(store: RedisRunStore, queue: Queue<JobData>, directory: WorkerDirectory, subscriber: Redis, owned: Redis[], options: QueueHostOptions) {
    this.#store = store;
    this.#queue = queue;
    this.#directory = directory;
    this.#subscriber = subscriber;
    this.#owned = owned;
    this.#channel = `${store.settings.prefix}front:${store.id}`;
    this.#options = options;
    subscriber.on('message', (_channel: string, message: string) => this.#waiting.get(message.slice(message.indexOf(' ') + 1))?.());
  }

  manifest(): Promise<ManifestAction[]> {
    return this.#directory.manifest();
  }

  resolve(name: string, listUrl: string): Promise<HostedAction> {
    return this.#directory.resolve(name, listUrl);
  }

  async start(action: HostedAction, input: Record<string, unknown>, options: StartRunOptions): Promise<string> {
    refuseFiles(input);
    await this.#listen();
    const runId = newRunId();
    await this.#store.create({ runId, action: action.name, detached: options.detached });
    const job = { kind: 'run', id: runId, action: action.name, input, ...options, channel: this.#channel } as const;
    const state = await this.#whenTaken(runId, job, async () => {
      const { state, invalid } = await this.#store.state(runId);
      return state === 'queued' ? undefined : { state, invalid };
    });
    if (state.state === 'invalid') {
      await this.#store.redis.del(`${this.#store.settings.prefix}run:${runId}`);
      throw ActionError.fromBody(JSON.parse(state.invalid ?? '{}'), 422);
    }
    return runId;
  }

  async call(action: HostedAction, input: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    refuseFiles(input);
    await this.#listen();
    const id = randomBytes(18).toString('base64url');
    const replyKey = `${this.#store.settings.prefix}reply:${id}`;
    const cancel = () => void this.#store.redis.publish(`${this.#store.settings.prefix}cancel`, id).catch(() => {});
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const reply = await this.#whenTaken(id, { kind: 'call', id, action: action.name, input, channel: this.#channel }, async () => {
        const text = await this.#store.redis.get(replyKey);
        return text === null ? undefined : (JSON.parse(text) as { ok: boolean; value?: unknown; error?: unknown });
      }, signal);
      void this.#store.redis.del(replyKey).catch(() => {});
      if (!reply.ok) throw ActionError.fromBody(reply.error);
      return reply.value;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  readonly liveRuns = 0;

  /** Runs execute on workers: a front end that stops leaves them running, for clients to re-attach elsewhere. */
  cancelAll(): void {}

  async close(): Promise<void> {
    for (const wake of this.#waiting.values()) wake();
    await this.#queue.close().catch(() => {});
    for (const connection of this.#owned) connection.disconnect();
  }

  /**
   * Queues the job and waits until `check` answers (a worker's message wakes it; it also looks
   * every POLL_MS). A job nobody took in time is withdrawn: 429 BUSY when workers have the action
   * (all busy), 503 NO_WORKER when none does any more. A plain call that was taken is looked at
   * again each queue timeout: if no worker that runs it is alive any more, it is withdrawn too,
   * rather than left waiting for a worker that will never come.
   */
  async #whenTaken<T>(id: string, job: JobData, check: () => Promise<T | undefined>, signal?: AbortSignal): Promise<T> {
    let wake = () => {};
    this.#waiting.set(id, () => wake());
    try {
      await this.#queue.add(job.action, job, { jobId: id, removeOnComplete: true, removeOnFail: true });
      let deadline = Date.now() + this.#options.queueTimeoutMs;
      let taken = false;
      for (;;) {
        const answer = await check();
        if (answer !== undefined) return answer;
        if (signal?.aborted) throw signal.reason;
        if (Date.now() > deadline) {
          deadline = Date.now() + this.#options.queueTimeoutMs;
          if (!taken) {
            if (await this.#withdraw(id, job, false)) throw await this.#noTaker(job.action);
            taken = true;
          } else if (job.kind === 'call' && (await this.#directory.workersFor(job.action)) === 0 && (await this.#withdraw(id, job, true))) {
            throw new ActionError(503, 'NO_WORKER', `the worker running ${job.action} was lost, and no worker that runs it is alive; start one with pkt worker, then call it again`);
          }
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      this.#waiting.delete(id);
    }
  }

  /** Gone for good (true), or a worker has it (false). The job itself is removed if it can be. */
  async #withdraw(id: string, job: JobData, force: boolean): Promise<boolean> {
    const prefix = this.#store.settings.prefix;
    const gone =
      job.kind === 'run'
        ? await this.#abandon(id)
        : (await script<number>(this.#store.redis, 'pktWithdrawCall', [prefix, id, CALL_MARK_TTL_MS, force ? '1' : '0'])) === 1;
    if (gone) await this.#queue.remove(id).catch(() => 0);
    return gone;
  }

  async #abandon(runId: string): Promise<boolean> {
    return (await script<number>(this.#store.redis, 'pktAbandon', [this.#store.settings.prefix, runId])) === 1;
  }

  async #noTaker(action: string): Promise<ActionError> {
    const seconds = +(this.#options.queueTimeoutMs / 1000).toFixed(1);
    if ((await this.#directory.workersFor(action)) > 0) {
      return new ActionError(429, 'BUSY', `every worker that runs ${action} is busy (none took it within ${seconds} s); retry in a moment`);
    }
    return new ActionError(503, 'NO_WORKER', `no worker took ${action} within ${seconds} s: none that runs it is alive; start one with pkt worker`);
  }

  #listen(): Promise<unknown> {
    this.#listening ??= this.#subscriber.subscribe(this.#channel);
    return this.#listening;
  }
}

/** A job's input travels as JSON: a form's files (multipart) cannot reach a worker yet. */
function refuseFiles(input: Record<string, unknown>): void {
  const isFile = (v: unknown) => typeof Blob !== 'undefined' && v instanceof Blob;
  for (const [field, value] of Object.entries(input)) {
    if (isFile(value) || (Array.isArray(value) && value.some(isFile))) {
      throw new ActionError(415, 'BAD_CONTENT_TYPE', `${field}: files are not sent to workers yet (a server with --redis takes JSON input); send the file's content in a JSON field, or use a server without --redis`);
    }
  }
}
