// `pkt attach <runId>`: follows a run that exists (its history, then live) and draws it
// exactly as `pkt run` does, with the same output modes and exit codes. Ctrl-C stops
// watching; the run goes on, as the last line says.

import { chooseOutputMode, preloadOutput } from '../output/index.js';
import { executeRun, type ExecuteIO } from './run-execute.js';
import { runExitCode } from './run-exit.js';
import { resolveTarget, type TargetArgs } from './target.js';
import { UsageError } from './usage-error.js';
import { withServer } from './with-server.js';

export interface AttachArgs extends TargetArgs {
  runId: string;
  from?: string;
  json: boolean;
  quiet: boolean;
  retry: boolean;
}

export interface AttachIO extends ExecuteIO {
  env: NodeJS.ProcessEnv;
}

export async function attachCommand(args: AttachArgs, io: AttachIO): Promise<number> {
  const from = args.from?.trim();
  if (from !== undefined && !/^\d{1,15}$/.test(from)) {
    throw new UsageError(`--from wants the seq of an event to replay after (a whole number, such as --from 42), not ${JSON.stringify(args.from)}`);
  }
  const target = resolveTarget(args, io.env);
  const mode = chooseOutputMode({ json: args.json, quiet: args.quiet, io });
  preloadOutput(mode);
  return withServer(target, io, async (server) => {
    // The record first: the action's name for the view, whether the run goes on without
    // anyone watching, and a clear 404 for an unknown id before any view is drawn.
    const run = await server.client.run(String(args.runId));
    const end = await executeRun(
      {
        action: run.action,
        mode,
        stream: true,
        detach: run.detached,
        retry: args.retry !== false,
        attach: { runId: run.runId, detached: run.detached, ...(from !== undefined ? { from } : {}) },
      },
      {},
      server,
      io,
    );
    const say = (text: string) => io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    return runExitCode(end, { action: run.action, fields: [], timeoutSet: false }, say);
  });
}
