import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ActionError, readProgress, StreamEvent } from '../../../src/protocol/index.js';
import {
  initialRunState,
  reduceRun,
  type RunAction,
  type RunState,
  type ReducerOptions,
} from '../../../src/cli/state/reducer.js';
import { wireEvent } from '../../helpers/events.js';

const info = { action: 'task.process', url: 'http://127.0.0.1:4000', streaming: true };

function run(actions: RunAction[], options: Partial<ReducerOptions> = {}): RunState {
  return actions.reduce(reduceRun, initialRunState(options));
}

const ev = (data: unknown, now: number, type = 'progress', id = ''): RunAction => ({
  type: 'event',
  event: wireEvent(type, id, data),
  now,
});

/** Freezes a state all the way down, so a reducer that mutates its input throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('reduceRun: progress readings', () => {
  const cases: Array<{ name: string; data: unknown[]; percent?: number; step?: number; total?: number; message?: string }> = [
    { name: 'percent from step/total', data: [{ step: 3, total: 4 }], percent: 75, step: 3, total: 4 },
    { name: 'current/total as Piko sends it', data: [{ current: 1, total: 8 }], percent: 12.5, step: 1, total: 8 },
    { name: 'a percent field', data: [{ percent: 42 }], percent: 42 },
    { name: 'percent wins over step/total', data: [{ percent: 10, step: 9, total: 10 }], percent: 10, step: 9, total: 10 },
    { name: 'percent clamped to 100', data: [{ percent: 250 }], percent: 100 },
    { name: 'no progress figures', data: [{ hello: 'world' }] },
    { name: 'a later event without figures keeps the bar', data: [{ step: 1, total: 2 }, 'just a string'], percent: 50, step: 1, total: 2, message: 'just a string' },
    { name: 'the latest message', data: [{ message: 'one' }, { message: 'two', percent: 5 }], percent: 5, message: 'two' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = run([{ type: 'start', info, now: 0 }, ...c.data.map((d, i) => ev(d, i + 1))]);
      assert.equal(s.percent, c.percent);
      assert.equal(s.step, c.step);
      assert.equal(s.total, c.total);
      assert.equal(s.message, c.message);
      assert.equal(s.events, c.data.length);
      assert.equal(s.status, 'running');
    });
  }
});

describe('reduceRun: run lifecycle', () => {
  it('starts, takes the run id, counts events and elapsed time from `now`', () => {
    const s = run([
      { type: 'start', info, now: 1000 },
      { type: 'runId', runId: 'r1', now: 1100 },
      ev({ step: 1, total: 2 }, 1500),
      { type: 'tick', now: 2500 },
    ]);
    assert.equal(s.action, 'task.process');
    assert.equal(s.url, info.url);
    assert.equal(s.runId, 'r1');
    assert.equal(s.status, 'running');
    assert.equal(s.events, 1);
    assert.equal(s.elapsedMs, 1500);
  });

  it('is starting until the run id or an event comes', () => {
    assert.equal(run([{ type: 'start', info, now: 0 }]).status, 'starting');
  });

  it('completes: result kept, bar at 100%, elapsed frozen, later actions ignored', () => {
    const done = run([
      { type: 'start', info, now: 0 },
      ev({ step: 9, total: 10 }, 900),
      ev({ ok: true }, 950, 'complete', '2'),
      { type: 'finish', outcome: { ok: true, result: { ok: true } }, now: 1000 },
    ]);
    assert.equal(done.status, 'complete');
    assert.deepEqual(done.result, { ok: true });
    assert.equal(done.percent, 100);
    assert.equal(done.elapsedMs, 1000);
    assert.equal(done.etaMs, undefined);
    const later = reduceRun(reduceRun(done, { type: 'tick', now: 5000 }), ev({ step: 1, total: 10 }, 6000));
    assert.equal(later, done);
  });

  it('an error outcome keeps the error body with its field errors', () => {
    const error = new ActionError(422, 'INVALID_INPUT', 'Input is invalid', { name: ['Required'] });
    const s = run([{ type: 'start', info, now: 0 }, { type: 'finish', outcome: { ok: false, error }, now: 20 }]);
    assert.equal(s.status, 'error');
    assert.deepEqual(s.error, { status: 422, code: 'INVALID_INPUT', message: 'Input is invalid', errors: { name: ['Required'] } });
  });

  it('an interrupted outcome is its own status', () => {
    const error = new ActionError(499, 'CANCELLED', 'run r1 cancelled on the server');
    const s = run([{ type: 'start', info, now: 0 }, { type: 'finish', outcome: { ok: false, error, interrupted: true }, now: 5 }]);
    assert.equal(s.status, 'interrupted');
    assert.equal(s.error?.code, 'CANCELLED');
  });

  it('an `error` event records the server error before finish', () => {
    const s = run([{ type: 'start', info, now: 0 }, ev({ status: 500, code: 'INTERNAL', message: 'boom' }, 10, 'error', '3')]);
    assert.deepEqual(s.error, { status: 500, code: 'INTERNAL', message: 'boom' });
    assert.equal(s.log.at(-1)?.type, 'error');
  });

  it('a clock that steps back never makes elapsed time shrink', () => {
    const s = run([{ type: 'start', info, now: 100 }, { type: 'tick', now: 600 }, { type: 'tick', now: 300 }]);
    assert.equal(s.elapsedMs, 500);
  });

  it('copies every field of the state, whatever it holds: none is dropped on the way', () => {
    // A field the reducer knows nothing of, as a new one would be until someone wires it in.
    const start = { ...initialRunState(), note: 'kept' } as RunState & { note: string };
    const actions: RunAction[] = [
      { type: 'start', info, now: 0 },
      { type: 'runId', runId: 'r1', now: 1 },
      ev({ step: 1, total: 2 }, 2),
      { type: 'events', events: [wireEvent('progress', '2', { step: 2, total: 2 })], now: 3 },
      { type: 'tick', now: 4 },
      { type: 'finish', outcome: { ok: true, result: 1 }, now: 5 },
    ];
    let s: RunState = start;
    for (const action of actions) {
      s = reduceRun(s, action);
      assert.equal((s as typeof start).note, 'kept', action.type);
    }
  });

  it('remembers which terminal event the stream brought, through finish', () => {
    const failed = run([
      { type: 'start', info, now: 0 },
      ev({ status: 500, code: 'INTERNAL', message: 'boom' }, 10, 'error', '3'),
      { type: 'finish', outcome: { ok: false, error: new ActionError(500, 'INTERNAL', 'boom') }, now: 20 },
    ]);
    assert.equal(failed.terminalEvent, 'error');
    const done = run([{ type: 'start', info, now: 0 }, ev({ ok: 1 }, 10, 'complete', '2')]);
    assert.equal(done.terminalEvent, 'complete');
    const refused = run([
      { type: 'start', info, now: 0 },
      { type: 'finish', outcome: { ok: false, error: new ActionError(422, 'INVALID_INPUT', 'no') }, now: 5 },
    ]);
    assert.equal(refused.terminalEvent, undefined, 'a 422 brings no event');
  });

  it('never mutates the state it is given', () => {
    let s = deepFreeze(run([{ type: 'start', info, now: 0 }]));
    for (let i = 1; i <= 300; i++) s = deepFreeze(reduceRun(s, ev({ step: i, total: 300, message: `m${i}` }, i * 20)));
    s = deepFreeze(reduceRun(s, { type: 'tick', now: 9000 }));
    s = reduceRun(s, { type: 'finish', outcome: { ok: true, result: 1 }, now: 9001 });
    assert.equal(s.status, 'complete');
  });
});

describe('reduceRun: the log', () => {
  it('keeps only the latest `logLimit` events, in order', () => {
    const actions: RunAction[] = [{ type: 'start', info, now: 0 }];
    for (let i = 1; i <= 1000; i++) actions.push(ev({ message: `item ${i}` }, i, 'progress', String(i)));
    const s = run(actions, { logLimit: 10 });
    assert.equal(s.log.length, 10);
    assert.deepEqual(s.log.map((e) => e.n), [991, 992, 993, 994, 995, 996, 997, 998, 999, 1000]);
    assert.deepEqual(s.log.at(-1), { n: 1000, id: '1000', type: 'progress', text: 'item 1000' });
  });

  it('shows the message, else compact JSON, cut to `textLimit`', () => {
    const s = run(
      [
        { type: 'start', info, now: 0 },
        ev({ message: 'hello', step: 1, total: 2 }, 1),
        ev({ a: 1, b: [true, null] }, 2, 'log'),
        ev({ blob: 'x'.repeat(10_000) }, 3, 'log'),
      ],
      { textLimit: 40 },
    );
    assert.deepEqual(s.log.map((e) => e.text.length <= 40), [true, true, true]);
    assert.equal(s.log[0]?.text, 'hello');
    assert.equal(s.log[1]?.text, '{"a":1,"b":[true,null]}');
    assert.match(s.log[2]?.text ?? '', /^\{"blob":"x+…$/);
  });

  it('stays bounded over a long run', () => {
    let s = run([{ type: 'start', info, now: 0 }], { logLimit: 50, windowMs: 5000, sampleEveryMs: 100 });
    const message = 'm'.repeat(500);
    for (let i = 1; i <= 200_000; i++) {
      const event = new StreamEvent('progress', '', `{"step":${i},"total":200000,"message":"${message}"}`);
      s = reduceRun(s, { type: 'event', event, now: i });
    }
    assert.equal(s.events, 200_000);
    assert.equal(s.log.length, 50);
    assert.ok(s.log.every((entry) => entry.text.length <= s.options.textLimit));
    // Samples: one per 100 ms over a 5 s window, plus the baseline.
    assert.ok(s.samples.length <= 5000 / 100 + 2, `samples: ${s.samples.length}`);
  });
});

describe('reduceRun: rate and ETA from injected time', () => {
  const steps = (times: number[], total = 10) =>
    run([{ type: 'start', info, now: 0 }, ...times.map((t, i) => ev({ step: i + 1, total }, t))], { windowMs: 60_000 });

  const cases: Array<{ name: string; state: () => RunState; rate?: { perSecond: number; unit: string }; etaMs?: number }> = [
    { name: 'no rate from a single event', state: () => steps([1000]) },
    { name: 'one step a second, five to go', state: () => steps([1000, 2000, 3000, 4000, 5000]), rate: { perSecond: 1, unit: 'steps' }, etaMs: 5000 },
    { name: 'two steps a second', state: () => steps([1000, 1500, 2000, 2500, 3000]), rate: { perSecond: 2, unit: 'steps' }, etaMs: 2500 },
    {
      name: 'events per second without step/total',
      state: () => run([{ type: 'start', info, now: 0 }, ev('a', 1000), ev('b', 1250), ev('c', 1500)]),
      rate: { perSecond: 4, unit: 'events' },
    },
    {
      name: 'ETA from percent alone',
      state: () => run([{ type: 'start', info, now: 0 }, ev({ percent: 10 }, 1000), ev({ percent: 30 }, 3000)]),
      rate: { perSecond: 0.5, unit: 'events' },
      etaMs: 7000,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = c.state();
      assert.deepEqual(s.rate, c.rate);
      if (c.etaMs === undefined) assert.equal(s.etaMs, undefined);
      else assert.ok(Math.abs((s.etaMs ?? NaN) - c.etaMs) < 1e-6, `eta ${s.etaMs}`);
    });
  }

  it('the rate falls while the stream is silent', () => {
    const s = steps([1000, 2000, 3000]);
    assert.equal(s.rate?.perSecond, 1);
    const stalled = reduceRun(s, { type: 'tick', now: 5000 });
    assert.equal(stalled.rate?.perSecond, 0.5);
    assert.ok((stalled.etaMs ?? 0) > (s.etaMs ?? Infinity));
  });

  it('measures over the sliding window only', () => {
    // Slow at first (1 step per second), then fast (10 per second) for longer than the window.
    const times: number[] = [];
    for (let i = 1; i <= 5; i++) times.push(i * 1000);
    for (let i = 1; i <= 100; i++) times.push(5000 + i * 100);
    const s = run([{ type: 'start', info, now: 0 }, ...times.map((t, i) => ev({ step: i + 1, total: 1000 }, t))], {
      windowMs: 2000,
      sampleEveryMs: 100,
    });
    assert.ok(Math.abs((s.rate?.perSecond ?? 0) - 10) < 0.01, `rate ${s.rate?.perSecond}`);
  });
});

describe('events in a batch', () => {
  const events: StreamEvent[] = Array.from({ length: 250 }, (_, i) =>
    wireEvent('progress', String(i + 1), { step: i + 1, total: 250, message: `item ${i + 1}` }),
  );

  it('reach the same state as one event at a time, the log included', () => {
    const start: RunAction = { type: 'start', info, now: 0 };
    const one = run([start, ...events.map((event): RunAction => ({ type: 'event', event, now: 10 }))], { logLimit: 20 });
    const batch = run([start, { type: 'events', events: events.slice(0, 100), now: 10 }, { type: 'events', events: events.slice(100), now: 10 }], { logLimit: 20 });
    assert.deepEqual(
      [batch.events, batch.step, batch.total, batch.percent, batch.message, batch.log],
      [one.events, one.step, one.total, one.percent, one.message, one.log],
    );
    assert.equal(batch.log.length, 20);
    assert.equal(batch.log.at(-1)!.n, 250);
  });

  it('log: false counts the events and reads their figures, but makes no log lines', () => {
    const state = run([{ type: 'start', info, now: 0 }, { type: 'events', events: events.slice(0, 3), now: 1 }, { type: 'events', events: events.slice(3, 50), now: 2, log: false }], { logLimit: 10 });
    assert.deepEqual(state.log.map((e) => e.n), [1, 2, 3]);
    assert.deepEqual([state.events, state.step, state.message], [50, 50, 'item 50']);
  });

  it('progress: false parses no progress payload (JSON Lines show none), only the terminal one', () => {
    let reads = 0;
    class Counted extends StreamEvent {
      override get data(): unknown {
        reads += 1;
        return super.data;
      }
    }
    const batch = [new Counted('progress', '1', '{"step":1,"total":2,"message":"a"}'), new Counted('complete', '2', '{"ok":true}')];
    const state = run([{ type: 'start', info, now: 0 }, { type: 'events', events: batch, now: 1 }], { logLimit: 0, progress: false });
    assert.deepEqual([state.events, state.step, state.message, state.terminalEvent, state.result], [2, undefined, undefined, 'complete', { ok: true }]);
    assert.equal(reads, 1, 'the complete event only');
  });

  it('keep older lines when a batch is smaller than the log', () => {
    const state = run([{ type: 'start', info, now: 0 }, { type: 'events', events: events.slice(0, 15), now: 1 }, { type: 'events', events: events.slice(15, 20), now: 2 }], { logLimit: 10 });
    assert.deepEqual(state.log.map((e) => e.n), [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });
});

describe('events in batches of any size, against one at a time', () => {
  const payload = fc.oneof(
    fc.record({ step: fc.integer({ min: 0, max: 50 }), total: fc.integer({ min: 0, max: 50 }) }, { requiredKeys: [] }),
    fc.record({ percent: fc.double({ min: -10, max: 200, noNaN: true }), message: fc.string({ maxLength: 5 }) }, { requiredKeys: [] }),
    fc.string({ maxLength: 5 }),
    fc.constant(null),
  );
  const event = fc.oneof(
    { weight: 8, arbitrary: fc.record({ type: fc.constant('progress'), data: payload }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('complete'), data: payload }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('error'), data: fc.record({ status: fc.constant(500), code: fc.constant('INTERNAL'), message: fc.string({ maxLength: 5 }) }) }) },
  );
  /** The figures as the events set them one after another, each defined reading winning. */
  const forward = (events: StreamEvent[]) => {
    const m: Record<string, unknown> = {};
    for (const e of events) {
      if (e.type === 'complete') [m.result, m.terminalEvent] = [e.data, 'complete'];
      else if (e.type === 'error') [m.error, m.terminalEvent] = [ActionError.fromBody(e.data).toJSON(), 'error'];
      else for (const [key, value] of Object.entries(readProgress(e.data))) if (value !== undefined) m[key] = value;
    }
    return [m.percent, m.step, m.total, m.message, m.result, m.error, m.terminalEvent];
  };
  const seen = (s: RunState) => [s.events, s.status, s.percent, s.step, s.total, s.message, s.result, s.error, s.terminalEvent, s.log];

  it('reach the same state: figures, result, error, the terminal event and the log', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 10 }), (raw, sizes) => {
        const events: StreamEvent[] = raw.map((e, i) => wireEvent(e.type, String(i + 1), e.data));
        const start: RunAction = { type: 'start', info, now: 0 };
        const one = run([start, ...events.map((e): RunAction => ({ type: 'event', event: e, now: 1 }))], { logLimit: 7 });
        const batches: RunAction[] = [start];
        for (let at = 0, k = 0; at < events.length; k++) {
          const size = sizes[k % sizes.length]!;
          batches.push({ type: 'events', events: events.slice(at, at + size), now: 1 });
          at += size;
        }
        assert.deepEqual(seen(run(batches, { logLimit: 7 })), seen(one));
        assert.deepEqual(seen(one).slice(2, 9), forward(events));
      }),
    );
  });

  it('events reduced without log lines, then at least logLimit more: the same state as all at once', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 9 }), (raw, cut, logLimit) => {
        const events: StreamEvent[] = raw.map((e, i) => wireEvent(e.type, String(i + 1), e.data));
        // As the live view does: older events go in batches without lines, the last logLimit wait.
        const older = events.slice(0, Math.min(cut, Math.max(0, events.length - logLimit)));
        const start: RunAction = { type: 'start', info, now: 0 };
        const whole = run([start, { type: 'events', events, now: 1 }], { logLimit });
        const split = run(
          [start, { type: 'events', events: older, now: 1, log: false }, { type: 'events', events: events.slice(older.length), now: 1 }],
          { logLimit },
        );
        assert.deepEqual(seen(split), seen(whole));
      }),
    );
  });
});


describe('a restart (the action started again on another worker)', () => {
  const restart = { attempt: 2, reason: 'the worker running it was lost' };

  it('starts the bar over and says why in the log, one event at a time', () => {
    const state = run([
      { type: 'start', info, now: 0 },
      ev({ step: 3, total: 10, message: 'three' }, 100, 'progress', '3'),
      ev(restart, 200, 'restart', '4'),
    ]);
    assert.equal(state.percent, undefined);
    assert.equal(state.step, undefined);
    assert.equal(state.message, undefined);
    assert.equal(state.log.at(-1)!.text, 'started again (attempt 2): the worker running it was lost');
    const after = reduceRun(state, ev({ step: 1, total: 10 }, 300, 'progress', '5'));
    assert.equal(after.percent, 10);
  });

  it('in a batch, only what came after the restart counts', () => {
    const events = [
      wireEvent('progress', '1', { step: 8, total: 10 }),
      wireEvent('restart', '2', restart),
      wireEvent('progress', '3', { step: 1, total: 10 }),
    ];
    const state = run([{ type: 'start', info, now: 0 }, { type: 'events', events, now: 50 }]);
    assert.equal(state.step, 1);
    assert.equal(state.percent, 10);
    const justRestarted = run([{ type: 'start', info, now: 0 }, { type: 'events', events: events.slice(0, 2), now: 50 }]);
    assert.equal(justRestarted.percent, undefined);
  });
});
