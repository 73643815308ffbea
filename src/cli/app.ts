// The `pkt` command line. Commands stay thin: they parse arguments and call plain functions.
// Loaded by main.ts once it has done what start-up can do without yargs.
import yargs from 'yargs';
import { VERSION } from './version.js';
import { serveCommand } from './commands/serve.js';
import { workerCommand } from './commands/worker.js';
import { runCommandModule } from './commands/run.js';
import { listCommandModule } from './commands/list.js';
import { attachCommandModule } from './commands/attach.js';
import { runsCommandModule } from './commands/runs.js';
import { cancelCommandModule } from './commands/cancel.js';
import { withCompletion } from './commands/completion.js';
import { EXIT, EXIT_CODES_HELP } from './run/exit-codes.js';
import { commandSuggestion, optionsFor, withSuggestion } from './commands/suggest.js';

export async function runCli(argv: string[]): Promise<void> {
  await withCompletion(yargs(argv))
    .scriptName('pkt')
    .version(VERSION)
    .command(runCommandModule)
    .command(attachCommandModule)
    .command(runsCommandModule)
    .command(cancelCommandModule)
    .command(listCommandModule)
    .command(serveCommand)
    .command(workerCommand)
    // No "see --help" here: the .fail handler adds it to every usage message.
    .demandCommand(1, 'Name a command: `pkt run <action>` or `pkt serve`.')
    .strict()
    .help()
    .alias('h', 'help')
    .epilogue(EXIT_CODES_HELP)
    // A usage mistake exits 2 (yargs would exit 1, which scripts read as "the action failed").
    .fail((message, error) => {
      if (error) throw error;
      const said = commandSuggestion(argv) ?? withSuggestion(message, optionsFor(argv));
      process.stderr.write(`pkt: ${said}\nSee \`pkt --help\`.\n`);
      process.exit(EXIT.USAGE);
    })
    .parseAsync();
}
