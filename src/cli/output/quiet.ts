// Quiet mode (--quiet): for scripts that want only the answer. The result JSON on stdout;
// stderr stays silent unless the run fails, and then carries only the error.

import { failureText, resultJson } from './describe.js';
import { createSink } from './sink.js';
import type { OutputOptions } from './options.js';
import type { OutputIO, RunOutput } from './types.js';

export function createQuietOutput(io: OutputIO, opts: OutputOptions = {}): RunOutput {
  const out = createSink(io.stdout, opts.onStdoutClosed);
  const err = createSink(io.stderr);
  // Nothing is shown per event; an `error` event only decides how the failure line begins.
  let sawError = false;
  return {
    start() {},
    runId() {},
    event(e) {
      if (e.type === 'error') sawError = true;
    },
    whenWritable: async () => {
      await Promise.all([out.whenWritable(), err.whenWritable()]);
    },
    async finish(outcome) {
      if (outcome.ok) {
        out.write(resultJson(outcome.result, io.stdout.isTTY === true));
      } else {
        err.write(failureText(outcome.error, outcome.interrupted === true, sawError));
      }
      await Promise.all([out.flush(), err.flush()]);
      out.dispose();
      err.dispose();
    },
  };
}
