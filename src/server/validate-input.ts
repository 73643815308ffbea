// The 422 of PROTOCOL.md §2: an action's input checked against its schema, wherever the action
// executes (in the server's process, or on a worker that took it from the queue).

import { ActionError } from '../protocol/index.js';
import type { RegisteredAction } from './registry.js';
import { validate } from './schema.js';

/** The input as the action's schema parses it; throws 422 INVALID_INPUT naming each bad field. */
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
