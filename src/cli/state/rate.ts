// How fast a run goes and when it will be done, measured over a sliding window of samples.
// A pure function of the samples so far, the run's figures and the time: the reducer keeps
// what it returns, and tests drive it with made-up times. Memory stays bounded however long
// the run: at most one sample per `sampleEveryMs`, and none older than the window's edge.

export interface Rate {
  perSecond: number;
  /** Steps when the payloads carry step/total; events otherwise. */
  unit: 'steps' | 'events';
}

/** A point the rate is measured from. */
export interface RateSample {
  t: number;
  events: number;
  step?: number;
  percent?: number;
}

export interface RateOptions {
  /** The sliding window the rate is measured over. */
  windowMs: number;
  /** Least time between two samples; with the window, bounds the samples kept. */
  sampleEveryMs: number;
}

/** The run's figures at `now`, as the reducer holds them. */
export interface RateFigures {
  now: number;
  /** Every event seen so far. */
  events: number;
  step?: number;
  total?: number;
  percent?: number;
}

export interface Measured {
  samples: readonly RateSample[];
  rate: Rate | undefined;
  etaMs: number | undefined;
  /**
   * True once two samples have been taken: a rate needs two events at different times. Until
   * then a tick would measure one event against the clock and show "0.0 steps/s", which says
   * nothing true. It stays true, so a stream that stalls past the window still shows its rate falling.
   */
  ready: boolean;
}

/**
 * Rate and ETA over the sliding window. Samples are taken only on events (`sample`), so the
 * time to connect does not count, at most one per `sampleEveryMs`; the oldest sample still at
 * or before the window's edge is the baseline. Without a sample (a tick) the rate is measured
 * against `now`, so it falls while the stream is silent instead of freezing at its last value.
 */
export function measureRate(before: readonly RateSample[], figures: RateFigures, options: RateOptions, sample: boolean, ready = false): Measured {
  const { windowMs, sampleEveryMs } = options;
  const { now, step, total, percent, events } = figures;
  let samples = before;
  const last = samples[samples.length - 1];
  if (sample && (last === undefined || now - last.t >= sampleEveryMs)) {
    const point: RateSample = { t: now, events };
    if (step !== undefined) point.step = step;
    if (percent !== undefined) point.percent = percent;
    samples = [...samples, point];
  }
  let drop = 0;
  while (drop + 1 < samples.length && samples[drop + 1]!.t <= now - windowMs) drop++;
  if (drop > 0) samples = samples.slice(drop);

  const measured: Measured = { samples, rate: undefined, etaMs: undefined, ready: ready || samples.length >= 2 };
  const base = samples[0];
  if (!measured.ready || base === undefined || now <= base.t) return measured;

  const stepBase = samples.find((s) => s.step !== undefined);
  if (step !== undefined && total !== undefined && stepBase?.step !== undefined) {
    const perSecond = perSecondSince(stepBase.t, stepBase.step, step, now);
    if (perSecond !== undefined) {
      measured.rate = { perSecond, unit: 'steps' };
      if (perSecond > 0) measured.etaMs = (Math.max(0, total - step) / perSecond) * 1000;
    }
  }
  if (measured.rate === undefined) {
    const perSecond = perSecondSince(base.t, base.events, events, now);
    if (perSecond !== undefined) measured.rate = { perSecond, unit: 'events' };
  }
  if (measured.etaMs === undefined && percent !== undefined) {
    // Payloads with only `percent`: the ETA comes from how fast the percentage moves.
    const percentBase = samples.find((s) => s.percent !== undefined);
    if (percentBase?.percent !== undefined) {
      const perSecond = perSecondSince(percentBase.t, percentBase.percent, percent, now);
      if (perSecond !== undefined && perSecond > 0) measured.etaMs = ((100 - percent) / perSecond) * 1000;
    }
  }
  return measured;
}

function perSecondSince(t0: number, from: number, to: number, now: number): number | undefined {
  if (now <= t0 || to < from) return undefined;
  return ((to - from) / (now - t0)) * 1000;
}
