// How many terminal rows each part of the live area gets. The live area must stay shorter
// than the terminal: Ink can only redraw what is still on screen, and a frame as tall as the
// terminal makes it clear the whole screen on every frame (flicker, lost scrollback).
// Every part is one row per line (the view truncates, never wraps), so rows are lines.

export interface LayoutInput {
  /** The terminal's height; 0 or undefined when unknown. */
  rows: number | undefined;
  finished: boolean;
  /** Field errors the final line would like to list. */
  fieldErrors: number;
  /** Log entries available. */
  logEntries: number;
}

export interface Layout {
  header: boolean;
  bar: boolean;
  /** Field error lines to show (the view uses the last for "… N more" when it is short). */
  fieldLines: number;
  logLines: number;
}

/** Field errors listed at most; a 422 with fifty fields should not push the rest off screen. */
export const MAX_FIELD_LINES = 10;
/**
 * The log's height at most, however tall the terminal. A live area that fills the screen
 * is hard to read, and when a resize makes the terminal shorter than the last frame, Ink
 * can only clear the whole screen; a short live area makes that rare.
 */
export const MAX_LOG_LINES = 15;
/** Log lines kept in the final frame: some context for how it ended, without filling the screen. */
export const FINAL_LOG_LINES = 5;
const FALLBACK_ROWS = 24;

export function planLayout({ rows, finished, fieldErrors, logEntries }: LayoutInput): Layout {
  // One row stays free for the cursor line Ink leaves below the frame.
  let budget = (rows && rows > 0 ? rows : FALLBACK_ROWS) - 1;
  const take = (want: number) => {
    const got = Math.max(0, Math.min(want, budget));
    budget -= got;
    return got;
  };
  // In order of what matters most: the outcome, the bar, the header, the field errors, the log.
  take(finished ? 1 : 0);
  const bar = take(1) === 1;
  const header = take(1) === 1;
  const fieldLines = take(finished ? Math.min(fieldErrors, MAX_FIELD_LINES) : 0);
  const logLines = take(Math.min(logEntries, finished ? FINAL_LOG_LINES : MAX_LOG_LINES));
  return { header, bar, fieldLines, logLines };
}
