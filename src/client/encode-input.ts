// The input as the request body. Encoded before any request goes out, so an input that cannot
// be JSON (nested so deep that JSON.stringify overflows the stack, circular, a BigInt) is the
// caller's mistake, reported as such, and never mistaken for a server that cannot be reached.

import { ActionError } from '../protocol/index.js';

export function encodeInput(input: unknown): string {
  try {
    return JSON.stringify(input ?? {});
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const why = /call stack/i.test(message) ? 'it nests too deep to encode' : message;
    throw new ActionError(400, 'BAD_JSON', `the input cannot be sent as JSON (${why}); send plain, shallower data`);
  }
}
