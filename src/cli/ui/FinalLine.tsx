// How the run ended: `✔ done in 1.0 s`, `✖ <message>` with the invalid fields below it, or
// `✖ cancelled (…)` after Ctrl-C.
import { Box, Text } from 'ink';
import { failureLines } from '../state/describe.js';
import { formatDuration } from '../state/format.js';
import type { RunState } from '../state/reducer.js';
import type { Paint } from './paint.js';

export interface FinalLineProps {
  state: Pick<RunState, 'status' | 'elapsedMs' | 'error'>;
  /** Rows for field errors; when there are more, the last row says how many are left out. */
  fieldLines: number;
  paint: Paint;
}

export function FinalLine({ state, fieldLines, paint }: FinalLineProps) {
  if (state.status === 'complete') {
    return <Text wrap="truncate-end">{paint.green('✔')} done in {formatDuration(state.elapsedMs)}</Text>;
  }
  if (state.status !== 'error' && state.status !== 'interrupted') return null;
  const interrupted = state.status === 'interrupted';
  const [headline = '', ...fields] = failureLines(
    state.error ?? { status: 0, code: 'INTERNAL', message: 'the run failed' },
    interrupted,
  );
  const shown = fields.length > fieldLines ? [...fields.slice(0, Math.max(0, fieldLines - 1)), `  … ${fields.length - fieldLines + 1} more`] : fields;
  const mark = interrupted ? paint.yellow('✖') : paint.red('✖');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {mark} {headline}
      </Text>
      {fieldLines > 0 &&
        shown.map((line, i) => (
          <Text key={i} wrap="truncate-end">
            {line}
          </Text>
        ))}
    </Box>
  );
}
