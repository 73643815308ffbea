// The two ways a caller stops a call early, its signal and its timeout, as one callback.

import type { ActionError } from '../protocol/index.js';
import { cancelled, timedOut } from './failures.js';

/** Calls `onStop` once, with CANCELLED or TIMEOUT; returns a function that stops watching. */
export function watchStop(
  options: { signal?: AbortSignal; timeoutMs?: number },
  onStop: (error: ActionError) => void,
): () => void {
  const { signal, timeoutMs } = options;
  let done = false;
  const stop = (error: ActionError) => {
    if (done) return;
    dispose();
    onStop(error);
  };
  const onAbort = () => stop(cancelled(signal?.reason));
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop(timedOut(timeoutMs)), timeoutMs);
  signal?.addEventListener('abort', onAbort, { once: true });
  function dispose() {
    done = true;
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  if (signal?.aborted) queueMicrotask(onAbort);
  return dispose;
}
