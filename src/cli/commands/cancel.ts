// `pkt cancel <runId>`: options only; the command is src/cli/run/cancel-command.ts.
import type { Argv, CommandModule } from 'yargs';
import type { CancelArgs } from '../run/cancel-command.js';
import { guard } from '../run/guard.js';
import { TARGET_OPTIONS } from './target-options.js';

/** The options of `pkt cancel`: the one list of them (completion and "did you mean" read it too). */
export const CANCEL_OPTIONS = TARGET_OPTIONS;

export const cancelCommandModule: CommandModule<object, CancelArgs> = {
  command: 'cancel <runId>',
  describe: 'Cancel a run: exit 0 when cancelled, 1 when it had already ended, 2 when there is no such run',
  builder: (y) =>
    y.positional('runId', { type: 'string', describe: 'The run id (pkt runs lists them)' }).options(CANCEL_OPTIONS) as unknown as Argv<CancelArgs>,
  handler: async (args) => {
    const { cancelCommand } = await import('../run/cancel-command.js');
    process.exit(await guard(() => cancelCommand(args, { stdout: process.stdout, stderr: process.stderr, env: process.env }), process.stderr));
  },
};
