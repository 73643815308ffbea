// The first line: which action runs, its run id (what re-attaching and cancelling need), and where.
import { Text } from 'ink';
import type { Paint } from './paint.js';

export interface HeaderProps {
  action: string;
  runId?: string;
  url: string;
  streaming: boolean;
  paint: Paint;
}

export function Header({ action, runId, url, streaming, paint }: HeaderProps) {
  const run = runId ? `run ${runId}` : streaming ? 'run …' : 'no stream';
  return (
    <Text wrap="truncate-end">
      {paint.bold(`▸ ${action}`)} {paint.dim(`· ${run}${url ? ` · ${url}` : ''}`)}
    </Text>
  );
}
