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
