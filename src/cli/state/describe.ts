// Turns what the server sent into short, safe text: one line per event for the log, and the
// lines of an error. Server payloads are untrusted text on a terminal, so control characters
// (escape sequences above all) never pass through: they could move the cursor, break the
// live area's layout, or put escape codes into plain mode's output.

import { ActionError, readProgress, RESTART_EVENT, restartText, type ErrorBody, type StreamEvent } from '../../protocol/index.js';

/** Longest text kept for one event: enough for a message, small enough to keep memory bounded. */
export const EVENT_TEXT_LIMIT = 200;

// C0 and C1 controls and DEL. Tabs and line breaks become spaces first, so text stays one line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const BREAKS = /\r\n|[\r\n\t\u2028\u2029]/g;

/** One line of at most `max` characters (an ellipsis marks a cut), with no control characters. */
export function oneLine(text: string, max = EVENT_TEXT_LIMIT): string {
  const long = text.length > max;
  // Cut before cleaning, so a huge payload costs no more than a short one. Cleaning never
  // makes text longer, so the cut stays within `max`.
  const clean = (long ? text.slice(0, max) : text).replace(BREAKS, ' ').replace(CONTROL, '\ufffd');
  if (!long) return clean;
  let head = clean.slice(0, Math.max(0, max - 1));
  // Never leave half a surrogate pair before the ellipsis.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return head + '…';
}

/** Compact JSON for the log; never throws (a string payload the server could not encode stays as is). */
export function compactJson(value: unknown, max = EVENT_TEXT_LIMIT): string {
  if (typeof value === 'string') return oneLine(value, max);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = String(value);
  }
  return oneLine(json ?? '', max);
}

/** What the log shows for an event: its `message` when it has one, else the payload as compact JSON. */
export function eventText(event: StreamEvent, max = EVENT_TEXT_LIMIT): string {
  if (event.type === RESTART_EVENT) return oneLine(restartText(event.data), max);
  const { message } = readProgress(event.data);
  return message !== undefined ? oneLine(message, max) : compactJson(event.data, max);
}

/** An error as lines: the message, then one line per invalid field (`name: Required`). */
export function errorLines(error: ErrorBody): { message: string; fields: string[] } {
  const fields = Object.entries(error.errors ?? {}).map(([field, messages]) => `${fieldFlag(field)}: ${oneLine(messages.join('; '), 300)}`);
  return { message: oneLine(error.message || error.code, 500), fields };
}

/** A field path as the flag that sets it: `steps` is `--steps`, `items.0.name` is `--items (at 0.name)`. */
export function fieldFlag(path: string): string {
  if (path === '') return '(input)';
  const [field, ...rest] = path.split('.');
  return oneLine(`--${field}${rest.length > 0 ? ` (at ${rest.join('.')})` : ''}`, 80);
}

/**
 * A failed run as lines of text, without any prefix: the headline, then the field errors
 * indented. An interrupted run says so first; the run command words the rest (whether the
 * server cancelled the run, or it goes on detached) in the error's message.
 */
export function failureLines(error: ErrorBody, interrupted: boolean): string[] {
  const { message, fields } = errorLines(error);
  // An interrupted run that goes on (detached, attached to) says so itself, not "cancelled".
  const headline = interrupted && error.code === 'CANCELLED'
    ? message.toLowerCase() === 'cancelled' ? 'cancelled' : `cancelled (${message})`
    : message;
  return [headline, ...fields.map((line) => `  ${line}`)];
}

/**
 * Plain text for a failed run, as plain, quiet and JSON modes put it on stderr. Its first word
 * says whose failure it is: `error:` when the action ran and failed (it sent an `error` event,
 * or answered 5xx); `pkt:`, as on every other line pkt writes, for what went wrong around it
 * (an unknown action, invalid input, a refused token, no connection, a timeout, a broken stream).
 */
export function failureText(error: unknown, interrupted: boolean, fromEvent = false): string {
  const body = toErrorBody(error);
  const [headline, ...fields] = failureLines(body, interrupted);
  const prefix = interrupted ? '' : actionFailed(body, fromEvent) ? 'error: ' : 'pkt: ';
  return [`${prefix}${headline}`, ...fields].join('\n') + '\n';
}

// The client's own codes carry 5xx-like statuses, but no action failed behind them.
const CLIENT_CODES = new Set(['STREAM_ENDED', 'UNREACHABLE']);

function actionFailed(error: ErrorBody, fromEvent: boolean): boolean {
  return fromEvent || (error.status >= 500 && !CLIENT_CODES.has(error.code));
}

/** Whatever a failure carries (an ActionError, as the contract says, or anything else) as an error body. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ActionError) return error.toJSON();
  return ActionError.fromBody(error instanceof Error ? { message: error.message } : error).toJSON();
}

/** The result as it goes to stdout: indented for a person at a terminal, one line for a pipe. */
export function resultJson(result: unknown, pretty: boolean): string {
  // An action that returns nothing still yields valid JSON for `jq` and friends.
  const json = JSON.stringify(result === undefined ? null : result, null, pretty ? 2 : undefined);
  return `${json}\n`;
}
