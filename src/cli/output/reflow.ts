// What a terminal made narrower does to the live region. Most terminals today (tmux, VTE's
// GNOME Terminal and friends, iTerm2, kitty, WezTerm, Alacritty, Windows Terminal, Konsole)
// rewrap the lines on screen: a live line wider than the new width becomes two rows. Ink then
// erases as many rows as it drew lines, and the rows above them are left behind as ghosts of
// the old frame (a second header, half a bar). Knowing the lines it drew, the view erases the
// rows they now take before Ink redraws.
//
// xterm, rxvt, GNU screen and the Linux console cut lines instead of rewrapping them: there
// the frame still takes one row a line, and erasing more would eat lines above it.

import { eraseRowsAbove } from './first-frame.js';

/** Whether the terminal described by `env` rewraps lines when it gets narrower. */
export function rewrapsOnResize(env: NodeJS.ProcessEnv): boolean {
  if (env.TMUX) return true;
  if (env.XTERM_VERSION) return false;
  const term = env.TERM ?? '';
  return !(term === 'linux' || term.startsWith('rxvt') || term.startsWith('screen'));
}

/** The rows `lines` take at `columns` once rewrapped; escape codes take none. */
export function rowsAfterRewrap(lines: readonly string[], columns: number): number {
  const width = Math.max(1, columns);
  return lines.reduce((rows, line) => rows + Math.max(1, Math.ceil(visibleLength(line) / width)), 0);
}

/**
 * What to write, with the cursor on the row below a region of `lines` drawn before a resize to
 * `columns`, so that the region is gone and the cursor is where Ink expects it: as many rows
 * below the region's top as it drew lines. '' when nothing wrapped.
 */
export function eraseRewrapped(lines: readonly string[], columns: number): string {
  const rows = rowsAfterRewrap(lines, columns);
  if (rows <= lines.length) return '';
  return `${eraseRowsAbove(rows)}\u001b[${lines.length}B`;
}

function visibleLength(line: string): number {
  return [...line.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')].length;
}
