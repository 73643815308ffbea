// Which live runs give up events when the history budget is full (after every ended run has
// gone): the largest ones, oldest events first, down to a common level. A run streaming far
// more than the others pays for it; small runs keep their whole history.

export interface TrimmableLog {
  readonly bytes: number;
  /** Drops the oldest kept event; returns the bytes freed (0 when none is left). */
  dropOldest(): number;
}

/** Frees at least `excess` bytes (or everything there is) from the largest logs; returns what it freed. */
export function trimLargest(logs: readonly TrimmableLog[], excess: number): number {
  if (excess <= 0) return 0;
  const sorted = logs.filter((log) => log.bytes > 0).sort((a, b) => b.bytes - a.bytes);
  // The level: the size every log above it is cut down to, so that the cuts add up to `excess`.
  let level = 0;
  let above = 0;
  for (let i = 0; i < sorted.length; i++) {
    above += sorted[i]!.bytes;
    const next = i + 1 < sorted.length ? sorted[i + 1]!.bytes : 0;
    const freedAtNext = above - (i + 1) * next;
    if (freedAtNext >= excess) {
      level = Math.max(next, Math.floor((above - excess) / (i + 1)));
      break;
    }
  }
  let freed = 0;
  for (const log of sorted) {
    if (log.bytes <= level) break;
    while (log.bytes > level) {
      const cost = log.dropOldest();
      if (cost === 0) break;
      freed += cost;
    }
  }
  // Events are whole: the cuts above may fall a little short of `excess`; take the rest in turn.
  for (const log of sorted) {
    while (freed < excess) {
      const cost = log.dropOldest();
      if (cost === 0) break;
      freed += cost;
    }
  }
  return freed;
}
