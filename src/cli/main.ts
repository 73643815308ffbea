// The `pkt` command line as Node starts it: the start-up path, kept small. `pkt --version`
// answers here, and `pkt run` draws its first frame here (start-frame.ts), before the rest of
// the CLI (yargs, the client, the server, Ink) has loaded; app.ts is the rest.
import { VERSION } from './version.js';
import { drawStartFrame } from './start-frame.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${VERSION}\n`);
} else if (argv[0] === '--get-yargs-completions') {
  // What `pkt completion`'s script asks on each <TAB>: answered without yargs.
  const { completeCommand } = await import('./complete.js');
  await completeCommand(argv.slice(1), process);
  // A server that never answered may still hold a socket open: the shell has its answer.
  process.exit(0);
} else {
  drawStartFrame(argv, process);
  const { runCli } = await import('./app.js');
  await runCli(argv);
}
