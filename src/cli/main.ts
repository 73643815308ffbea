// The `pkt` command line. Commands stay thin: they parse arguments and call plain functions.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from './version.js';

await yargs(hideBin(process.argv))
  .scriptName('pkt')
  .version(VERSION)
  .demandCommand(1, 'Name a command: `pkt run <action>` or `pkt serve`. See `pkt --help`.')
  .strict()
  .help()
  .parseAsync();
