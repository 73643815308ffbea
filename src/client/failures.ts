// The ActionErrors the client raises itself, and how it reads an error answer off the wire.
// Statuses: the ones with no HTTP answer behind them use 0 (unreachable) or the nearest
// HTTP meaning (408 timeout, 499 cancelled by the client, 502 a broken stream).

import { ActionError } from '../protocol/index.js';

export function unreachable(url: string, cause: unknown): ActionError {
  return new ActionError(0, 'UNREACHABLE', `cannot reach the server at ${url} (${describeCause(cause)})`);
}

export function timedOut(ms: number): ActionError {
  return new ActionError(408, 'TIMEOUT', `no result within ${ms} ms`);
}

export function cancelled(reason?: unknown): ActionError {
  const why = reason instanceof Error && reason.name !== 'AbortError' ? `: ${reason.message}` : '';
  return new ActionError(499, 'CANCELLED', `the call was cancelled${why}`);
}

export function streamEnded(detail?: string): ActionError {
  return new ActionError(502, 'STREAM_ENDED', `stream ended without completion${detail ? ` (${detail})` : ''}`);
}

/** The body of an answer: JSON where it parses, else its text. */
export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * An error answer as an ActionError; a non-JSON body (a proxy's HTML page) keeps one line of
 * it. `notFound` is the code of a 404 that names none (a server without this route).
 */
export async function errorFromResponse(response: Response, notFound?: string): Promise<ActionError> {
  let body: unknown;
  try {
    body = await readBody(response);
  } catch {
    body = undefined;
  }
  if (typeof body === 'string') body = firstLine(body) || undefined;
  const error = ActionError.fromBody(body, response.status);
  const named = typeof (body as { code?: unknown } | undefined)?.code === 'string';
  if (notFound && response.status === 404 && !named) return new ActionError(404, notFound, error.message, error.errors);
  return error;
}

function firstLine(text: string): string {
  const line = text.replace(/<[^>]*>/g, ' ').trim().split(/\r?\n/)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function describeCause(cause: unknown): string {
  // Node's fetch wraps the socket error: "fetch failed" with the useful part in `cause`.
  let err = cause;
  while (err instanceof Error && err.cause instanceof Error) err = err.cause;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.message : String(err);
}
