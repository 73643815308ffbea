// Heartbeats (PROTOCOL.md §3): a `: heartbeat` comment on a stream that has been silent for
// `heartbeatMs`. One timer beats for every stream of the process with the same period, instead
// of a Timeout per stream moved on at every write: at fan-out (a write a second to each of
// thousands of streams) that was one more object per stream and a timer-list update per event.
//
// The timer ticks four times a period; a stream notes the tick of its last write (a number,
// no call into libuv), and one silent for four ticks gets its comment: after 1 to 1.25 periods
// of silence.

const TICKS_PER_PERIOD = 4;

export interface Beating {
  /** The tick of this stream's last write (or heartbeat); set by the stream, read here. */
  lastTick: number;
  /** Writes the heartbeat comment (or nothing, when bytes are waiting anyway). */
  beat(): void;
}

export class Heartbeat {
  readonly #periodMs: number;
  readonly #streams = new Set<Beating>();
  #timer: NodeJS.Timeout | undefined;
  /** Ticks so far; a stream compares its last write's tick with it. */
  tick = 0;

  constructor(periodMs: number) {
    this.#periodMs = periodMs;
  }

  add(stream: Beating): void {
    stream.lastTick = this.tick;
    this.#streams.add(stream);
    this.#timer ??= setInterval(this.#onTick, Math.max(1, Math.floor(this.#periodMs / TICKS_PER_PERIOD))).unref();
  }

  delete(stream: Beating): void {
    this.#streams.delete(stream);
    if (this.#streams.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  readonly #onTick = (): void => {
    const tick = ++this.tick;
    for (const stream of this.#streams) {
      if (tick - stream.lastTick < TICKS_PER_PERIOD) continue;
      stream.lastTick = tick;
      stream.beat();
    }
  };
}

const byPeriod = new Map<number, Heartbeat>();

/** The heartbeat every stream with this period shares. */
export function heartbeatFor(periodMs: number): Heartbeat {
  let heartbeat = byPeriod.get(periodMs);
  if (!heartbeat) byPeriod.set(periodMs, (heartbeat = new Heartbeat(periodMs)));
  return heartbeat;
}
