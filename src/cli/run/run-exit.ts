// How a run ends for the shell: the last words the output modes could not say, and the exit
// code a script branches on.

import { EXIT, exitCodeFor } from './exit-codes.js';
import { readerWentAway, stdoutFailureText } from './messages.js';
import type { RunEnd } from './run-execute.js';
import { fieldLines, type FieldInfo } from './schema-flags.js';

export interface ExitContext {
  /** The action's name as the manifest spells it (or as typed, with no manifest). */
  action: string;
  /** Its fields, listed after a 422 so the next try can get them right. */
  fields: FieldInfo[];
  timeoutSet: boolean;
  /** The input's fields as sent, to tell a server without a manifest got names it did not want. */
  sent?: string[];
}

export function runExitCode(end: RunEnd, context: ExitContext, say: (text: string) => void): number {
  const { outcome, stdoutFailure } = end;
  if (stdoutFailure !== undefined) {
    // The reader left (`| head -1`) with what it wanted: that is success, and nothing to say.
    if (readerWentAway(stdoutFailure)) return EXIT.OK;
    say(`pkt: ${stdoutFailureText(stdoutFailure)}`);
    return EXIT.FAILED;
  }
  if (!outcome.ok && outcome.error.status === 422 && context.fields.length > 0) {
    say(`fields of ${context.action}:\n${fieldLines(context.fields).map((l) => `  ${l}`).join('\n')}`);
  } else if (!outcome.ok && outcome.error.status === 422 && context.sent) {
    const wrongNames = unwantedFields(outcome.error.errors, context.sent);
    if (wrongNames) say(wrongNames);
  }
  return exitCodeFor(outcome, { timeoutSet: context.timeoutSet });
}

/**
 * With no manifest, field flags go out under the names typed. When the server's 422 asks for
 * fields that were not sent while some sent ones went unmentioned, the names were likely
 * wrong (--name for a Piko action's taskName): said plainly, rather than left to guess.
 */
export function unwantedFields(errors: Record<string, string[]> | undefined, sent: string[]): string | undefined {
  const wanted = Object.keys(errors ?? {}).map((path) => path.split('.')[0]!).filter((f) => f !== '' && !sent.includes(f));
  if (wanted.length === 0) return undefined;
  const flags = (names: string[]) => names.map((n) => `--${n}`).join(', ');
  const sentPart = sent.length > 0 ? `; pkt sent ${flags(sent)}` : '';
  return `pkt: this server publishes no fields, so field flags are sent as given${sentPart}; it asks for ${flags([...new Set(wanted)])}`;
}
