// The root of the Ink view. Above, the lines a frame writes for good (<Static>: the header
// once the run has an id, the events, the summary of a flood), which Ink prints once and
// leaves in the scrollback; below, the live region: a line or two that Ink redraws. It only
// draws what it is handed (the output mode reduces the events and plans the lines, at most
// every 50 ms), and it owns exit: once the state is final it asks Ink to unmount, which
// writes the final frame and resolves waitUntilExit.
import { useEffect, useMemo } from 'react';
import { Box, Static, Text, useApp } from 'ink';
import { headerText } from '../state/live-text.js';
import { createPaint, type Paint } from '../state/paint.js';
import { isFinished, type RunState } from '../state/reducer.js';
import { moreText, type PermanentLine } from '../state/scrollback.js';

export interface RunViewProps {
  state: RunState;
  /** This frame's lines for the scrollback; a new `id` for each frame that has some. */
  permanent: { id: number; lines: readonly PermanentLine[] };
  /** The live region's lines, each fitted to the width (live-text.ts's liveLines). */
  live: readonly string[];
  /** The terminal's width; passed in (not read from Ink) so a resize re-lays out on the next frame. */
  columns: number;
  color: boolean;
}

export function RunView({ state, permanent, live, columns, color }: RunViewProps) {
  const { exit } = useApp();
  const paint = useMemo(() => createPaint(color), [color]);
  const finished = isFinished(state.status);
  useEffect(() => {
    if (finished) exit();
  }, [finished, exit]);
  return (
    <>
      {/* A Static of its own per frame: it prints its items when it mounts, and React keeps
          only this frame's lines, however long the run. */}
      <Static key={permanent.id} items={[...permanent.lines]}>
        {(line, i) => <Text key={i}>{permanentText(line, state, columns, paint)}</Text>}
      </Static>
      <Box flexDirection="column" width={columns}>
        {live.map((line, i) => (
          <Text key={i} wrap="truncate-end">
            {line}
          </Text>
        ))}
      </Box>
    </>
  );
}

function permanentText(line: PermanentLine, state: RunState, columns: number, paint: Paint): string {
  switch (line.kind) {
    case 'header':
      return headerText(state, columns, paint);
    case 'more':
      return paint.dim(moreText(line.count));
    case 'event':
      return `${paint.dim(line.entry.type)} ${line.entry.text}`;
  }
}
