// Plain mode, for a stderr that is not a terminal (a pipe, a file, CI, TERM=dumb): one line
// per event on stderr, with no escape codes at all, so logs stay greppable; the result JSON
// on stdout, so `pkt run ... > result.json` and `| jq` work.

import { formatPercent, isTerminalEvent, readProgress, type StreamEvent } from '../../protocol/index.js';
import type { ConnectionInfo } from '../../client/index.js';
import { eventText, failureText, oneLine, resultJson } from '../state/describe.js';
import { formatDuration } from '../state/format.js';
import { countedEvents, eventCount } from '../state/live-text.js';
import { createStdSinks } from './sink.js';
import { trackRun } from './tracker.js';
import type { OutputIO, RunOutput } from './types.js';
import type { OutputOptions } from './options.js';

export function createPlainOutput(io: OutputIO, opts: OutputOptions = {}): RunOutput {
  const now = opts.now ?? (() => performance.now());
  const sinks = createStdSinks(io, opts.onStdoutClosed);
  const { out, err } = sinks;
  // Only the elapsed time and the outcome are read back, so the log need not be kept.
  const run = trackRun(now, { logLimit: 0 });

  return {
    start(info) {
      run.start(info);
    },
    runId(id) {
      if (run.finished) return;
      run.runId(id);
      // Worth a line: the id is what re-attaching to the run or cancelling it needs.
      err.write(`run ${id}\n`);
    },
    event(e) {
      if (run.finished) return;
      run.event(e);
      // The terminal event is told by `finish` (the result on stdout, or the error), once.
      if (isTerminalEvent(e.type)) return;
      err.write(`${plainEventLine(e)}\n`);
    },
    connection(state, info) {
      if (run.finished) return;
      err.write(state === 'reconnecting' ? `${reconnectingLine(info)}\n` : info.attempt > 0 ? 'reconnected\n' : '');
    },
    whenWritable: sinks.whenWritable,
    async finish(outcome) {
      const state = run.finish(outcome);
      if (outcome.ok) {
        // The same order as the view: how it ended, then the result (which a terminal shows last).
        const stats = [`done in ${formatDuration(state.elapsedMs)}`];
        if (state.streaming) stats.push(eventCount(countedEvents(state)));
        err.write(`${stats.join(' · ')}\n`);
        out.write(resultJson(outcome.result, io.stdout.isTTY === true));
      } else {
        // An `error` event means the action itself failed, which decides how the line begins.
        err.write(failureText(outcome.error, outcome.interrupted === true, state.terminalEvent === 'error'));
      }
      await sinks.close();
    },
  };
}

/** `reconnecting… (attempt 2 of 5, connection lost)`: said once per attempt, on stderr. */
export function reconnectingLine(info: ConnectionInfo): string {
  return `reconnecting… (attempt ${info.attempt} of ${info.maxAttempts}${info.reason ? `, ${oneLine(info.reason, 120)}` : ''})`;
}

/** `progress 42% 3/7 Processing item 3`: the type, any progress, then the message or JSON. */
export function plainEventLine(e: StreamEvent): string {
  const reading = readProgress(e.data);
  const parts = [eventTypeText(e.type)];
  if (reading.percent !== undefined) parts.push(formatPercent(reading.percent));
  if (reading.step !== undefined && reading.total !== undefined) parts.push(`${reading.step}/${reading.total}`);
  const text = eventText(e);
  if (text) parts.push(text);
  return parts.join(' ');
}

// A Piko server can send any event name; ours are checked, but escape codes must never pass.
function eventTypeText(type: string): string {
  return type.replace(/[^\x21-\x7e]/g, '?').slice(0, 64) || 'message';
}
