// `pkt list`: options only; the command is src/cli/run/list-command.ts.
import type { Argv, CommandModule } from 'yargs';
import type { ListArgs } from '../run/list-command.js';
import { guard } from '../run/guard.js';

export const listCommandModule: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: "List the server's actions, whether each streams, and their fields",
  builder: (y) =>
    y
      .option('url', { type: 'string', describe: 'A pkt server; default $PKT_URL, else an embedded server' })
      .option('token', { type: 'string', describe: 'Bearer token for the server (default: $PKT_TOKEN)' })
      .option('base-path', { type: 'string', describe: "Where the server's actions live (default /_piko/actions)" })
      .option('json', { type: 'boolean', default: false, describe: 'The manifest as JSON on stdout' })
      .option('actions', { type: 'string', array: true, describe: 'A folder of your own actions for the embedded server' }) as unknown as Argv<ListArgs>,
  handler: async (args) => {
    const { listCommand } = await import('../run/list-command.js');
    process.exit(await guard(() => listCommand(args, { stdout: process.stdout, stderr: process.stderr, env: process.env }), process.stderr));
  },
};
