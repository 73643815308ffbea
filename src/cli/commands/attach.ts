// `pkt attach <runId>`: options only; the command is src/cli/run/attach-command.ts.
import type { Argv, CommandModule, Options } from 'yargs';
import type { AttachArgs } from '../run/attach-command.js';
import { guard } from '../run/guard.js';
import { TARGET_OPTIONS } from './target-options.js';

/** The options of `pkt attach`: the one list of them (completion and "did you mean" read it too). */
export const ATTACH_OPTIONS = {
  ...TARGET_OPTIONS,
  from: { type: 'string', describe: 'Replay only the events after this seq; default: from the start' },
  json: { type: 'boolean', default: false, describe: 'JSON Lines on stdout: one {"event","id","data"} per event' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'Only the result on stdout (errors still on stderr)' },
  retry: { type: 'boolean', default: true, describe: 'Re-attach by itself after a dropped connection; --no-retry gives up at once' },
} satisfies Record<string, Options>;

export const attachCommandModule: CommandModule<object, AttachArgs> = {
  command: 'attach <runId>',
  describe: 'Watch a run that already exists: its history, then live (Ctrl-C stops watching; the run goes on)',
  builder: (y) =>
    y
      .positional('runId', { type: 'string', describe: 'The run id (pkt runs lists them)' })
      .options(ATTACH_OPTIONS)
      .example('$0 attach Xy3... --url http://127.0.0.1:7070', 'follow a run started with pkt run --detach') as unknown as Argv<AttachArgs>,
  handler: async (args) => {
    const { attachCommand } = await import('../run/attach-command.js');
    const code = await guard(
      () =>
        attachCommand(args, {
          stdout: process.stdout,
          stderr: process.stderr,
          env: process.env,
          onInterrupt(handler) {
            process.on('SIGINT', handler);
            return () => process.off('SIGINT', handler);
          },
          exitNow: (c) => process.exit(c),
        }),
      process.stderr,
    );
    process.exit(code);
  },
};
