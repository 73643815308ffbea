// `pkt runs`: the server's runs, live ones first, as a table or as JSON Lines.

import { isRunInfoState, MAX_RUNS_LIMIT, RUN_STATES, type RunInfo, type RunInfoState } from '../../protocol/index.js';
import type { Client } from '../../client/index.js';
import { EXIT } from './exit-codes.js';
import { formatRunsTable } from './runs-table.js';
import { resolveTarget, type TargetArgs } from './target.js';
import { UsageError } from './usage-error.js';
import { withServer } from './with-server.js';

export interface RunsArgs extends TargetArgs {
  state?: string;
  limit: string;
  json: boolean;
}

export interface RunsIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

export async function runsCommand(args: RunsArgs, io: RunsIO): Promise<number> {
  const state = args.state;
  if (state !== undefined && !isRunInfoState(state)) {
    throw new UsageError(`--state takes ${RUN_STATES.join(', ')}, not ${JSON.stringify(state)}`);
  }
  const limit = /^\d{1,4}$/.test(args.limit) ? Number(args.limit) : 0;
  if (limit < 1 || limit > MAX_RUNS_LIMIT) {
    throw new UsageError(`--limit takes a whole number from 1 to ${MAX_RUNS_LIMIT}, not ${JSON.stringify(args.limit)}`);
  }
  return withServer(resolveTarget(args, io.env), io, async ({ client, embedded }) => {
    const runs = await liveFirst(client, state, limit);
    if (args.json) {
      io.stdout.write(runs.map((run) => `${JSON.stringify(run)}\n`).join(''));
    } else if (runs.length > 0) {
      io.stdout.write(formatRunsTable(runs, (io.now ?? Date.now)()));
    } else {
      io.stdout.write(state ? `no ${state} runs\n` : 'no runs\n');
    }
    if (embedded) {
      // With no server named, these are the runs of one pkt started just now for this command.
      io.stderr.write(
        'pkt: no --url (or PKT_URL): these are the runs of a server pkt started for this command, and a run of `pkt run` without --url ends with its pkt; to keep and list runs, start `pkt serve` and point --url at it\n',
      );
    }
    return EXIT.OK;
  });
}

/** Live runs, then the others, each newest first: two pages when no state is asked for. */
async function liveFirst(client: Client, state: RunInfoState | undefined, limit: number): Promise<RunInfo[]> {
  if (state !== undefined) return (await client.runs({ state, limit })).runs;
  const [live, all] = await Promise.all([client.runs({ state: 'live', limit }), client.runs({ limit })]);
  const rest = all.runs.filter((run) => run.state !== 'live');
  return [...live.runs, ...rest].slice(0, limit);
}
