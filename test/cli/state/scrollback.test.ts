// What each frame writes for good above the live region: the header, the events, and under a
// firehose a cap per frame with one line for what was held back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialRunState, reduceRun, type RunState } from '../../../src/cli/state/reducer.js';
import { EMPTY_SCROLLBACK, FLOOD_TAIL, LINES_PER_FRAME, moreText, planScrollback, type PermanentLine, type Scrollback } from '../../../src/cli/state/scrollback.js';
import { wireEvent } from '../../helpers/events.js';

const info = { action: 'demo.firehose', url: 'http://127.0.0.1:4000', streaming: true };

/** Runs frames of `batches[i]` events each through the reducer and the planner, as the view does. */
function frames(batches: number[], opts: { runId?: boolean; finish?: boolean } = {}) {
  let state: RunState = reduceRun(initialRunState(), { type: 'start', info, now: 0 });
  if (opts.runId !== false) state = reduceRun(state, { type: 'runId', runId: 'r1', now: 1 });
  let scrollback: Scrollback = EMPTY_SCROLLBACK;
  const written: PermanentLine[][] = [];
  let n = 0;
  batches.forEach((count, f) => {
    const events = Array.from({ length: count }, () => {
      n += 1;
      return wireEvent('progress', String(n), { message: `event ${n}` });
    });
    state = reduceRun(state, { type: 'events', events, now: (f + 1) * 50 });
    const planned = planScrollback(scrollback, state);
    scrollback = planned.scrollback;
    written.push(planned.lines);
  });
  if (opts.finish) {
    state = reduceRun(state, { type: 'events', events: [wireEvent('complete', String(n + 1), { done: true })], now: 9999 });
    state = reduceRun(state, { type: 'finish', outcome: { ok: true, result: { done: true } }, now: 9999 });
    const planned = planScrollback(scrollback, state);
    scrollback = planned.scrollback;
    written.push(planned.lines);
  }
  return { written, all: written.flat(), scrollback };
}

const text = (line: PermanentLine) => (line.kind === 'header' ? 'header' : line.kind === 'more' ? moreText(line.count) : line.entry.text);

describe('planScrollback', () => {
  it('the header first, once the run has an id, then every event in order, the terminal one not among them', () => {
    const { all } = frames([0, 2, 3], { finish: true });
    assert.deepEqual(all.map(text), ['header', 'event 1', 'event 2', 'event 3', 'event 4', 'event 5']);
  });

  it('a server that sends no run id: the header goes up with the first event', () => {
    const { written } = frames([0, 1], { runId: false });
    assert.deepEqual(written[0], []);
    assert.deepEqual(written[1]!.map(text), ['header', 'event 1']);
  });

  it('a firehose: at most the cap per frame, then one line for the rest and the last few', () => {
    const { written, all } = frames([3, 5000, 5000, 5000], { finish: true });
    for (const lines of written) assert.ok(lines.filter((l) => l.kind === 'event').length <= Math.max(LINES_PER_FRAME, FLOOD_TAIL));
    const events = 3 + 15_000;
    const more = all.filter((l) => l.kind === 'more');
    assert.deepEqual(more.map(text), [moreText(15_000 - FLOOD_TAIL)]);
    assert.equal(moreText(99_812), '… 99,812 more events; --json shows all');
    // Every event is accounted for, once: written, or counted in a summary.
    const shown = all.filter((l) => l.kind === 'event').length;
    assert.equal(shown + 15_000 - FLOOD_TAIL, events);
    assert.deepEqual(all.slice(-FLOOD_TAIL).map(text), Array.from({ length: FLOOD_TAIL }, (_, i) => `event ${events - FLOOD_TAIL + 1 + i}`));
  });

  it('a burst: lines go on after it, below the summary of what it held back', () => {
    const { all } = frames([2, 500, 2]);
    assert.deepEqual(all.map(text), [
      'header',
      'event 1',
      'event 2',
      moreText(500 - FLOOD_TAIL),
      ...Array.from({ length: FLOOD_TAIL }, (_, i) => `event ${502 - FLOOD_TAIL + 1 + i}`),
      'event 503',
      'event 504',
    ]);
  });

  it('a frame of exactly the cap is no flood', () => {
    const { all } = frames([LINES_PER_FRAME]);
    assert.equal(all.filter((l) => l.kind === 'event').length, LINES_PER_FRAME);
    assert.equal(all.filter((l) => l.kind === 'more').length, 0);
  });
});
