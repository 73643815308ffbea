// What a plain call is, apart from how its answer is written: the input checked against the
// action's schema, then its `call`, stopped at once by an abort. The plain route answers with
// it, and so does each entry of a batch.

import { ActionError } from '../../protocol/index.js';
import { errorBodyFor } from '../execute.js';
import type { RegisteredAction } from '../registry.js';
import { validate } from '../schema.js';
import type { HandlerContext } from './context.js';

/** The input as the action's schema makes it (defaults filled in), or a 422 naming each field. */
export async function validateInput(registered: RegisteredAction, raw: Record<string, unknown>): Promise<unknown> {
  const schema = registered.action.input;
  if (!schema) return raw;
  const result = await validate(schema, raw);
  if (result.ok) return result.value;
  const fields = Object.entries(result.errors)
    .map(([field, messages]) => `${field || '(input)'}: ${messages.join('; ')}`)
    .join(', ');
  throw new ActionError(422, 'INVALID_INPUT', `invalid input for ${registered.name}: ${fields}`, result.errors);
}

/** Runs `call`; rejects with an ActionError (the action's, redacted unless --dev, or the abort's). */
export async function runCall(
  ctx: Pick<HandlerContext, 'dev' | 'log'>,
  registered: RegisteredAction,
  input: unknown,
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
    return await Promise.race([registered.action.call(input, { signal }), aborted]);
  } catch (err) {
    throw ActionError.fromBody(errorBodyFor(err, registered.name, ctx));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
