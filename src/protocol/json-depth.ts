// How deep a JSON value nests, as PROTOCOL.md §6 counts it: `{}` is 1, `{"a":[]}` is 2. The
// server refuses input deeper than its limit and `pkt run` checks before sending, so both
// count alike. Measured with a stack of its own rather than by recursion, so no input, however
// deep (or hostile), can overflow the measuring itself.

/**
 * Levels of objects and arrays in `value`. With `stopPast`, it stops as soon as some part is
 * deeper than that, and returns a depth above it: enough for a server that only needs to know
 * whether the input is too deep, without walking all of it.
 */
export function jsonDepth(value: unknown, stopPast = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > stopPast) return deepest;
    }
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}
