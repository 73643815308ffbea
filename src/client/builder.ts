// The immutable builder `action.task.process(input)` returns: each `with*` gives a new
// builder, so one half-built call can be reused as a template.

import type { ActionCall, CallOptions } from './types.js';

export type Runner = (options: CallOptions) => Promise<unknown>;

export function createActionCall<Result = unknown>(run: Runner, options: CallOptions = { stream: true, detach: false }): ActionCall<Result> {
  const next = (change: Partial<CallOptions>) => createActionCall<Result>(run, { ...options, ...change });
  return {
    withOnProgress: (onProgress) => next({ onProgress }),
    withOnEvent: (onEvent) => next({ onEvent }),
    withOnRunId: (onRunId) => next({ onRunId }),
    withSignal: (signal) => next({ signal }),
    withTimeout(ms) {
      if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`withTimeout needs a positive number of ms, not ${ms}.`);
      return next({ timeoutMs: ms });
    },
    withRetryStream(retry) {
      const max = retry?.maxReconnects;
      if (!Number.isInteger(max) || max < 0) {
        throw new RangeError(`withRetryStream needs { maxReconnects: <whole number ≥ 0> }, not ${JSON.stringify(retry)}.`);
      }
      return next({ retry: { maxReconnects: max } });
    },
    withHeaders: (headers) => next({ headers: { ...options.headers, ...headers } }),
    withBackpressure: (backpressure) => next({ backpressure }),
    withStream: (stream) => next({ stream }),
    withDetach: (detach = true) => next({ detach }),
    call: () => run(options) as Promise<Result>,
  };
}
