// `pkt run`'s arguments as the real command line parses them: the yargs definition of
// src/cli/commands/run.ts (the one list of pkt's options) under a root like main.ts's.
import yargs, { type Argv } from 'yargs';
import { ownOptions, runArgs, runCommandModule } from '../../../src/cli/commands/run.js';
import type { OwnOptions, RunArgs } from '../../../src/cli/run/run-command.js';

export async function parseRun(tokens: string[]): Promise<{ args: RunArgs; own: OwnOptions }> {
  let args: RunArgs | undefined;
  let own: OwnOptions | undefined;
  const builder = runCommandModule.builder as (y: Argv) => Argv;
  await yargs(['run', ...tokens])
    .version('0.0.0')
    .command({
      ...runCommandModule,
      builder: (y) => {
        const built = builder(y);
        own = ownOptions(y);
        return built;
      },
      handler: (parsed) => {
        args = runArgs(parsed as unknown as RunArgs & { _: string[] });
      },
    } as typeof runCommandModule)
    .strict()
    .fail((message, error) => {
      throw error ?? new Error(message);
    })
    .parseAsync();
  return { args: args!, own: own! };
}
