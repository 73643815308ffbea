// Failures before a run starts, worded for a person: what went wrong, what to do next.

import { ActionError } from '../../protocol/index.js';

/** Adds the next step to errors the client words for any caller. */
export function explainError(error: ActionError, context: { url: string; embedded: boolean }): ActionError {
  if (error.code === 'UNREACHABLE') {
    const hint = context.embedded
      ? 'the embedded server stopped'
      : 'is `pkt serve` running there? Check --url or PKT_URL';
    return new ActionError(error.status, error.code, `${error.message}; ${hint}`, error.errors);
  }
  if (error.code === 'UNAUTHORIZED') {
    return new ActionError(error.status, error.code, `${error.message} (server ${context.url})`, error.errors);
  }
  return error;
}
