// How deep the input nests, checked before it is sent: a server refuses input deeper than its
// limit (PROTOCOL.md §6), and one deep enough cannot even be encoded. Measured with a stack of
// its own rather than by recursion, so no depth can overflow the check itself.

import { DEFAULT_LIMITS } from '../../protocol/index.js';
import { UsageError } from './usage-error.js';

/** Levels of objects and arrays, counted as the server counts them: `{}` is 1, `{"a":[]}` is 2. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > deepest) deepest = depth;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

export function checkInputDepth(input: unknown, max: number = DEFAULT_LIMITS.maxJsonDepth): void {
  const depth = jsonDepth(input);
  if (depth <= max) return;
  throw new UsageError(`the input nests ${depth} levels deep; servers take at most ${max}`, [
    'flatten it, or pass the deep part as a JSON string',
  ]);
}
