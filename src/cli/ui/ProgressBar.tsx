// The progress line: a bar when the payloads say how far along the run is, then step/total,
// rate, ETA and elapsed time. Without any progress figures it still shows the run is alive.
import { Text } from 'ink';
import { formatPercent } from '../../protocol/index.js';
import { formatDuration, formatRate } from '../state/format.js';
import type { Rate, RunStatus } from '../state/reducer.js';
import type { Paint } from './paint.js';

export interface ProgressBarProps {
  status: RunStatus;
  streaming: boolean;
  percent?: number;
  step?: number;
  total?: number;
  events: number;
  rate?: Rate;
  etaMs?: number;
  elapsedMs: number;
  columns: number;
  paint: Paint;
}

const MIN_BAR = 10;
const MAX_BAR = 40;

export function ProgressBar(props: ProgressBarProps) {
  const { percent, paint } = props;
  const info = progressInfo(props);
  if (percent === undefined) return <Text wrap="truncate-end">{info}</Text>;
  const label = formatPercent(percent);
  // The bar takes what the figures leave of the line, within reason.
  const width = Math.max(MIN_BAR, Math.min(MAX_BAR, props.columns - info.length - label.length - 4));
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * width);
  const fill = props.status === 'error' || props.status === 'interrupted' ? paint.red : props.status === 'complete' ? paint.green : paint.cyan;
  return (
    <Text wrap="truncate-end">
      {fill('█'.repeat(filled))}
      {paint.dim('░'.repeat(width - filled))} {paint.bold(label)} {info}
    </Text>
  );
}

/** The figures after the bar: `3/7 · 2.0 steps/s · ETA 2.0 s · 1.5 s elapsed`. */
export function progressInfo(p: Omit<ProgressBarProps, 'columns' | 'paint'>): string {
  const parts: string[] = [];
  if (p.status === 'starting' && p.events === 0) parts.push(p.streaming ? 'connecting…' : 'waiting for the result…');
  if (p.step !== undefined && p.total !== undefined) parts.push(`${p.step}/${p.total}`);
  else if (p.percent === undefined && p.events > 0) parts.push(`${p.events} event${p.events === 1 ? '' : 's'}`);
  if (p.rate && p.status === 'running') parts.push(formatRate(p.rate.perSecond, p.rate.unit));
  if (p.etaMs !== undefined && p.status === 'running') parts.push(`ETA ${formatDuration(p.etaMs)}`);
  parts.push(`${formatDuration(p.elapsedMs)} elapsed`);
  return parts.join(' · ');
}
