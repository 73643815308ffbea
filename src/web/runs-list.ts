// What the runs panel says about each run, and in which order. Pure, so it is tested without
// a browser.
import { formatPercent, type RunInfo } from '../protocol/index.js';

export interface RunText {
  action: string;
  /** `live · 40%`, `completed`. */
  state: string;
  /** `a1b2c3d4 · 12 s ago · took 4.2 s · detached`. */
  meta: string;
  /** The whole row in one sentence, for the button's accessible name. */
  label: string;
}

/** Live runs first, newest first within each group (the server lists newest first). */
export function orderRuns(runs: readonly RunInfo[]): RunInfo[] {
  const at = (run: RunInfo) => Date.parse(run.startedAt) || 0;
  return [...runs].sort((a, b) => Number(b.state === 'live') - Number(a.state === 'live') || at(b) - at(a));
}

export function describeRun(run: RunInfo, now: number): RunText {
  const started = Date.parse(run.startedAt);
  const ended = run.endedAt === undefined ? NaN : Date.parse(run.endedAt);
  const percent = run.state === 'live' && run.percent !== undefined ? formatPercent(run.percent) : undefined;
  const state = percent ? `${run.state} · ${percent}` : run.state;
  const meta = [
    shortId(run.runId),
    Number.isFinite(started) ? ago(now - started) : '',
    Number.isFinite(started) && Number.isFinite(ended) ? `took ${duration(ended - started)}` : '',
    run.detached ? 'detached' : '',
  ].filter(Boolean);
  const label = `${run.action}, ${run.state}${percent ? ` at ${percent}` : ''}, run ${run.runId}${meta.length > 1 ? `, ${meta.slice(1).join(', ')}` : ''}`;
  return { action: run.action, state, meta: meta.join(' · '), label };
}

/** Run ids are 24 random characters; 8 tell runs apart on one screen. */
export function shortId(runId: string): string {
  return runId.length > 10 ? `${runId.slice(0, 8)}…` : runId;
}

/** `just now`, `12 s ago`, `3 min ago`, `2 h ago`, `4 d ago`. */
export function ago(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** `0.4 s`, `12 s`, `3 min 5 s`, `2 h 3 min`. */
export function duration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 10_000) return `${(safe / 1000).toFixed(1)} s`;
  const s = Math.floor(safe / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
