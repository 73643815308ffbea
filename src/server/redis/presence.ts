// Which workers are alive and what they can run. Each worker announces its manifest (the
// actions' names, descriptions, JSON Schemas, whether they stream) under a key that expires
// unless it beats again; front ends serve the union of the live ones (PROTOCOL.md §4b).

import { actionKey, ActionError, rankNames, suggestionLimit, type ManifestAction } from '../../protocol/index.js';
import type { HostedAction } from '../host.js';
import { unknownAction } from '../local-host.js';
import type { Redis } from './connection.js';
import { PRESENCE_MS, PRESENCE_TTL_MS } from './settings.js';

/** How long fronts remember that some worker had an action: a missing one is then NO_WORKER, not unknown. */
const SEEN_MS = 24 * 3600_000;

/** A worker saying, every beat, that it is alive and which actions it runs. */
export class Announcement {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #id: string;
  readonly #manifest: string;
  readonly #names: string[];
  readonly #timer: NodeJS.Timeout;

  constructor(redis: Redis, prefix: string, workerId: string, manifest: ManifestAction[]) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#id = workerId;
    this.#manifest = JSON.stringify(manifest);
    this.#names = manifest.map((a) => actionKey(a.name));
    this.#timer = setInterval(() => void this.beat().catch(() => {}), PRESENCE_MS);
    this.#timer.unref();
  }

  async beat(): Promise<void> {
    const now = Date.now();
    const seen = this.#names.flatMap((name) => [name, String(now)]);
    const multi = this.#redis
      .multi()
      .set(`${this.#prefix}worker:${this.#id}`, this.#manifest, 'PX', PRESENCE_TTL_MS)
      .zadd(`${this.#prefix}workers`, now + PRESENCE_TTL_MS, this.#id);
    if (seen.length > 0) multi.hset(`${this.#prefix}seen`, ...seen);
    await multi.exec();
  }

  async withdraw(): Promise<void> {
    clearInterval(this.#timer);
    await this.#redis
      .multi()
      .del(`${this.#prefix}worker:${this.#id}`)
      .zrem(`${this.#prefix}workers`, this.#id)
      .exec()
      .catch(() => {});
  }
}

/** A front end's view of the live workers: the union of their manifests, kept fresh. */
export class WorkerDirectory {
  readonly #redis: Redis;
  readonly #prefix: string;
  #actions = new Map<string, { action: ManifestAction; workers: number }>();
  #workers = 0;
  #fetched = 0;
  #refreshing: Promise<void> | undefined;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  async manifest(): Promise<ManifestAction[]> {
    await this.#fresh();
    return [...this.#actions.values()].map((a) => a.action).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The action, if a live worker has it; else NO_WORKER for an action some worker had, or 404. */
  async resolve(name: string, listUrl: string): Promise<HostedAction> {
    await this.#fresh();
    const found = this.#actions.get(actionKey(name));
    if (found) return { name: found.action.name, streams: found.action.streams, input: found.action.input };
    const seen = await this.#redis.hget(`${this.#prefix}seen`, actionKey(name));
    if (this.#workers === 0 || (seen !== null && Date.now() - Number(seen) < SEEN_MS)) {
      const who = this.#workers === 0 ? 'no worker is running' : 'none of the running workers has it';
      throw new ActionError(503, 'NO_WORKER', `no worker can run ${name} now: ${who}; start one with pkt worker --redis <url> --actions <folder>`);
    }
    const names = [...this.#actions.values()].map((a) => a.action.name);
    const wanted = actionKey(name);
    const near = rankNames(wanted, names)
      .filter((c) => c.distance <= suggestionLimit(wanted) || actionKey(c.name).endsWith(`.${wanted}`))
      .slice(0, 3)
      .map((c) => c.name);
    throw unknownAction(name, near, listUrl);
  }

  /** How many live workers have the action (0: gone since it was resolved). */
  async workersFor(name: string): Promise<number> {
    this.#fetched = 0;
    await this.#fresh();
    return this.#actions.get(actionKey(name))?.workers ?? 0;
  }

  // Read at most once per beat, however many requests ask.
  async #fresh(): Promise<void> {
    if (Date.now() - this.#fetched < PRESENCE_MS) return;
    this.#refreshing ??= this.#refresh().finally(() => (this.#refreshing = undefined));
    await this.#refreshing;
  }

  async #refresh(): Promise<void> {
    const now = Date.now();
    const key = `${this.#prefix}workers`;
    await this.#redis.zremrangebyscore(key, '-inf', String(now));
    const ids = await this.#redis.zrange(key, '0', '-1');
    const manifests = ids.length ? await this.#redis.mget(ids.map((id) => `${this.#prefix}worker:${id}`)) : [];
    const actions = new Map<string, { action: ManifestAction; workers: number }>();
    let workers = 0;
    for (const text of manifests) {
      if (text === null) continue;
      workers++;
      for (const action of JSON.parse(text) as ManifestAction[]) {
        const entry = actions.get(actionKey(action.name));
        if (entry) entry.workers++;
        else actions.set(actionKey(action.name), { action, workers: 1 });
      }
    }
    this.#actions = actions;
    this.#workers = workers;
    this.#fetched = Date.now();
  }
}
