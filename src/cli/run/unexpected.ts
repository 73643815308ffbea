// The last net under a command: a failure nobody words better gets one line, not a stack.

import { EXIT } from './exit-codes.js';

export async function guard(command: () => Promise<number>, stderr: NodeJS.WritableStream): Promise<number> {
  try {
    return await command();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    stderr.write(`pkt: ${message}\n(unexpected; PKT_DEBUG=1 shows the stack)\n`);
    if (process.env.PKT_DEBUG) stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    return EXIT.FAILED;
  }
}
