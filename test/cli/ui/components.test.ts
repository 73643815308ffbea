// The Ink components, drawn with ink-testing-library. Plain `createElement` rather than JSX,
// so the file matches the `*.test.ts` glob that `npm test` runs.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createElement } from 'react';
import { cleanup, render } from 'ink-testing-library';
import { ActionError } from '../../../src/protocol/index.js';
import { initialRunState, reduceRun, type RunAction, type RunState } from '../../../src/cli/state/reducer.js';
import { ProgressBar } from '../../../src/cli/ui/ProgressBar.js';
import { EventLog } from '../../../src/cli/ui/EventLog.js';
import { FinalLine } from '../../../src/cli/ui/FinalLine.js';
import { Header } from '../../../src/cli/ui/Header.js';
import { wireEvent } from '../../helpers/events.js';
import { RunView } from '../../../src/cli/ui/RunView.js';
import { createPaint } from '../../../src/cli/ui/paint.js';

const plain = createPaint(false);
const info = { action: 'task.process', url: 'http://127.0.0.1:4000', streaming: true };
const ESC = '\u001b';

afterEach(() => cleanup());

function stateAfter(actions: RunAction[]): RunState {
  return actions.reduce(reduceRun, initialRunState({ logLimit: 50 }));
}

function steps(n: number, total: number, msPerStep = 500): RunAction[] {
  const actions: RunAction[] = [
    { type: 'start', info, now: 0 },
    { type: 'runId', runId: 'run_abc123', now: 10 },
  ];
  for (let i = 1; i <= n; i++) {
    actions.push({ type: 'event', event: wireEvent('progress', String(i), { step: i, total, message: `Processing item ${i}` }), now: i * msPerStep });
  }
  return actions;
}

describe('ProgressBar', () => {
  it('draws a partial bar with percent, step/total, rate, ETA and elapsed', () => {
    const s = stateAfter(steps(3, 8));
    const { lastFrame } = render(createElement(ProgressBar, { ...s, columns: 100, paint: plain }));
    const frame = lastFrame() ?? '';
    assert.match(frame, /█+░+ 37% 3\/8 · 2\.0 steps\/s · ETA 2\.5 s · 1\.5 s elapsed/);
    const filled = frame.split('').filter((c) => c === '█').length;
    const empty = frame.split('').filter((c) => c === '░').length;
    assert.equal(Math.round(((filled / (filled + empty)) * 100) / 5), Math.round(37.5 / 5));
    assert.ok(!frame.includes(ESC), 'no colour unless asked for');
  });

  it('a full bar at 100% once complete', () => {
    const s = stateAfter([...steps(8, 8), { type: 'finish', outcome: { ok: true, result: null }, now: 4100 }]);
    const frame = render(createElement(ProgressBar, { ...s, columns: 100, paint: plain })).lastFrame() ?? '';
    assert.match(frame, /^█+ 100% 8\/8 · 4\.1 s elapsed$/);
  });

  it('without progress figures, counts events', () => {
    const s = stateAfter([{ type: 'start', info, now: 0 }, { type: 'event', event: wireEvent('log', '', 'hi'), now: 300 }]);
    const frame = render(createElement(ProgressBar, { ...s, columns: 100, paint: plain })).lastFrame() ?? '';
    assert.equal(frame, '1 event · 0.3 s elapsed');
  });

  it('paints only when colour is on', () => {
    const s = stateAfter(steps(3, 8));
    const frame = render(createElement(ProgressBar, { ...s, columns: 100, paint: createPaint(true) })).lastFrame() ?? '';
    assert.ok(frame.includes(`${ESC}[36m`));
  });
});

describe('EventLog', () => {
  it('shows the latest entries that fit, type then message', () => {
    const s = stateAfter([
      ...steps(5, 5),
      { type: 'event', event: wireEvent('log', '6', { level: 'info', n: 6 }), now: 3000 },
    ]);
    const frame = render(createElement(EventLog, { entries: s.log, lines: 3, paint: plain })).lastFrame() ?? '';
    assert.deepEqual(frame.split('\n'), [
      'progress Processing item 4',
      'progress Processing item 5',
      'log      {"level":"info","n":6}',
    ]);
  });

  it('never wraps: a long line is cut to the width', () => {
    const s = stateAfter([{ type: 'start', info, now: 0 }, { type: 'event', event: wireEvent('log', '', { message: 'y'.repeat(190) }), now: 1 }]);
    const frame = render(createElement(EventLog, { entries: s.log, lines: 5, paint: plain })).lastFrame() ?? '';
    assert.equal(frame.split('\n').length, 1);
    assert.ok(frame.endsWith('…'));
  });
});

describe('Header', () => {
  it('names the action and the run', () => {
    const frame = render(createElement(Header, { action: 'task.process', runId: 'run_abc123', url: 'http://h:1', streaming: true, paint: plain })).lastFrame();
    assert.equal(frame, '▸ task.process · run run_abc123 · http://h:1');
  });
});

describe('FinalLine', () => {
  it('says done and how long it took', () => {
    const frame = render(createElement(FinalLine, { state: { status: 'complete', elapsedMs: 1000 }, fieldLines: 0, paint: plain })).lastFrame();
    assert.equal(frame, '✔ done in 1.0 s');
  });

  it('shows the error message and the invalid fields', () => {
    const error = new ActionError(422, 'INVALID_INPUT', 'Input is invalid', { name: ['Required'], steps: ['Too big'] }).toJSON();
    const frame = render(createElement(FinalLine, { state: { status: 'error', elapsedMs: 5, error }, fieldLines: 10, paint: plain })).lastFrame();
    assert.equal(frame, '✖ Input is invalid\n  name: Required\n  steps: Too big');
  });

  it('says how many fields it left out when short of rows', () => {
    const errors = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}`, ['bad']]));
    const error = new ActionError(422, 'INVALID_INPUT', 'Input is invalid', errors).toJSON();
    const frame = render(createElement(FinalLine, { state: { status: 'error', elapsedMs: 5, error }, fieldLines: 3, paint: plain })).lastFrame();
    assert.equal(frame, '✖ Input is invalid\n  f0: bad\n  f1: bad\n  … 4 more');
  });

  it('says a run was cancelled after Ctrl-C', () => {
    const error = new ActionError(499, 'CANCELLED', 'run run_abc123 cancelled on the server').toJSON();
    const frame = render(createElement(FinalLine, { state: { status: 'interrupted', elapsedMs: 5, error }, fieldLines: 0, paint: plain })).lastFrame();
    assert.equal(frame, '✖ cancelled (run run_abc123 cancelled on the server)');
  });

  it('draws nothing while the run goes on', () => {
    const frame = render(createElement(FinalLine, { state: { status: 'running', elapsedMs: 5 }, fieldLines: 0, paint: plain })).lastFrame();
    assert.equal(frame, '');
  });
});

describe('RunView', () => {
  it('header, bar and log, never taller than the terminal', () => {
    const s = stateAfter(steps(40, 80));
    for (const rows of [6, 12, 18]) {
      const frame = render(createElement(RunView, { state: s, rows, columns: 80, color: false })).lastFrame() ?? '';
      const lines = frame.split('\n');
      assert.ok(lines.length <= rows - 1, `rows ${rows}: ${lines.length} lines`);
      assert.equal(lines[0], '▸ task.process · run run_abc123 · http://127.0.0.1:4000');
      assert.match(lines[1] ?? '', / 50% 40\/80 /);
      assert.equal(lines.at(-1), 'progress Processing item 40');
      cleanup();
    }
  });

  it('lays out again for a new size', () => {
    const s = stateAfter(steps(40, 80));
    const view = render(createElement(RunView, { state: s, rows: 30, columns: 80, color: false }));
    assert.equal((view.lastFrame() ?? '').split('\n').length, 17);
    view.rerender(createElement(RunView, { state: s, rows: 8, columns: 80, color: false }));
    assert.equal((view.lastFrame() ?? '').split('\n').length, 7);
  });

  it('ends with the final line', () => {
    const s = stateAfter([...steps(4, 4), { type: 'finish', outcome: { ok: true, result: 1 }, now: 2000 }]);
    const view = render(createElement(RunView, { state: s, rows: 20, columns: 80, color: false }));
    // The last frame with something in it: under CI, Ink adds an empty one as it exits.
    const lines = (view.frames.filter((f) => f.trim() !== '').at(-1) ?? '').split('\n');
    assert.equal(lines.at(-1), '✔ done in 2.0 s');
    assert.match(lines[1] ?? '', /100% 4\/4/);
  });
});
