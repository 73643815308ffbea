// What a plain call is, apart from how its answer is written: the action's `call` where it
// executes (the host checks the input against its schema first), stopped at once by an abort.
// The plain route answers with it, and so does each entry of a batch.

import { ActionError } from '../../protocol/index.js';
import { errorBodyFor } from '../execute.js';
import type { HostedAction } from '../host.js';
import type { HandlerContext } from './context.js';

/** Runs `call`; rejects with an ActionError (the action's, redacted unless --dev, or the abort's). */
export async function runCall(
  ctx: Pick<HandlerContext, 'dev' | 'log' | 'host'>,
  action: HostedAction,
  input: Record<string, unknown>,
  signal: AbortSignal,
): Promise<unknown> {
  // An abort (shutdown, the client leaving) answers at once, even if the action ignores its signal.
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([ctx.host.call(action, input, signal), aborted]);
  } catch (err) {
    throw ActionError.fromBody(errorBodyFor(err, action.name, ctx));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
