// `pkt cancel <runId>`: exit 0 when the run was cancelled, 1 when it had already ended, 2 for
// an unknown id (a 404, which with-server.ts words and maps like every usage error).

import { EXIT } from './exit-codes.js';
import { resolveTarget, type TargetArgs } from './target.js';
import { withServer } from './with-server.js';

export interface CancelArgs extends TargetArgs {
  runId: string;
}

export interface CancelIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export async function cancelCommand(args: CancelArgs, io: CancelIO): Promise<number> {
  return withServer(resolveTarget(args, io.env), io, async ({ client }) => {
    const result = await client.cancel(String(args.runId));
    if (result.cancelled) {
      io.stdout.write(`cancelled run ${result.runId}\n`);
      return EXIT.OK;
    }
    io.stderr.write(`pkt: run ${result.runId} had already ended; nothing to cancel\n`);
    return EXIT.FAILED;
  });
}
