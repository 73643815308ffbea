// The net under every command, so no command catches for itself what all of them share: a
// UsageError, from wherever it comes (the arguments, the target, a folder of actions, the
// input), is its message and exit 2; a failure nobody words better gets one line, not a stack.

import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export async function guard(command: () => Promise<number>, stderr: NodeJS.WritableStream): Promise<number> {
  try {
    return await command();
  } catch (err) {
    if (err instanceof UsageError) {
      stderr.write(err.toText());
      return EXIT.USAGE;
    }
    const message = err instanceof Error ? err.message : String(err);
    stderr.write(`pkt: ${message}\n(unexpected; PKT_DEBUG=1 shows the stack)\n`);
    if (process.env.PKT_DEBUG) stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    return EXIT.FAILED;
  }
}
