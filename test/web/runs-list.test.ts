// What the runs panel says about each run, and in which order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunInfo } from '../../src/protocol/index.js';
import { ago, describeRun, duration, orderRuns, shortId } from '../../src/web/runs-list.js';

const NOW = Date.parse('2025-01-01T12:00:00.000Z');
const run = (over: Partial<RunInfo>): RunInfo => ({
  runId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
  action: 'task.process',
  state: 'completed',
  startedAt: new Date(NOW - 60_000).toISOString(),
  lastSeq: 3,
  detached: false,
  ...over,
});

test('live runs come first, each group newest first', () => {
  const at = (s: number) => new Date(NOW - s * 1000).toISOString();
  const runs = [
    run({ runId: 'done-new', startedAt: at(1) }),
    run({ runId: 'live-old', state: 'live', startedAt: at(50) }),
    run({ runId: 'failed-mid', state: 'failed', startedAt: at(20) }),
    run({ runId: 'live-new', state: 'live', startedAt: at(5) }),
  ];
  assert.deepEqual(orderRuns(runs).map((r) => r.runId), ['live-new', 'live-old', 'done-new', 'failed-mid']);
  assert.equal(runs[0]!.runId, 'done-new', 'the list given is left as it was');
});

test('a live run shows its percent; an ended one how long it took', () => {
  const live = describeRun(run({ state: 'live', percent: 42.7, detached: true }), NOW);
  assert.deepEqual(live, {
    action: 'task.process',
    state: 'live · 42%',
    meta: 'aaaaaaaa… · 1 min ago · detached',
    label: 'task.process, live at 42%, run aaaaaaaaaaaaaaaaaaaaaaaa, 1 min ago, detached',
  });
  const ended = describeRun(run({ state: 'failed', percent: 40, endedAt: new Date(NOW - 55_500).toISOString() }), NOW);
  assert.equal(ended.state, 'failed', 'an ended run’s last percent is history, not news');
  assert.equal(ended.meta, 'aaaaaaaa… · 1 min ago · took 4.5 s');
});

test('a live run without a percent shows only its state; odd times are left out', () => {
  const text = describeRun(run({ state: 'live', runId: 'short', startedAt: 'not a time' }), NOW);
  assert.deepEqual([text.state, text.meta], ['live', 'short']);
  assert.equal(text.label, 'task.process, live, run short');
});

test('ages and durations read as a person says them', () => {
  assert.deepEqual([0, 4_999, 12_000, 185_000, 7_300_000, 3 * 86_400_000, -5].map(ago), [
    'just now',
    'just now',
    '12 s ago',
    '3 min ago',
    '2 h ago',
    '3 d ago',
    'just now',
  ]);
  assert.deepEqual([420, 9_940, 12_300, 185_000, 7_380_000].map(duration), ['0.4 s', '9.9 s', '12 s', '3 min 5 s', '2 h 3 min']);
  assert.equal(shortId('abcdefghijklmnopqrstuvwx'), 'abcdefgh…');
});
