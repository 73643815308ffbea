// The state of one run as every view sees it, and the pure reducer that moves it along.
// The Ink view and the plain lines both draw from this state; nothing here touches a stream
// or the clock: time comes in on every action as `now` (ms, any monotonic origin), so the
// reducer is a plain function that tests drive with made-up times.
//
// Memory stays bounded however long the run: the log keeps the latest `logLimit` entries,
// each cut to `textLimit` characters, and the rate (rate.ts) keeps a handful of samples over
// a sliding window. Nothing grows with the number of events.

import { ActionError, isTerminalEvent, readProgress, RESTART_EVENT, type ErrorBody, type StreamEvent, type TerminalEvent } from '../../protocol/index.js';
import { EVENT_TEXT_LIMIT, eventText, toErrorBody } from './describe.js';
import { measureRate, type Rate, type RateOptions, type RateSample } from './rate.js';
import type { RunInfo, RunOutcome } from './types.js';

export type { Rate, RateSample } from './rate.js';

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

export interface ReducerOptions extends RateOptions {
  /** How many of the latest events the log keeps. */
  logLimit: number;
  /** Longest text kept per log entry. */
  textLimit: number;
  /**
   * Read percent, step, total and message from the payloads. False for a view that shows
   * none of them (JSON Lines): it then parses no payload but a terminal event's.
   */
  progress: boolean;
}

export const DEFAULT_REDUCER_OPTIONS: ReducerOptions = {
  logLimit: 100,
  textLimit: EVENT_TEXT_LIMIT,
  progress: true,
  windowMs: 5000,
  sampleEveryMs: 100,
};

export interface RunState {
  action: string;
  url: string;
  streaming: boolean;
  embedded: boolean;
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
  /**
   * The terminal event the stream brought, if one came: whether the action itself said how
   * it ended (an `error` event is the action's failure), or only the HTTP answer or the client did.
   */
  terminalEvent?: TerminalEvent;
  /** 'reconnecting' while the stream is lost and being re-attached. */
  connection: 'connected' | 'reconnecting';
  samples: readonly RateSample[];
  /** Two samples have been taken: from then on a rate and an ETA can be shown (rate.ts). */
  rateReady: boolean;
  options: ReducerOptions;
}

export type RunAction =
  | { type: 'start'; info: RunInfo; now: number }
  | { type: 'runId'; runId: string; now: number }
  | { type: 'event'; event: StreamEvent; now: number }
  /**
   * Several events at once, as a view that draws at a frame rate collects them: the same
   * state as one `event` each, but only the last `logLimit` of them are made into log lines.
   * `log: false` makes none: for events that a view has already seen `logLimit` newer ones
   * after, which would leave the log anyway.
   */
  | { type: 'events'; events: readonly StreamEvent[]; now: number; log?: boolean }
  /** Time passes with no event: elapsed, rate and ETA move on. */
  | { type: 'tick'; now: number }
  | { type: 'connection'; state: 'connected' | 'reconnecting'; now: number }
  | { type: 'finish'; outcome: RunOutcome; now: number };

export function initialRunState(options: Partial<ReducerOptions> = {}): RunState {
  // Every field is present from the start, so every state has one shape (V8 keeps one hidden
  // class for them all, and the copy per action stays cheap).
  return {
    action: '',
    url: '',
    streaming: true,
    embedded: false,
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
    terminalEvent: undefined,
    connection: 'connected',
    samples: [],
    rateReady: false,
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
  // The one copy this action makes, of every field whatever fields the state has. The helpers
  // below fill it in before anyone else sees it, so the reducer stays pure: the state it was
  // given is never touched.
  const next = { ...state };
  next.now = now;
  next.startedAt ??= now;
  next.elapsedMs = now - next.startedAt;
  switch (action.type) {
    case 'start':
      next.action = action.info.action;
      next.url = action.info.url;
      next.streaming = action.info.streaming;
      next.embedded = action.info.embedded === true;
      next.startedAt = now;
      next.elapsedMs = 0;
      return next;
    case 'runId':
      next.runId = action.runId;
      next.status = 'running';
      return next;
    case 'event':
      applyEvents(next, [action.event]);
      measure(next, true);
      return next;
    case 'events':
      if (action.events.length === 0) return next;
      applyEvents(next, action.events, action.log !== false);
      measure(next, true);
      return next;
    case 'tick':
      measure(next, false);
      return next;
    case 'connection':
      next.connection = action.state;
      return next;
    case 'finish':
      applyFinish(next, action.outcome);
      return next;
  }
}

/**
 * Events in order, as if one at a time. The latest reading of each figure is the one that
 * counts, so the batch is read from its end: a payload is parsed only while some figure is
 * still unread, which keeps a batch of a firehose to a type check per event. Only the last
 * `logLimit` events are made into log lines.
 */
function applyEvents(next: RunState, events: readonly StreamEvent[], log = true): void {
  const first = next.events;
  next.events += events.length;
  next.status = 'running';
  let terminal: TerminalEvent | undefined;
  let result: { data: unknown } | undefined;
  let error: ErrorBody | undefined;
  let percent: number | undefined;
  let step: number | undefined;
  let total: number | undefined;
  let message: string | undefined;
  // A restart (the action started again on another worker) starts the bar over: what came
  // before it in the batch no longer counts.
  let restarted = false;
  const { progress } = next.options;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type === RESTART_EVENT) {
      restarted = true;
    } else if (isTerminalEvent(event.type)) {
      terminal ??= event.type;
      if (event.type === 'complete') result ??= { data: event.data };
      else error ??= ActionError.fromBody(event.data).toJSON();
    } else if (progress && !restarted && (percent === undefined || step === undefined || total === undefined || message === undefined)) {
      const reading = readProgress(event.data);
      percent ??= reading.percent;
      step ??= reading.step;
      total ??= reading.total;
      message ??= reading.message;
    }
  }
  if (restarted) {
    next.percent = next.step = next.total = next.message = next.rate = next.etaMs = undefined;
    next.samples = [];
    next.rateReady = false;
  }
  if (terminal !== undefined) next.terminalEvent = terminal;
  if (result !== undefined) next.result = result.data;
  if (error !== undefined) next.error = error;
  if (percent !== undefined) next.percent = percent;
  if (step !== undefined) next.step = step;
  if (total !== undefined) next.total = total;
  if (message !== undefined) next.message = message;

  const { logLimit, textLimit } = next.options;
  if (logLimit <= 0 || !log) return;
  const from = Math.max(0, events.length - logLimit);
  const fresh: LogEntry[] = [];
  for (let i = from; i < events.length; i++) {
    const event = events[i]!;
    fresh.push({ n: first + i + 1, id: event.id, type: event.type, text: eventText(event, textLimit) });
  }
  appendLog(next, fresh);
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

/** Rate and ETA as of `next.now`; `sample` on events, not on ticks (see measureRate). */
function measure(next: RunState, sample: boolean): void {
  const { samples, rate, etaMs, ready } = measureRate(next.samples, next, next.options, sample, next.rateReady);
  next.samples = samples;
  next.rateReady = ready;
  next.rate = rate;
  next.etaMs = etaMs;
}
