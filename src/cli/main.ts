// The `pkt` command line. Commands stay thin: they parse arguments and call plain functions.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from './version.js';
import { serveCommand } from './commands/serve.js';

await yargs(hideBin(process.argv))
  .scriptName('pkt')
  .version(VERSION)
  .command(serveCommand)
  .demandCommand(1, 'Name a command: `pkt run <action>` or `pkt serve`. See `pkt --help`.')
  .strict()
  .help()
  .parseAsync();
