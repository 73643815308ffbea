// Piko's plain answer: the action's result as it is, or `{"data": result, "_helpers": [...]}`
// when the action asked the page for UI effects (a toast, a redirect). The caller wants the
// result either way; the helpers are told as an event of their own, `helpers`, so a script
// (or `pkt run --json`) still sees them.

import { StreamEvent } from '../protocol/index.js';
import type { CallOptions } from './types.js';

/** The event type the helpers of an envelope are handed over as. */
export const HELPERS_EVENT = 'helpers';

/**
 * The result of a plain answer, its envelope taken off. Only an object whose keys are exactly
 * `_helpers` (a list) and, at most, `data` is an envelope: a result that merely has a `data`
 * field is left alone.
 */
export function openEnvelope(body: unknown, options: Pick<CallOptions, 'onEvent'>): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  const helpers = record._helpers;
  if (!Array.isArray(helpers) || !Object.keys(record).every((key) => key === '_helpers' || key === 'data')) return body;
  options.onEvent?.(new StreamEvent(HELPERS_EVENT, '', JSON.stringify(helpers)));
  return record.data;
}
