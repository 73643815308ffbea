// The root of the Ink view. It only draws the state it is given (the output mode reduces the
// events and hands over a new state at most every 50 ms), and it owns exit: once the state
// is final it asks Ink to unmount, which writes the final frame and resolves waitUntilExit.
import { useEffect, useMemo } from 'react';
import { Box, useApp } from 'ink';
import { isFinished, type RunState } from '../state/reducer.js';
import { EventLog } from './EventLog.js';
import { FinalLine } from './FinalLine.js';
import { Header } from './Header.js';
import { planLayout } from './layout.js';
import { createPaint } from './paint.js';
import { ProgressBar } from './ProgressBar.js';

export interface RunViewProps {
  state: RunState;
  /** The terminal's size; passed in (not read from Ink) so a resize re-lays out on the next frame. */
  rows: number;
  columns: number;
  color: boolean;
}

export function RunView({ state, rows, columns, color }: RunViewProps) {
  const { exit } = useApp();
  const paint = useMemo(() => createPaint(color), [color]);
  const finished = isFinished(state.status);
  useEffect(() => {
    if (finished) exit();
  }, [finished, exit]);

  const layout = planLayout({
    rows,
    finished,
    fieldErrors: Object.keys(state.error?.errors ?? {}).length,
    logEntries: state.log.length,
  });
  return (
    <Box flexDirection="column" width={columns}>
      {layout.header && (
        <Header action={state.action} runId={state.runId} url={state.url} streaming={state.streaming} paint={paint} />
      )}
      {layout.bar && (
        <ProgressBar
          status={state.status}
          streaming={state.streaming}
          percent={state.percent}
          step={state.step}
          total={state.total}
          events={state.events}
          rate={state.rate}
          etaMs={state.etaMs}
          elapsedMs={state.elapsedMs}
          columns={columns}
          paint={paint}
        />
      )}
      <EventLog entries={state.log} lines={layout.logLines} paint={paint} />
      <FinalLine state={state} fieldLines={layout.fieldLines} paint={paint} />
    </Box>
  );
}
