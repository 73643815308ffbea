// Which lines a frame writes for good, above the live region (Ink's <Static>), the way cargo
// and buildx keep their log: the header once the run has an id, then a line per event. What
// is written there stays in the terminal's scrollback; the live region below it stays a line
// or two, so a terminal made shorter never has to be cleared.
//
// A firehose would bury the screen (and the scrollback) under thousands of lines a second,
// so a frame writes at most `cap` event lines. A frame that brings more starts a flood: its
// events are held back and counted, and so are those of the frames after it, until a frame
// brings no more than `cap` again (or the run ends); then one line says how many were not
// shown, the last few of them follow, and lines go on as before. A pure function of the
// state and what was written so far.

import { countedEvents } from './live-text.js';
import { isFinished, type LogEntry, type RunState } from './reducer.js';

/** Event lines one frame may write (a frame is 50 ms: 400 lines a second at most). */
export const LINES_PER_FRAME = 20;
/** The last events of a flood written after its summary line. */
export const FLOOD_TAIL = 5;

export type PermanentLine =
  | { kind: 'header' }
  | { kind: 'event'; entry: LogEntry }
  /** `… 99,812 more events; --json shows all` */
  | { kind: 'more'; count: number };

export interface Scrollback {
  /** The header has been written (it is then no longer part of the live region). */
  header: boolean;
  /** Events accounted for so far, written or held: the `n` of the last of them. */
  seen: number;
  /** Events held back since the flood began, not yet told. */
  held: number;
}

export const EMPTY_SCROLLBACK: Scrollback = { header: false, seen: 0, held: 0 };

export function planScrollback(before: Scrollback, state: RunState, cap = LINES_PER_FRAME): { lines: PermanentLine[]; scrollback: Scrollback } {
  const lines: PermanentLine[] = [];
  const next = { ...before };
  const finished = isFinished(state.status);
  const events = countedEvents(state);
  // The header goes up once it is complete (it has the run's id) or once something must go
  // below it; a server that sends no id (Piko) gets it with its first event.
  if (!next.header && (state.runId !== undefined || events > 0 || finished)) {
    lines.push({ kind: 'header' });
    next.header = true;
  }
  const fresh = events - next.seen;
  if (fresh > cap) next.held += fresh;
  // A flood is over once a frame brings no more than `cap` (a pause counts), or at the end:
  // one line for what was held back, then the last few of it, to show where it got to.
  if (next.held > 0 && (fresh <= cap || finished)) {
    const lastHeld = fresh > cap ? events : next.seen;
    const tail = state.log.filter((e) => e.n > lastHeld - Math.min(FLOOD_TAIL, next.held) && e.n <= lastHeld);
    if (next.held > tail.length) lines.push({ kind: 'more', count: next.held - tail.length });
    for (const entry of tail) lines.push({ kind: 'event', entry });
    next.held = 0;
  }
  if (fresh > 0 && fresh <= cap) {
    // The log keeps the latest events; with a cap below its length, all of these are there.
    const entries = state.log.filter((e) => e.n > next.seen && e.n <= events);
    if (fresh > entries.length) lines.push({ kind: 'more', count: fresh - entries.length });
    for (const entry of entries) lines.push({ kind: 'event', entry });
  }
  next.seen = events;
  return { lines, scrollback: next };
}

/** `… 99,812 more events; --json shows all` */
export function moreText(count: number): string {
  return `… ${count.toLocaleString('en-US')} more event${count === 1 ? '' : 's'}; --json shows all`;
}
