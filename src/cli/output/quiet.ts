// Quiet mode (--quiet): for scripts that want only the answer. The result JSON on stdout;
// stderr stays silent unless the run fails, and then carries only the error.

import { failureText, resultJson } from '../state/describe.js';
import { createStdSinks } from './sink.js';
import { trackRun } from './tracker.js';
import type { OutputOptions } from './options.js';
import type { OutputIO, RunOutput } from './types.js';

export function createQuietOutput(io: OutputIO, opts: OutputOptions = {}): RunOutput {
  const sinks = createStdSinks(io, opts.onStdoutClosed);
  const { out, err } = sinks;
  // Nothing is shown per event; an `error` event only decides how the failure line begins.
  const run = trackRun(opts.now ?? (() => performance.now()), { logLimit: 0 });
  return {
    start(info) {
      run.start(info);
    },
    runId(id) {
      run.runId(id);
    },
    event(e) {
      run.event(e);
    },
    whenWritable: sinks.whenWritable,
    async finish(outcome) {
      const state = run.finish(outcome);
      if (outcome.ok) {
        out.write(resultJson(outcome.result, io.stdout.isTTY === true));
      } else {
        err.write(failureText(outcome.error, outcome.interrupted === true, state.terminalEvent === 'error'));
      }
      await sinks.close();
    },
  };
}
