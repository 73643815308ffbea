// The immutable builder `action.task.process(input)` returns: each `with*` gives a new
// builder, so one half-built call can be reused as a template.

import type { ActionCall, CallOptions, RetryStreamOptions } from './types.js';

export type Runner = (options: CallOptions) => Promise<unknown>;

export const DEFAULT_RETRY: Required<RetryStreamOptions> = { maxReconnects: 5, baseDelayMs: 250, maxDelayMs: 4000 };

export function createActionCall<Result = unknown>(
  run: Runner,
  options: CallOptions = { stream: true, detach: false, retry: DEFAULT_RETRY },
): ActionCall<Result> {
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
    withRetryStream: (retry) => next({ retry: retryOptions(retry) }),
    withOnConnection: (onConnection) => next({ onConnection }),
    withHeaders: (headers) => next({ headers: { ...options.headers, ...headers } }),
    withBackpressure: (backpressure) => next({ backpressure }),
    withStream: (stream) => next({ stream }),
    withDetach: (detach = true) => next({ detach }),
    call: () => run(options) as Promise<Result>,
  };
}

function retryOptions(retry: RetryStreamOptions | boolean): Required<RetryStreamOptions> | false {
  if (retry === false) return false;
  if (retry === true) return DEFAULT_RETRY;
  const merged = { ...DEFAULT_RETRY, ...retry };
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (typeof retry !== 'object' || retry === null || !whole(merged.maxReconnects, 0) || !whole(merged.baseDelayMs, 0) || !whole(merged.maxDelayMs, merged.baseDelayMs)) {
    throw new RangeError(
      `withRetryStream takes true, false, or { maxReconnects, baseDelayMs, maxDelayMs } in whole numbers ≥ 0 (maxDelayMs ≥ baseDelayMs), not ${JSON.stringify(retry)}.`,
    );
  }
  return merged;
}
