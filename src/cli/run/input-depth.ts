// The input's depth, checked before it is sent: a server refuses input deeper than its limit
// (PROTOCOL.md §6), and one deep enough cannot even be encoded.

import { DEFAULT_LIMITS, jsonDepth } from '../../protocol/index.js';
import { UsageError } from './usage-error.js';

/** `max` is the server's limit: pkt's by default, Piko's (32) for a server with no manifest. */
export function checkInputDepth(input: unknown, max: number = DEFAULT_LIMITS.maxJsonDepth, servers = 'servers'): void {
  const depth = jsonDepth(input);
  if (depth <= max) return;
  throw new UsageError(`the input nests ${depth} levels deep; ${servers} take at most ${max}`, [
    'flatten it, or pass the deep part as a JSON string',
  ]);
}
