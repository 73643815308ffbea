// One run's kept events, in the memory store: a ring of the latest ones, oldest dropped first.
// Seqs in the ring are consecutive (events are appended in seq order and dropped only from
// the front), so finding an event by seq is arithmetic. Each slot also keeps the running
// total of bytes before its event, so how far a follower lags, in bytes, is a subtraction.
//
// The ring keeps each event as its type and its JSON text in two parallel arrays, not as a
// StreamEvent: the id is the seq, which the slot's place gives, and the type is mostly the one
// string the action passes every time. A kept event is then one string (its JSON) instead of
// an object, an id string and the JSON. At 10,000 streams of ~25 kept events each, that took
// what the history costs from 7.1 to 2.9 KB of RSS per stream (bench/PROFILES.md (b)). Events
// are made again only for reads: replays and followers that fell behind. Live followers get
// the sent event itself.

import { StreamEvent } from '../../protocol/index.js';

/**
 * What an event costs in memory, roughly: its texts (UTF-16 units, one byte each for the
 * ASCII that JSON mostly is) and a fixed part for the object and its slot, so that a budget
 * holds for a firehose of tiny events too.
 */
export const EVENT_OVERHEAD = 64;

export function eventCost(event: StreamEvent): number {
  return event.json.length + event.type.length + event.id.length + EVENT_OVERHEAD;
}

export class EventLog {
  readonly #capacity: number;
  #types: (string | undefined)[] = [];
  #json: (string | undefined)[] = [];
  /** Bytes appended before each slot's event, over the whole run. */
  #before: number[] = [];
  #start = 0;
  #size = 0;
  /** The seq of the oldest kept event (or of the next one, when none is kept). */
  #firstSeq = 1;
  /** Bytes of every event ever appended. */
  #appended = 0;
  #bytes = 0;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  get size(): number {
    return this.#size;
  }
  get bytes(): number {
    return this.#bytes;
  }
  get firstSeq(): number {
    return this.#firstSeq;
  }
  /** The seq of the latest event, kept or not; 0 before the first. */
  get lastSeq(): number {
    return this.#firstSeq + this.#size - 1;
  }

  /** Appends the next event (its seq must be lastSeq + 1). */
  push(event: StreamEvent, cost: number): void {
    if (this.#size === this.#capacity) this.dropOldest();
    const at = (this.#start + this.#size) % this.#capacity;
    if (at === this.#json.length) {
      this.#types.push(event.type);
      this.#json.push(event.json);
      this.#before.push(this.#appended);
    } else {
      this.#types[at] = event.type;
      this.#json[at] = event.json;
      this.#before[at] = this.#appended;
    }
    this.#size++;
    this.#appended += cost;
    this.#bytes += cost;
  }

  /**
   * Counts the next event as sent without keeping it (it is larger than the store may hold):
   * everything before it goes too, so the ring never has a gap.
   */
  skip(cost: number): void {
    const next = this.lastSeq + 1;
    while (this.#size > 0) this.dropOldest();
    this.#firstSeq = next + 1;
    this.#appended += cost;
  }

  /** Drops the oldest kept event; returns its cost (0 when none was kept). */
  dropOldest(): number {
    if (this.#size === 0) return 0;
    const cost = this.#costAt(this.#start);
    this.#types[this.#start] = undefined;
    this.#json[this.#start] = undefined;
    this.#start = (this.#start + 1) % this.#capacity;
    this.#size--;
    this.#firstSeq++;
    this.#bytes -= cost;
    return cost;
  }

  /** Up to `max` kept events from `seq` on, in order (each made anew, its id its seq). */
  read(seq: number, max: number): StreamEvent[] {
    const from = Math.max(seq, this.#firstSeq);
    const count = Math.min(max, this.lastSeq - from + 1);
    const out: StreamEvent[] = [];
    for (let i = 0; i < count; i++) {
      const index = (this.#start + from - this.#firstSeq + i) % this.#capacity;
      out.push(new StreamEvent(this.#types[index]!, String(from + i), this.#json[index]!));
    }
    return out;
  }

  /** Bytes appended from `seq` on: how far behind a follower whose next event is `seq` is. */
  bytesFrom(seq: number): number {
    if (seq > this.lastSeq) return 0;
    const index = (this.#start + Math.max(0, seq - this.#firstSeq)) % this.#capacity;
    return this.#appended - this.#before[index]!;
  }

  #costAt(index: number): number {
    const next = this.#size > 1 ? this.#before[(index + 1) % this.#capacity]! : this.#appended;
    return next - this.#before[index]!;
  }
}
