// The in-memory run store: a ring of the last N events per run, and a sweep that forgets
// ended runs after the retention time, so history costs bounded memory however long it runs.

import { seqOf, type StreamEvent } from '../../protocol/index.js';
import type { RunHistory, RunStore } from './store.js';

interface Entry {
  ring: (StreamEvent | undefined)[];
  /** Index in `ring` of the oldest kept event. */
  start: number;
  size: number;
  /** The kept events' data, in UTF-16 code units: what they cost in memory, roughly. */
  bytes: number;
  endedAt: number | null;
}

export interface MemoryRunStoreOptions {
  maxEvents: number;
  /** Kept data per run; the oldest events go first when a run passes it. */
  maxBytes?: number;
  retentionMs: number;
  now?: () => number;
}

export class MemoryRunStore implements RunStore {
  readonly #runs = new Map<string, Entry>();
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #retentionMs: number;
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: MemoryRunStoreOptions) {
    this.#maxEvents = Math.max(1, options.maxEvents);
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#retentionMs = options.retentionMs;
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.sweep(), Math.min(60_000, Math.max(1000, this.#retentionMs / 4)));
    this.#sweeper.unref();
  }

  append(runId: string, event: StreamEvent): void {
    let entry = this.#runs.get(runId);
    if (!entry) {
      entry = { ring: [], start: 0, size: 0, bytes: 0, endedAt: null };
      this.#runs.set(runId, entry);
    }
    if (entry.size === this.#maxEvents) this.#dropOldest(entry);
    // The ring is laid out from `start`; after drops it may have a gap before `start`.
    const at = (entry.start + entry.size) % this.#maxEvents;
    if (at === entry.ring.length) entry.ring.push(event);
    else entry.ring[at] = event;
    entry.size++;
    entry.bytes += cost(event);
    while (entry.bytes > this.#maxBytes && entry.size > 1) this.#dropOldest(entry);
  }

  #dropOldest(entry: Entry): void {
    entry.bytes -= cost(entry.ring[entry.start]!);
    entry.ring[entry.start] = undefined;
    entry.start = (entry.start + 1) % this.#maxEvents;
    entry.size--;
  }

  end(runId: string): void {
    const entry = this.#runs.get(runId);
    if (entry) entry.endedAt = this.#now();
    else this.#runs.set(runId, { ring: [], start: 0, size: 0, bytes: 0, endedAt: this.#now() });
  }

  read(runId: string, afterSeq: number): RunHistory | undefined {
    const entry = this.#runs.get(runId);
    if (!entry || this.#expired(entry)) return undefined;
    const events: StreamEvent[] = [];
    for (let i = 0; i < entry.size; i++) {
      const e = entry.ring[(entry.start + i) % this.#maxEvents]!;
      if (seqOf(e) > afterSeq) events.push(e);
    }
    const oldest = entry.size > 0 ? seqOf(entry.ring[entry.start]!) : afterSeq + 1;
    return { events, ended: entry.endedAt !== null, complete: oldest <= afterSeq + 1 };
  }

  sweep(): void {
    for (const [id, entry] of this.#runs) if (this.#expired(entry)) this.#runs.delete(id);
  }

  close(): void {
    clearInterval(this.#sweeper);
    this.#runs.clear();
  }

  #expired(entry: Entry): boolean {
    return entry.endedAt !== null && this.#now() - entry.endedAt > this.#retentionMs;
  }
}

function cost(event: StreamEvent): number {
  return event.json.length + event.type.length;
}
