// What a client draws from a progress payload (PROTOCOL.md §3, last paragraph), and how it
// shows a percentage. Shared by the terminal view and the page so both read a payload, and
// round a percentage, the same way.

export interface ProgressReading {
  /** 0..100, or undefined when the payload says nothing about progress. */
  percent?: number;
  step?: number;
  total?: number;
  message?: string;
}

export function readProgress(data: unknown): ProgressReading {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return typeof data === 'string' ? { message: data } : {};
  }
  const d = data as Record<string, unknown>;
  const reading: ProgressReading = {};
  const step = finite(d.step) ?? finite(d.current);
  const total = finite(d.total);
  if (step !== undefined && total !== undefined) {
    reading.step = step;
    reading.total = total;
    if (total > 0) reading.percent = clamp((step / total) * 100);
  }
  const percent = finite(d.percent);
  if (percent !== undefined) reading.percent = clamp(percent);
  if (typeof d.message === 'string') reading.message = d.message;
  return reading;
}

/** Whole percent, rounded down and kept in 0..100: 99.6 stays 99 until the work is really done. */
export function wholePercent(percent: number): number {
  return Math.floor(clamp(percent));
}

/** `42%`: how the terminal view, plain lines and the page all show a percentage. */
export function formatPercent(percent: number): string {
  return `${wholePercent(percent)}%`;
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function clamp(n: number): number {
  return Math.min(100, Math.max(0, n));
}

/**
 * The `restart` event (PROTOCOL.md §4b): the worker running the action was lost and the action
 * starts again on another, `{ attempt, reason }`. The bar starts over; the seq counts on.
 */
export const RESTART_EVENT = 'restart';

/** What a log shows for a `restart` event: `started again (attempt 2): <reason>`. */
export function restartText(data: unknown): string {
  const d = (typeof data === 'object' && data !== null ? data : {}) as { attempt?: unknown; reason?: unknown };
  const attempt = typeof d.attempt === 'number' ? ` (attempt ${d.attempt})` : '';
  return `started again${attempt}${typeof d.reason === 'string' && d.reason ? `: ${d.reason}` : ''}`;
}
