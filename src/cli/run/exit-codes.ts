// Exit codes of `pkt run` (issue 3, §5): what a script can branch on.

import type { ActionError } from '../../protocol/index.js';

export const EXIT = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  /** sysexits' EX_UNAVAILABLE. */
  UNREACHABLE: 69,
  /** What coreutils' timeout(1) exits with. */
  TIMEOUT: 124,
  /** 128 + SIGINT, as shells report a Ctrl-C. */
  INTERRUPTED: 130,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0    the action completed
  1    the action failed (an error event, or a 5xx answer)
  2    usage error or invalid input (422 included)
  69   server unreachable (the message names the URL)
  124  --timeout reached
  130  interrupted (Ctrl-C)`;

// 4xx answers that mean "the server is fine, try again later" rather than "fix the command".
const NOT_USAGE = new Set([408, 429, 499]);

export function exitCodeFor(
  outcome: { ok: true } | { ok: false; error: ActionError; interrupted?: boolean },
  context: { timeoutSet: boolean },
): number {
  if (outcome.ok) return EXIT.OK;
  if (outcome.interrupted) return EXIT.INTERRUPTED;
  const { code, status } = outcome.error;
  if (code === 'UNREACHABLE') return EXIT.UNREACHABLE;
  // The client's own timer; a server that reports TIMEOUT unasked is an action failure.
  if (code === 'TIMEOUT' && context.timeoutSet) return EXIT.TIMEOUT;
  if (status >= 400 && status < 500 && !NOT_USAGE.has(status)) return EXIT.USAGE;
  return EXIT.FAILED;
}
