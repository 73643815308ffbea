// The run's state for the modes that write as events come (plain, JSON Lines, quiet): the
// reducer fed with the same calls as the mode itself, so a mode asks the state how the run
// ended instead of keeping flags of its own.
//
// Events are reduced in batches (those of one turn of the event loop, at most BATCH_EVENTS),
// so a firehose costs one copy of the state per batch rather than one per event. The Ink view
// does the same per frame (tui.ts).

import { initialRunState, isFinished, reduceRun, type ReducerOptions, type RunState } from '../state/reducer.js';
import type { StreamEvent } from '../../protocol/index.js';
import type { RunInfo, RunOutcome } from '../state/types.js';

/** Events reduced together at most: enough to make the copy per batch nothing. */
const BATCH_EVENTS = 256;

export interface RunTracker {
  /** The state with every event so far reduced into it. */
  readonly state: RunState;
  /** True once `finish` came: the run's state is final, and later calls change nothing. */
  readonly finished: boolean;
  start(info: RunInfo): void;
  runId(id: string): void;
  event(e: StreamEvent): void;
  /** The final state: how the run ended, and whether the stream said so itself. */
  finish(outcome: RunOutcome): RunState;
}

export function trackRun(now: () => number, options: Partial<ReducerOptions> = {}): RunTracker {
  let state = initialRunState(options);
  let pending: StreamEvent[] = [];
  let scheduled = false;
  const take = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    state = reduceRun(state, { type: 'events', events, now: now() });
  };
  return {
    get state() {
      take();
      return state;
    },
    get finished() {
      // Only `finish` ends a run, never an event, so what is still queued cannot change this.
      return isFinished(state.status);
    },
    start(info) {
      state = reduceRun(state, { type: 'start', info, now: now() });
    },
    runId(runId) {
      take();
      state = reduceRun(state, { type: 'runId', runId, now: now() });
    },
    event(e) {
      // A bounded batch: events held past a turn would outlive the young generation, and a
      // long turn (a fast stream read in one go) could otherwise hold thousands of them.
      if (pending.push(e) >= BATCH_EVENTS) take();
      if (!scheduled) {
        scheduled = true;
        setImmediate(take);
      }
    },
    finish(outcome) {
      take();
      state = reduceRun(state, { type: 'finish', outcome, now: now() });
      return state;
    },
  };
}
