import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { measureRate, type RateSample } from '../../../src/cli/state/rate.js';

const options = { windowMs: 10_000, sampleEveryMs: 100 };

/** Feeds events one by one, as the reducer does, and returns the last measurement. */
function feed(points: Array<{ now: number; step?: number; total?: number; percent?: number }>, opts = options) {
  let samples: readonly RateSample[] = [];
  let measured = measureRate(samples, { now: 0, events: 0 }, opts, false);
  points.forEach((p, i) => {
    measured = measureRate(samples, { ...p, events: i + 1 }, opts, true, measured.ready);
    samples = measured.samples;
  });
  return measured;
}

describe('measureRate', () => {
  it('has nothing to say from one sample', () => {
    assert.deepEqual(feed([{ now: 1000, step: 1, total: 10 }]), {
      samples: [{ t: 1000, events: 1, step: 1 }],
      rate: undefined,
      etaMs: undefined,
      ready: false,
    });
  });

  it('no rate and no ETA on the ticks after the first event: one event against the clock is no rate', () => {
    const one = feed([{ now: 1000, step: 1, total: 10 }]);
    const tick = measureRate(one.samples, { now: 3000, events: 1, step: 1, total: 10 }, options, false, one.ready);
    assert.equal(tick.rate, undefined);
    assert.equal(tick.etaMs, undefined);
  });

  it('once two samples were taken, a stall past the window still shows the rate falling', () => {
    const m = feed([1000, 2000].map((now, i) => ({ now, step: i + 1, total: 5 })), { windowMs: 1000, sampleEveryMs: 100 });
    assert.equal(m.ready, true);
    const stalled = measureRate(m.samples, { now: 60_000, events: 2, step: 2, total: 5 }, { windowMs: 1000, sampleEveryMs: 100 }, false, m.ready);
    assert.equal(stalled.samples.length, 1, 'only the last sample is left');
    assert.deepEqual(stalled.rate, { perSecond: 0, unit: 'steps' });
  });

  it('steps per second, and the ETA from the steps left', () => {
    const m = feed([1000, 2000, 3000].map((now, i) => ({ now, step: i + 1, total: 5 })));
    assert.deepEqual(m.rate, { perSecond: 1, unit: 'steps' });
    assert.equal(m.etaMs, 2000);
  });

  it('events per second when the payloads carry no steps', () => {
    const m = feed([{ now: 1000 }, { now: 1500 }, { now: 2000 }]);
    assert.deepEqual(m.rate, { perSecond: 2, unit: 'events' });
    assert.equal(m.etaMs, undefined);
  });

  it('an ETA from how fast the percentage moves when that is all there is', () => {
    const m = feed([{ now: 1000, percent: 20 }, { now: 2000, percent: 40 }]);
    assert.equal(m.etaMs, 3000);
  });

  it('without a sample (a tick), measures against now: a silent stream slows the rate', () => {
    const m = feed([1000, 2000].map((now, i) => ({ now, step: i + 1, total: 5 })));
    const later = measureRate(m.samples, { now: 3000, events: 2, step: 2, total: 5 }, options, false, m.ready);
    assert.equal(later.samples, m.samples, 'a tick takes no sample');
    assert.deepEqual(later.rate, { perSecond: 0.5, unit: 'steps' });
  });

  it('keeps one sample per sampleEveryMs, none older than the window, and never touches the samples given', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ now: (i + 1) * 10, step: i + 1, total: 2000 }));
    const m = feed(points, { windowMs: 1000, sampleEveryMs: 100 });
    assert.ok(m.samples.length <= 1000 / 100 + 2, `samples: ${m.samples.length}`);
    assert.ok(m.samples[0]!.t >= 10_000 - 1000 - 100);
    const frozen = Object.freeze([...m.samples]);
    measureRate(frozen, { now: 20_000, events: 2000, step: 2000, total: 2000 }, options, true);
    assert.equal(frozen.length, m.samples.length);
  });
});
