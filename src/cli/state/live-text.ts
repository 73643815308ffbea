// The live region's text: the header, the status line under it, and how the run ended. Plain
// functions of the state and the terminal's width, shared by the Ink view and by the first
// frame pkt draws before Ink has loaded (output/first-frame.ts): the two are the same lines,
// so Ink takes them over without a jump. Every line fits the width it is given: a line the
// terminal wraps is a row the next redraw does not know about.

import { formatPercent } from '../../protocol/index.js';
import { failureLines } from './describe.js';
import { formatDuration, formatRate } from './format.js';
import type { Paint } from './paint.js';
import { isFinished, type RunState } from './reducer.js';

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
const SPIN_MS = 80;
const MIN_BAR = 10;
const MAX_BAR = 40;
/** Field errors listed at most under a failure; a 422 with fifty fields should not fill the screen. */
export const MAX_FIELD_LINES = 10;
/** Rows assumed when the terminal does not say (0×0 under some `script` setups). */
const FALLBACK_ROWS = 24;

/** The spinner's frame at a point of the run: a function of time, so every view agrees. */
export function spinnerFrame(elapsedMs: number): string {
  return SPINNER[Math.floor(Math.max(0, elapsedMs) / SPIN_MS) % SPINNER.length]!;
}

export interface HeaderInfo {
  action: string;
  runId?: string | undefined;
  /** The server's URL; not shown for the embedded server, which is gone when pkt ends. */
  url: string;
  embedded: boolean;
}

/** `▸ task.process · run 3fK… · embedded`: what runs, its id, and where. */
export function headerText(info: HeaderInfo, columns: number, paint: Paint): string {
  const where = info.embedded ? 'embedded' : info.url;
  const rest = [info.runId ? `run ${info.runId}` : '', where].filter(Boolean).map((part) => ` · ${part}`).join('');
  const head = `▸ ${info.action}`;
  const [h, r] = fit([head, rest], columns) as [string, string];
  return paint.bold(h) + paint.dim(r);
}

/**
 * The line under the header while the run goes: a spinner, then what is known. Before the
 * first event, "waiting for the first event"; then the bar, the percentage and the figures.
 * When the width is short, the rate goes first, then the elapsed time, then step/total: the
 * bar, the percentage and the ETA are what a person glances at.
 */
export function statusText(state: RunState, columns: number, paint: Paint): string {
  const spin = `${spinnerFrame(state.elapsedMs)} `;
  if (state.connection === 'reconnecting') {
    // The stream was lost and is being re-attached: that is the news, with what was known.
    const known = [state.percent !== undefined ? formatPercent(state.percent) : undefined, `${formatDuration(state.elapsedMs)} elapsed`];
    const [s, r] = fit([spin, ['reconnecting…', ...known.filter(Boolean)].join(' · ')], columns) as [string, string];
    return paint.yellow(s + r);
  }
  const events = countedEvents(state);
  if (events === 0) {
    const waiting = state.streaming ? 'waiting for the first event' : 'waiting for the result';
    const [s, w] = fit([spin, `${waiting} · ${formatDuration(state.elapsedMs)}`], columns) as [string, string];
    return paint.cyan(s) + paint.dim(w);
  }
  // In the order shown; `drop` is the order they give way in.
  const figures: Record<'count' | 'rate' | 'eta' | 'elapsed', string | undefined> = {
    count: state.step !== undefined && state.total !== undefined ? `${state.step}/${state.total}` : state.percent === undefined ? eventCount(events) : undefined,
    rate: state.rate ? formatRate(state.rate.perSecond, state.rate.unit) : undefined,
    eta: state.etaMs !== undefined ? `ETA ${formatDuration(state.etaMs)}` : undefined,
    elapsed: `${formatDuration(state.elapsedMs)} elapsed`,
  };
  const drop = ['rate', 'elapsed', 'count', 'eta'] as const;
  const label = state.percent !== undefined ? formatPercent(state.percent) : undefined;
  for (let dropped = 0; dropped <= drop.length; dropped++) {
    const gone = new Set<string>(drop.slice(0, dropped));
    const text = (['count', 'rate', 'eta', 'elapsed'] as const)
      .filter((k) => figures[k] !== undefined && !gone.has(k))
      .map((k) => figures[k]!)
      .join(' · ');
    const last = dropped === drop.length;
    if (label === undefined) {
      if (spin.length + text.length > columns && !last) continue;
      return paint.cyan(spin) + fit([text], columns - spin.length)[0]!;
    }
    const fixed = spin.length + label.length + (text ? 1 + text.length : 0);
    // The bar and the space after it take what is left, within reason.
    const room = columns - fixed - 1;
    if (room < MIN_BAR && !last) continue;
    const bar = Math.max(0, Math.min(MAX_BAR, room));
    const filled = Math.round((Math.min(100, Math.max(0, state.percent!)) / 100) * bar);
    const drawn = bar > 0 ? `${paint.cyan('█'.repeat(filled))}${paint.dim('░'.repeat(bar - filled))} ` : '';
    const [l, t] = fit([label, text ? ` ${text}` : ''], columns - spin.length - (bar > 0 ? bar + 1 : 0)) as [string, string];
    return `${paint.cyan(spin)}${drawn}${paint.bold(l)}${t}`;
  }
  return paint.cyan(spin);
}

/** `✔ done in 1.1 s · 5 events`: the one line a run that completed ends with. */
export function doneText(state: RunState, columns: number, paint: Paint): string {
  const stats = [`done in ${formatDuration(state.elapsedMs)}`];
  if (state.streaming) stats.push(eventCount(countedEvents(state)));
  return `${paint.green('✔')} ${fit([stats.join(' · ')], columns - 2)[0]}`;
}

/** A failed run: `✖ <message>`, then a line per invalid field (at most `fieldLines` of them). */
export function failureText(state: RunState, columns: number, fieldLines: number, paint: Paint): string[] {
  const interrupted = state.status === 'interrupted';
  const [headline = '', ...fields] = failureLines(state.error ?? { status: 0, code: 'INTERNAL', message: 'the run failed' }, interrupted);
  const shown = fields.length > fieldLines ? [...fields.slice(0, Math.max(0, fieldLines - 1)), `  … ${fields.length - fieldLines + 1} more`] : fields;
  const mark = interrupted ? paint.yellow('✖') : paint.red('✖');
  return [`${mark} ${fit([headline], columns - 2)[0]}`, ...shown.slice(0, fieldLines).map((line) => fit([line], columns)[0]!)];
}

export interface LiveOptions {
  rows: number | undefined;
  columns: number;
  /** The header is still live: it has not yet gone up into the scrollback (scrollback.ts). */
  header: boolean;
}

/**
 * The live region, line by line, kept shorter than the terminal: the header (until it goes
 * up into the scrollback) and the status line while the run goes; how it ended once it has.
 */
export function liveLines(state: RunState, { rows, columns, header }: LiveOptions, paint: Paint): string[] {
  // One row stays free for the line the cursor waits on, below the region.
  const budget = Math.max(1, (rows && rows > 0 ? rows : FALLBACK_ROWS) - 1);
  if (isFinished(state.status)) {
    if (state.status === 'complete') return [doneText(state, columns, paint)];
    return failureText(state, columns, Math.min(MAX_FIELD_LINES, budget - 1), paint);
  }
  const status = statusText(state, columns, paint);
  if (!header || budget < 2) return [status];
  return [headerText(state, columns, paint), status];
}

/** Events that tell of progress: every event but the terminal one, which the end line tells. */
export function countedEvents(state: Pick<RunState, 'events' | 'terminalEvent'>): number {
  return state.events - (state.terminalEvent !== undefined ? 1 : 0);
}

/** `1 event`, `12,345 events`. */
export function eventCount(n: number): string {
  return `${n.toLocaleString('en-US')} event${n === 1 ? '' : 's'}`;
}

/**
 * Cuts a line made of parts to `columns` characters, an ellipsis marking the cut, and returns
 * the parts as cut (so each keeps its own paint). The view's text is ours or already one line
 * without control characters (describe.ts), one column per character.
 */
function fit(parts: string[], columns: number): string[] {
  const max = Math.max(1, columns);
  if (parts.reduce((n, p) => n + [...p].length, 0) <= max) return parts;
  let room = max - 1;
  let cut = false;
  return parts.map((part) => {
    if (cut) return '';
    const chars = [...part];
    if (chars.length <= room) {
      room -= chars.length;
      return part;
    }
    cut = true;
    return `${chars.slice(0, room).join('')}…`;
  });
}
