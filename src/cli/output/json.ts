// JSON Lines mode (--json): stdout carries one `{"event","id","data"}` line per event, the
// terminal one included, and nothing else, so `jq -c` and line readers can follow a run live.
// Each line goes out in the turn of the event loop its event arrived in; nothing waits for
// the end. Lines from one turn (one network read) share a write: to a file or /dev/null
// Node writes synchronously, and a system call per line was half of a firehose's cost.

import { failureText, toErrorBody } from '../state/describe.js';
import { createStdSinks } from './sink.js';
import { trackRun } from './tracker.js';
import type { OutputOptions } from './options.js';
import type { OutputIO, RunOutput, StreamEvent } from './types.js';

/** A batch this large is written without waiting for the end of the turn. */
const BATCH_BYTES = 64 * 1024;

export interface JsonLine {
  event: string;
  /** The event's id as the server sent it; null when it sent none, or for a line pkt made up. */
  id: string | null;
  data: unknown;
}

export function createJsonOutput(io: OutputIO, opts: OutputOptions = {}): RunOutput {
  const sinks = createStdSinks(io, opts.onStdoutClosed);
  const { out, err } = sinks;
  // Nothing of the state is shown per event; it says at the end whether the stream ended itself.
  const run = trackRun(opts.now ?? (() => performance.now()), { logLimit: 0 });

  let batch = '';
  let scheduled = false;
  const flushBatch = () => {
    scheduled = false;
    if (batch === '') return;
    const text = batch;
    batch = '';
    out.write(text);
  };
  const line = (value: JsonLine) => {
    batch += `${JSON.stringify(value)}\n`;
    if (batch.length >= BATCH_BYTES) flushBatch();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flushBatch);
    }
  };

  return {
    start(info) {
      run.start(info);
    },
    runId(id) {
      run.runId(id);
    },
    event(e) {
      run.event(e);
      line(jsonLine(e));
    },
    whenWritable: sinks.whenWritable,
    async finish(outcome) {
      const state = run.finish(outcome);
      // Every run ends with exactly one terminal line. When the stream did not bring one
      // (--no-stream, an HTTP error such as 422, an unreachable server), pkt writes it.
      if (state.terminalEvent === undefined) {
        if (outcome.ok) line({ event: 'complete', id: null, data: outcome.result ?? null });
        else line({ event: 'error', id: null, data: toErrorBody(outcome.error) });
      }
      if (!outcome.ok) {
        // stdout stays pure JSON; a person watching still learns why the exit code is not 0.
        err.write(failureText(outcome.error, outcome.interrupted === true, state.terminalEvent === 'error'));
      }
      flushBatch();
      await sinks.close();
    },
  };
}

export function jsonLine(e: StreamEvent): JsonLine {
  return { event: e.type, id: e.id === '' ? null : e.id, data: e.data === undefined ? null : e.data };
}
