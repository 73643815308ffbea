// Durations and rates as people read them; shared by the Ink view and plain lines. Percentages
// are protocol's formatPercent, which the page uses too.

/** `0.4 s`, `12.3 s`, `2 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < 60_000) return `${(safe / 1000).toFixed(1)} s`;
  const seconds = Math.floor(safe / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad2(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${pad2(Math.floor((seconds % 3600) / 60))} min`;
}

/** `0.5 steps/s`, `42 events/s`, `12.5k events/s`. */
export function formatRate(perSecond: number, unit: string): string {
  return `${compactNumber(perSecond)} ${unit}/s`;
}

function compactNumber(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '0';
  if (n < 10) return n.toFixed(1);
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
