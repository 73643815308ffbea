// `pkt runs`: options only; the command is src/cli/run/runs-command.ts.
import type { Argv, CommandModule, Options } from 'yargs';
import { RUN_STATES } from '../../protocol/index.js';
import type { RunsArgs } from '../run/runs-command.js';
import { guard } from '../run/guard.js';
import { TARGET_OPTIONS } from './target-options.js';

/** The options of `pkt runs`: the one list of them (completion and "did you mean" read it too). */
export const RUNS_OPTIONS = {
  ...TARGET_OPTIONS,
  state: { type: 'string', describe: `Only runs in this state: ${RUN_STATES.join(', ')}` },
  limit: { type: 'string', default: '50', describe: 'At most this many runs' },
  json: { type: 'boolean', default: false, describe: 'JSON Lines on stdout: one run record per line' },
} satisfies Record<string, Options>;

export const runsCommandModule: CommandModule<object, RunsArgs> = {
  command: 'runs',
  describe: "List the server's runs, live ones first: id, action, state, percent, age, duration",
  builder: (y) => y.options(RUNS_OPTIONS) as unknown as Argv<RunsArgs>,
  handler: async (args) => {
    const { runsCommand } = await import('../run/runs-command.js');
    process.exit(await guard(() => runsCommand(args, { stdout: process.stdout, stderr: process.stderr, env: process.env }), process.stderr));
  },
};
