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
  }
  return exitCodeFor(outcome, { timeoutSet: context.timeoutSet });
}
