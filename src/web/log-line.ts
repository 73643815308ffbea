// One line of the page's event log for one event: `[progress] Step 2/5 – message`. Pure, so
// it is tested without a browser.
import { formatPercent, readProgress, RESTART_EVENT, restartText } from '../protocol/index.js';

const MAX_LINE = 240;

export function formatLogLine(eventType: string, data: unknown): string {
  if (eventType === RESTART_EVENT) return clip(`[${eventType}] ${restartText(data)}`);
  const { step, total, percent, message } = readProgress(data);
  const parts: string[] = [];
  if (step !== undefined && total !== undefined) parts.push(`Step ${step}/${total}`);
  else if (percent !== undefined) parts.push(formatPercent(percent));
  if (message) parts.push(message);
  // An event that says nothing a person reads still shows what it carried.
  if (parts.length === 0 && data !== undefined) parts.push(describe(data));
  return clip(`[${eventType}] ${parts.join(' – ')}`.trimEnd());
}

function describe(data: unknown): string {
  try {
    return typeof data === 'string' ? data : (JSON.stringify(data) ?? String(data));
  } catch {
    return String(data);
  }
}

function clip(line: string): string {
  // One line per event: a payload with newlines or a huge string must not flood the log.
  const flat = line.replace(/\s*[\r\n]+\s*/g, ' ');
  return flat.length > MAX_LINE ? `${flat.slice(0, MAX_LINE - 1)}…` : flat;
}

/** Where the bar goes for an event: a `restart` starts it over (0), progress moves it, others leave it. */
export function barPercent(eventType: string, data: unknown): number | undefined {
  return eventType === RESTART_EVENT ? 0 : readProgress(data).percent;
}
