// Small statistics helpers. Medians everywhere: a benchmark run on a shared 2-core machine
// has outliers (GC, the other process's JIT), and a mean lets one of them move the figure.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return percentile(values, 50);
}

/** Percentile of a copy, interpolated between ranks; `p` in 0..100. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  if (p <= 0) return sorted[0]!;
  if (p >= 100) return sorted[sorted.length - 1]!;
  // Linear interpolation between ranks: stable for small samples, exact for the median.
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** a / b, or null when either side is missing, so a ratio is never computed from a gap. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

/** Human formatting: three significant figures, thousands grouped. */
export function fmt(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

export function fmtRatio(value: number | null): string {
  return value == null ? '-' : `${value.toFixed(2)}×`;
}
