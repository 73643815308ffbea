// The latest events, newest last, one row each: the type, then the message or compact JSON.
// The caller says how many rows there are; lines are truncated, never wrapped, so the log
// never takes more rows than it was given.
import { Box, Text } from 'ink';
import type { LogEntry } from '../state/reducer.js';
import type { Paint } from './paint.js';

export interface EventLogProps {
  entries: readonly LogEntry[];
  lines: number;
  paint: Paint;
}

const MAX_TYPE_WIDTH = 12;

export function EventLog({ entries, lines, paint }: EventLogProps) {
  if (lines <= 0 || entries.length === 0) return null;
  const shown = entries.slice(-lines);
  const typeWidth = Math.min(MAX_TYPE_WIDTH, Math.max(...shown.map((e) => e.type.length)));
  return (
    <Box flexDirection="column">
      {shown.map((e) => (
        <Text key={e.n} wrap="truncate-end">
          {paint.dim(e.type.padEnd(typeWidth))} {e.text}
        </Text>
      ))}
    </Box>
  );
}
