// The live region's text: header, status line, the end of a run. Plain strings, so the tests
// read them as a person would.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActionError } from '../../../src/protocol/index.js';
import { doneText, failureText, headerText, liveLines, spinnerFrame, statusText } from '../../../src/cli/state/live-text.js';
import { createPaint } from '../../../src/cli/state/paint.js';
import { initialRunState, reduceRun, type RunAction, type RunState } from '../../../src/cli/state/reducer.js';
import { wireEvent } from '../../helpers/events.js';

const plain = createPaint(false);
const info = { action: 'task.process', url: 'http://127.0.0.1:4000', streaming: true };

function stateAfter(actions: RunAction[]): RunState {
  return actions.reduce(reduceRun, initialRunState({ logLimit: 50 }));
}

function steps(n: number, total: number, msPerStep = 500, extra: Partial<typeof info> & { embedded?: boolean } = {}): RunAction[] {
  const actions: RunAction[] = [
    { type: 'start', info: { ...info, ...extra }, now: 0 },
    { type: 'runId', runId: 'run_abc123', now: 10 },
  ];
  for (let i = 1; i <= n; i++) {
    actions.push({ type: 'event', event: wireEvent('progress', String(i), { step: i, total, message: `Processing item ${i}` }), now: i * msPerStep });
  }
  return actions;
}

describe('headerText', () => {
  it('names the action, the run and the server', () => {
    assert.equal(headerText({ action: 'task.process', runId: 'run_abc', url: 'http://h:1', embedded: false }, 100, plain), '▸ task.process · run run_abc · http://h:1');
  });

  it('says `embedded` for the server inside pkt, whose URL is gone when pkt ends', () => {
    assert.equal(headerText({ action: 'task.process', url: 'http://127.0.0.1:39123', embedded: true }, 100, plain), '▸ task.process · embedded');
  });

  it('is cut to the width, never wrapped', () => {
    const text = headerText({ action: 'task.process', runId: 'x'.repeat(40), url: 'http://h:1', embedded: false }, 30, plain);
    assert.equal([...text].length, 30);
    assert.ok(text.endsWith('…'));
  });
});

describe('statusText', () => {
  it('before the first event: a spinner and "waiting for the first event"', () => {
    const s = stateAfter([{ type: 'start', info, now: 0 }, { type: 'tick', now: 300 }]);
    assert.equal(statusText(s, 100, plain), `${spinnerFrame(300)} waiting for the first event · 0.3 s`);
  });

  it('with --no-stream: waiting for the result', () => {
    const s = stateAfter([{ type: 'start', info: { ...info, streaming: false }, now: 0 }]);
    assert.match(statusText(s, 100, plain), /waiting for the result/);
  });

  it('after one event: the bar and the step, but no rate and no ETA yet', () => {
    const s = stateAfter([...steps(1, 8), { type: 'tick', now: 2000 }]);
    const line = statusText(s, 100, plain);
    assert.match(line, /█+░+ 12% 1\/8 · 2\.0 s elapsed$/);
    assert.doesNotMatch(line, /steps\/s|ETA/);
  });

  it('from the second event on: rate and ETA', () => {
    const line = statusText(stateAfter(steps(3, 8)), 100, plain);
    assert.match(line, /^. █+░+ 37% 3\/8 · 2\.0 steps\/s · ETA 2\.5 s · 1\.5 s elapsed$/);
    const filled = [...line].filter((c) => c === '█').length;
    const empty = [...line].filter((c) => c === '░').length;
    assert.equal(filled + empty, 40, 'the widest bar at 100 columns');
  });

  it('at 40 to 50 columns the bar, the percentage and the ETA win over the rate', () => {
    const s = stateAfter(steps(3, 8));
    for (const columns of [40, 45, 50]) {
      const line = statusText(s, columns, plain);
      assert.ok([...line].length <= columns, `${columns}: ${line}`);
      assert.match(line, /█+░+ 37% .*ETA 2\.5 s/, `${columns}: ${line}`);
      assert.doesNotMatch(line, /steps\/s/, `${columns}: ${line}`);
    }
  });

  it('never wider than the terminal, down to a handful of columns', () => {
    const s = stateAfter(steps(3, 8));
    for (let columns = 5; columns <= 120; columns++) {
      assert.ok([...statusText(s, columns, plain)].length <= columns, `at ${columns}`);
    }
  });

  it('without progress figures, counts the events', () => {
    const s = stateAfter([{ type: 'start', info, now: 0 }, { type: 'event', event: wireEvent('log', '', 'hi'), now: 300 }]);
    assert.equal(statusText(s, 100, plain), `${spinnerFrame(300)} 1 event · 0.3 s elapsed`);
  });

  it('says reconnecting… while the stream is lost, with what was known; no more once it is back', () => {
    const lost = stateAfter([...steps(3, 8), { type: 'connection', state: 'reconnecting', now: 1600 }]);
    const line = statusText(lost, 100, plain);
    assert.match(line, /^. reconnecting… · 37% · 1\.6 s elapsed$/);
    assert.ok([...statusText(lost, 12, plain)].length <= 12);
    const back = reduceRun(lost, { type: 'connection', state: 'connected', now: 1700 });
    assert.doesNotMatch(statusText(back, 100, plain), /reconnecting/);
  });

  it('paints only when colour is on', () => {
    const s = stateAfter(steps(3, 8));
    assert.ok(statusText(s, 100, createPaint(true)).includes('\u001b[36m'));
    assert.ok(!statusText(s, 100, plain).includes('\u001b'));
  });
});

describe('the end of a run', () => {
  it('one summary line: done, how long, how many events (the terminal one not counted)', () => {
    const s = stateAfter([...steps(5, 5), { type: 'event', event: wireEvent('complete', '6', { ok: 1 }), now: 2600 }, { type: 'finish', outcome: { ok: true, result: { ok: 1 } }, now: 2600 }]);
    assert.equal(doneText(s, 100, plain), '✔ done in 2.6 s · 5 events');
    assert.deepEqual(liveLines(s, { rows: 30, columns: 100, header: false }, plain), ['✔ done in 2.6 s · 5 events']);
  });

  it('the error message, then the invalid fields, as many as fit', () => {
    const error = new ActionError(422, 'INVALID_INPUT', 'Input is invalid', Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}`, ['bad']])));
    const s = stateAfter([{ type: 'start', info, now: 0 }, { type: 'finish', outcome: { ok: false, error }, now: 5 }]);
    assert.deepEqual(failureText(s, 80, 10, plain), ['✖ Input is invalid', '  --f0: bad', '  --f1: bad', '  --f2: bad', '  --f3: bad', '  --f4: bad', '  --f5: bad']);
    assert.deepEqual(failureText(s, 80, 3, plain), ['✖ Input is invalid', '  --f0: bad', '  --f1: bad', '  … 4 more']);
    assert.equal(liveLines(s, { rows: 4, columns: 80, header: false }, plain).length, 3, 'shorter than the terminal');
  });

  it('a run that goes on says so, not "cancelled"', () => {
    const error = new ActionError(499, 'STOPPED_WATCHING', 'stopped watching; run r1 goes on: pkt attach r1 --url http://h:1');
    const s = stateAfter([{ type: 'start', info, now: 0 }, { type: 'finish', outcome: { ok: false, error, interrupted: true }, now: 5 }]);
    assert.deepEqual(failureText(s, 80, 0, plain), ['✖ stopped watching; run r1 goes on: pkt attach r1 --url http://h:1']);
  });

  it('a cancelled run says so', () => {
    const error = new ActionError(499, 'CANCELLED', 'run run_abc123 cancelled on the server');
    const s = stateAfter([{ type: 'start', info, now: 0 }, { type: 'finish', outcome: { ok: false, error, interrupted: true }, now: 5 }]);
    assert.deepEqual(failureText(s, 80, 0, plain), ['✖ cancelled (run run_abc123 cancelled on the server)']);
  });
});

describe('liveLines', () => {
  it('the header and the status line while the header is live; the status line alone after', () => {
    const s = stateAfter(steps(2, 8, 500, { embedded: true }));
    const withHeader = liveLines(s, { rows: 30, columns: 100, header: true }, plain);
    assert.equal(withHeader.length, 2);
    assert.equal(withHeader[0], '▸ task.process · run run_abc123 · embedded');
    assert.equal(liveLines(s, { rows: 30, columns: 100, header: false }, plain).length, 1);
  });

  it('always shorter than the terminal, a terminal that says 0 rows included', () => {
    const s = stateAfter(steps(2, 8));
    for (const rows of [0, 1, 2, 3, 8]) {
      const lines = liveLines(s, { rows, columns: 80, header: true }, plain);
      assert.ok(rows === 0 ? lines.length <= 2 : lines.length < Math.max(2, rows), `rows ${rows}: ${lines.length}`);
    }
  });
});
