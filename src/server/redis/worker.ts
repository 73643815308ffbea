// `pkt worker`: executes actions taken from the queue (BullMQ) and writes their runs' events to
// Redis. Front ends (`pkt serve --redis`) put runs and plain calls in the queue; any worker
// that has the action takes them. It announces its actions with a heartbeat, hears cancels,
// and a run whose worker died is found by BullMQ's stalled-job check and handed to another
// worker, which restarts it (the action declared `retry`) or ends it with WORKER_LOST.

import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import { ActionError, DEFAULT_LIMITS, type Limits } from '../../protocol/index.js';
import { errorBodyFor } from '../execute.js';
import { buildRegistry, type ActionMap } from '../action-sources.js';
import type { ActionRegistry, RegisteredAction } from '../registry.js';
import { eventData } from '../runs/event-data.js';
import { Runs } from '../runs/runs.js';
import { validateInput } from '../validate-input.js';
import { connect, connectionOptions, script } from './connection.js';
import { CALL_WITHDRAWN } from './lua.js';
import { OrphanWatch } from './orphans.js';
import { Announcement } from './presence.js';
import { RedisRunStore } from './redis-store.js';
import { queueName, type JobData } from './queue.js';
import { DEFAULT_PREFIX, DEFAULT_STALL_TIMEOUT_MS, stallTimings, storeSettings } from './settings.js';

export interface WorkerOptions {
  /** `redis://host:port` (or `rediss://`, with a user and password if needed). */
  redis: string;
  /** Key prefix shared with the front ends (default `pkt:`). */
  prefix?: string;
  actionsDirs?: string[];
  /** Actions by name (or nested by segment), as a handler takes them; added after the folders. */
  actions?: ActionMap;
  noBundled?: boolean;
  /** Actions executed at once (runs and plain calls); default 100. */
  concurrency?: number;
  /** A dead worker's runs are found within about this time, in ms (default 30 s). */
  stallTimeoutMs?: number;
  dev?: boolean;
  limits?: Partial<Limits>;
  log?: (line: string) => void;
}

export interface PktWorker {
  id: string;
  registry: ActionRegistry;
  /** Ends the runs it executes (SHUTDOWN), lets its jobs go, and disconnects. */
  close(): Promise<void>;
}

export const DEFAULT_CONCURRENCY = 100;

/** How long a reply to a plain call is kept for a front end that missed its message. */
const REPLY_TTL_MS = 60_000;
/** How long a plain call's count of attempts is kept (longer than any call should take). */
const CALL_TTL_MS = 24 * 3600_000;

export async function startWorker(options: WorkerOptions): Promise<PktWorker> {
  const log = options.log ?? (() => {});
  const dev = options.dev ?? false;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const registry = await buildRegistry(options);
  const id = randomBytes(9).toString('base64url');
  const redis = await connect(options.redis, `pkt-worker-${id}`);
  const store = new RedisRunStore({ redis }, storeSettings(limits, prefix));
  const runs = new Runs(store, { maxEventBytes: limits.maxEventBytes });
  const calls = new Set<AbortController>();
  const orphans = new OrphanWatch(store, limits.lingerMs);
  const announcement = new Announcement(redis, prefix, id, registry.manifest());
  await announcement.beat();

  const execute = async (job: Job<JobData>, token?: string): Promise<void> => {
    const data = job.data;
    const registered = registry.get(data.action);
    if (!registered) {
      // Withdrawn by its front (no worker that has the action took it in time): nobody waits for
      // it, so it ends here instead of going round the pool for ever.
      const wanted = data.kind === 'call' ? (await redis.get(`${prefix}call:${data.id}`)) !== CALL_WITHDRAWN : (await store.state(data.id)).state !== undefined;
      if (!wanted) return;
      // Workers of one pool usually run the same actions; this one lacks it: another takes it.
      const { DelayedError } = await import('bullmq');
      await job.moveToDelayed(Date.now() + 200, token);
      throw new DelayedError();
    }
    if (data.kind === 'call') return call(job, registered);
    let input: unknown;
    try {
      input = await validateInput(registered, data.input);
    } catch (err) {
      if (err instanceof ActionError) return store.reject(data.id, err.toJSON(), data.channel);
      throw err;
    }
    const claim = await store.claim(data.id, id, registered.action.retry?.attempts ?? 1, data.channel);
    if (claim.outcome !== 'run' && claim.outcome !== 'restart') return;
    if (claim.outcome === 'restart') log(`run ${data.id} (${registered.name}): started again, attempt ${claim.attempt}`);
    const { ended } = runs.execute(data.id, registered, input, {
      detached: data.detached ?? false,
      lastEventId: data.lastEventId ?? '',
      dev,
      log,
    });
    const unwatch = data.detached ? () => {} : orphans.watch(data.id);
    await ended;
    unwatch();
    await store.finished(data.id);
  };

  /** An error's reply; one whose body JSON cannot carry (a BigInt in its details) is an INTERNAL one. */
  const errorReply = (err: unknown, name: string): string => {
    try {
      return JSON.stringify({ ok: false, error: errorBodyFor(err, name, { dev, log }) });
    } catch (unsendable) {
      return JSON.stringify({ ok: false, error: errorBodyFor(unsendable, name, { dev, log }) });
    }
  };

  const call = async (job: Job<JobData>, registered: RegisteredAction): Promise<void> => {
    const data = job.data;
    const controller = new AbortController();
    calls.add(controller);
    const stop = store.onCancel(data.id, (reason) => {
      controller.abort(ActionError.fromBody(reason));
      return true;
    });
    const aborted = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
    );
    // The reply as JSON text: the result is checked as a single server checks it (a function or
    // a symbol has no JSON form, and would otherwise arrive as null), and refused the same way.
    let text: string;
    try {
      // Counted by the workers that run it (not by those that put it back for lack of the
      // action): taken again after its worker was lost, a plain call starts over only if the action retries.
      const attempt = await script<number>(redis, 'pktTakeCall', [prefix, data.id, CALL_TTL_MS]);
      if (attempt === 0) return;
      if (attempt > (registered.action.retry?.attempts ?? 1)) {
        throw new ActionError(503, 'WORKER_LOST', `the worker running ${registered.name} was lost, and the action does not retry; call it again`);
      }
      const input = await validateInput(registered, data.input);
      const value = await Promise.race([registered.action.call(input, { signal: controller.signal }), aborted]);
      text = `{"ok":true,"value":${eventData(value, Number.POSITIVE_INFINITY, `${registered.name}: call`)}}`;
    } catch (err) {
      text = errorReply(err, registered.name);
    } finally {
      stop();
      calls.delete(controller);
    }
    await redis.multi().set(`${prefix}reply:${data.id}`, text, 'PX', REPLY_TTL_MS).publish(data.channel, `call ${data.id}`).exec();
  };

  const { Worker } = await import('bullmq');
  const { Redis } = await import('ioredis');
  const connection = new Redis(options.redis, { ...connectionOptions(`pkt-worker-${id}-queue`), lazyConnect: false, scripts: {} });
  connection.on('error', () => {});
  const worker = new Worker<JobData>(queueName, (job, token) => execute(job, token), {
    connection,
    prefix: prefix.replace(/:$/, ''),
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    ...stallTimings(options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS),
    // A job that comes back after a stall is always taken again: whether the run restarts or
    // ends with WORKER_LOST is decided when it is claimed (lua.ts pktClaim), not by BullMQ.
    maxStalledCount: 1_000_000,
    removeOnComplete: { count: 0 },
    removeOnFail: { count: 0 },
  });
  worker.on('error', (err) => log(`pkt worker: ${err.message}`));

  let closing: Promise<void> | undefined;
  return {
    id,
    registry,
    close() {
      closing ??= (async () => {
        const reason = new ActionError(503, 'SHUTDOWN', 'the worker is shutting down; run the action again');
        runs.cancelAll(reason);
        for (const controller of calls) controller.abort(reason);
        await worker.close();
        orphans.close();
        await announcement.withdraw();
        await store.close();
        connection.disconnect();
        redis.disconnect();
      })();
      return closing;
    },
  };
}
