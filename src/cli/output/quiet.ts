// Quiet mode (--quiet): for scripts that want only the answer. The result JSON on stdout;
// stderr stays silent unless the run fails, and then carries only the error.

import { failureText, resultJson } from '../state/describe.js';
import { createStdSinks } from './sink.js';
import type { OutputOptions } from './options.js';
import type { OutputIO, RunOutput } from './types.js';

export function createQuietOutput(io: OutputIO, opts: OutputOptions = {}): RunOutput {
  const sinks = createStdSinks(io, opts.onStdoutClosed);
  const { out, err } = sinks;
  // Nothing is shown per event; an `error` event only decides how the failure line begins.
  let sawError = false;
  return {
    start() {},
    runId() {},
    event(e) {
      if (e.type === 'error') sawError = true;
    },
    whenWritable: sinks.whenWritable,
    async finish(outcome) {
      if (outcome.ok) {
        out.write(resultJson(outcome.result, io.stdout.isTTY === true));
      } else {
        err.write(failureText(outcome.error, outcome.interrupted === true, sawError));
      }
      await sinks.close();
    },
  };
}
