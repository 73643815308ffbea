// The state of one run as every view sees it, and the pure reducer that moves it along.
// The Ink view and the plain lines both draw from this state; nothing here touches a stream
// or the clock: time comes in on every action as `now` (ms, any monotonic origin), so the
// reducer is a plain function that tests drive with made-up times.
//
// Memory stays bounded however long the run: the log keeps the latest `logLimit` entries,
// each cut to `textLimit` characters, and the rate keeps a handful of samples over a
// sliding window. Nothing grows with the number of events.

import { ActionError, readProgress, type ErrorBody } from '../../protocol/index.js';
import { EVENT_TEXT_LIMIT, eventText, toErrorBody } from './describe.js';
import type { RunInfo, RunOutcome, StreamEvent } from './types.js';

export type RunStatus = 'starting' | 'running' | 'complete' | 'error' | 'interrupted';

export interface LogEntry {
  /** The event's place in the run, from 1; ours, because a Piko server sends no ids. */
  n: number;
  /** The server's id for the event, '' when it sent none. */
  id: string;
  type: string;
  /** The event's message, or its payload as compact JSON; one line, cut to `textLimit`. */
  text: string;
}

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

export interface ReducerOptions {
  /** How many of the latest events the log keeps. */
  logLimit: number;
  /** Longest text kept per log entry. */
  textLimit: number;
  /** The sliding window the rate is measured over. */
  windowMs: number;
  /** Least time between two samples; with the window, bounds the samples kept. */
  sampleEveryMs: number;
}

export const DEFAULT_REDUCER_OPTIONS: ReducerOptions = {
  logLimit: 100,
  textLimit: EVENT_TEXT_LIMIT,
  windowMs: 5000,
  sampleEveryMs: 100,
};

export interface RunState {
  action: string;
  url: string;
  streaming: boolean;
  runId?: string;
  status: RunStatus;
  /** When `start` came in; undefined before. */
  startedAt?: number;
  /** The latest time any action brought. */
  now: number;
  /** When `finish` came in. */
  endedAt?: number;
  elapsedMs: number;
  /** Every event seen, the terminal one included. */
  events: number;
  percent?: number;
  step?: number;
  total?: number;
  /** The latest `message` of a progress payload. */
  message?: string;
  rate?: Rate;
  etaMs?: number;
  log: readonly LogEntry[];
  /** Set once the run completes (from the `complete` event or `finish`). */
  result?: unknown;
  error?: ErrorBody;
  samples: readonly RateSample[];
  options: ReducerOptions;
}

export type RunAction =
  | { type: 'start'; info: RunInfo; now: number }
  | { type: 'runId'; runId: string; now: number }
  | { type: 'event'; event: StreamEvent; now: number }
  /**
   * Several events at once, as a view that draws at a frame rate collects them: the same
   * state as one `event` each, but only the last `logLimit` of them are made into log lines.
   */
  | { type: 'events'; events: readonly StreamEvent[]; now: number }
  /** Time passes with no event: elapsed, rate and ETA move on. */
  | { type: 'tick'; now: number }
  | { type: 'finish'; outcome: RunOutcome; now: number };

export function initialRunState(options: Partial<ReducerOptions> = {}): RunState {
  // Every field is present from the start, so every state has one shape and the one copy
  // per action stays cheap (this runs once per event, a million times in a long run).
  return {
    action: '',
    url: '',
    streaming: true,
    runId: undefined,
    status: 'starting',
    startedAt: undefined,
    now: 0,
    endedAt: undefined,
    elapsedMs: 0,
    events: 0,
    percent: undefined,
    step: undefined,
    total: undefined,
    message: undefined,
    rate: undefined,
    etaMs: undefined,
    log: [],
    result: undefined,
    error: undefined,
    samples: [],
    options: { ...DEFAULT_REDUCER_OPTIONS, ...options },
  };
}

export function isFinished(status: RunStatus): boolean {
  return status === 'complete' || status === 'error' || status === 'interrupted';
}

export function reduceRun(state: RunState, action: RunAction): RunState {
  // Once finished the state is final: late events or ticks must not move the clock or the bar.
  if (isFinished(state.status)) return state;
  // A clock that steps back (or a caller's slip) must not make elapsed time shrink.
  const now = Math.max(state.now, action.now);
  // The one copy this action makes. The helpers below fill it in before anyone else sees
  // it, so the reducer stays pure: the state it was given is never touched.
  const next = copyState(state);
  next.now = now;
  next.startedAt ??= now;
  next.elapsedMs = now - next.startedAt;
  switch (action.type) {
    case 'start':
      next.action = action.info.action;
      next.url = action.info.url;
      next.streaming = action.info.streaming;
      next.startedAt = now;
      next.elapsedMs = 0;
      return next;
    case 'runId':
      next.runId = action.runId;
      next.status = 'running';
      return next;
    case 'event': {
      const fresh: LogEntry[] = [];
      applyEvent(next, action.event, fresh);
      appendLog(next, fresh);
      measure(next, true);
      return next;
    }
    case 'events': {
      if (action.events.length === 0) return next;
      const fresh: LogEntry[] = [];
      const logFrom = action.events.length - next.options.logLimit;
      action.events.forEach((event, i) => applyEvent(next, event, i >= logFrom ? fresh : undefined));
      appendLog(next, fresh);
      measure(next, true);
      return next;
    }
    case 'tick':
      measure(next, false);
      return next;
    case 'finish':
      applyFinish(next, action.outcome);
      return next;
  }
}

// Field by field rather than `{ ...state }`: V8 builds a literal of a known shape several
// times faster than it spreads one, and this runs once per event.
function copyState(s: RunState): RunState {
  return {
    action: s.action,
    url: s.url,
    streaming: s.streaming,
    runId: s.runId,
    status: s.status,
    startedAt: s.startedAt,
    now: s.now,
    endedAt: s.endedAt,
    elapsedMs: s.elapsedMs,
    events: s.events,
    percent: s.percent,
    step: s.step,
    total: s.total,
    message: s.message,
    rate: s.rate,
    etaMs: s.etaMs,
    log: s.log,
    result: s.result,
    error: s.error,
    samples: s.samples,
    options: s.options,
  };
}

function applyEvent(next: RunState, event: StreamEvent, logInto: LogEntry[] | undefined): void {
  next.events += 1;
  next.status = 'running';
  if (event.type === 'complete') {
    next.result = event.data;
  } else if (event.type === 'error') {
    next.error = ActionError.fromBody(event.data).toJSON();
  } else {
    const reading = readProgress(event.data);
    if (reading.percent !== undefined) next.percent = reading.percent;
    if (reading.step !== undefined) next.step = reading.step;
    if (reading.total !== undefined) next.total = reading.total;
    if (reading.message !== undefined) next.message = reading.message;
  }
  if (!logInto || next.options.logLimit <= 0) return;
  logInto.push({ n: next.events, id: event.id, type: event.type, text: eventText(event, next.options.textLimit) });
}

/** The log with new entries at its end, cut to the latest `logLimit`: one new array. */
function appendLog(next: RunState, fresh: LogEntry[]): void {
  const { logLimit } = next.options;
  if (fresh.length === 0 || logLimit <= 0) return;
  const log = next.log;
  const keep = Math.max(0, logLimit - fresh.length);
  next.log = [...log.slice(Math.max(0, log.length - keep)), ...fresh.slice(-logLimit)];
}

function applyFinish(next: RunState, outcome: RunOutcome): void {
  next.endedAt = next.now;
  next.etaMs = undefined;
  if (outcome.ok) {
    next.status = 'complete';
    next.result = outcome.result;
    // The run is done: a bar that last read 97% would be a lie now.
    if (next.percent !== undefined) next.percent = 100;
  } else {
    next.status = outcome.interrupted ? 'interrupted' : 'error';
    next.error = toErrorBody(outcome.error);
  }
}

/**
 * Rate and ETA over the sliding window. Samples are taken only on events (so the time to
 * connect does not count), at most one per `sampleEveryMs`; the oldest sample still at or
 * before the window's edge is the baseline. A tick measures against `now`, so the rate
 * falls while the stream is silent instead of freezing at its last value.
 */
function measure(next: RunState, sample: boolean): void {
  const { windowMs, sampleEveryMs } = next.options;
  const now = next.now;
  let samples = next.samples;
  const last = samples[samples.length - 1];
  if (sample && (last === undefined || now - last.t >= sampleEveryMs)) {
    const point: RateSample = { t: now, events: next.events };
    if (next.step !== undefined) point.step = next.step;
    if (next.percent !== undefined) point.percent = next.percent;
    samples = [...samples, point];
  }
  let drop = 0;
  while (drop + 1 < samples.length && samples[drop + 1]!.t <= now - windowMs) drop++;
  if (drop > 0) samples = samples.slice(drop);
  next.samples = samples;
  next.rate = undefined;
  next.etaMs = undefined;

  const base = samples[0];
  if (base === undefined || now <= base.t) return;

  const { step, total, percent, events } = next;
  const stepBase = samples.find((s) => s.step !== undefined);
  if (step !== undefined && total !== undefined && stepBase?.step !== undefined) {
    const perSecond = perSecondSince(stepBase.t, stepBase.step, step, now);
    if (perSecond !== undefined) {
      next.rate = { perSecond, unit: 'steps' };
      if (perSecond > 0) next.etaMs = (Math.max(0, total - step) / perSecond) * 1000;
    }
  }
  if (next.rate === undefined) {
    const perSecond = perSecondSince(base.t, base.events, events, now);
    if (perSecond !== undefined) next.rate = { perSecond, unit: 'events' };
  }
  if (next.etaMs === undefined && percent !== undefined) {
    // Payloads with only `percent`: the ETA comes from how fast the percentage moves.
    const percentBase = samples.find((s) => s.percent !== undefined);
    if (percentBase?.percent !== undefined) {
      const perSecond = perSecondSince(percentBase.t, percentBase.percent, percent, now);
      if (perSecond !== undefined && perSecond > 0) next.etaMs = ((100 - percent) / perSecond) * 1000;
    }
  }
}

function perSecondSince(t0: number, from: number, to: number, now: number): number | undefined {
  if (now <= t0 || to < from) return undefined;
  return ((to - from) / (now - t0)) * 1000;
}
