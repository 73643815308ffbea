// `pkt list`: options only; the command is src/cli/run/list-command.ts.
import type { Argv, CommandModule, Options } from 'yargs';
import type { ListArgs } from '../run/list-command.js';
import { guard } from '../run/guard.js';

/** The options of `pkt list`: the one list of them (completion and "did you mean" read it too). */
export const LIST_OPTIONS = {
  url: { type: 'string', describe: 'A pkt server; default $PKT_URL, else an embedded server' },
  token: { type: 'string', describe: 'Bearer token for the server (default: $PKT_TOKEN)' },
  'base-path': { type: 'string', describe: "Where the server's actions live (default /_piko/actions)" },
  json: { type: 'boolean', default: false, describe: 'The manifest as JSON on stdout' },
  actions: { type: 'string', array: true, describe: 'A folder of your own actions for the embedded server' },
} satisfies Record<string, Options>;

export const listCommandModule: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: "List the server's actions, whether each streams, and their fields",
  builder: (y) => y.options(LIST_OPTIONS) as unknown as Argv<ListArgs>,
  handler: async (args) => {
    const { listCommand } = await import('../run/list-command.js');
    process.exit(await guard(() => listCommand(args, { stdout: process.stdout, stderr: process.stderr, env: process.env }), process.stderr));
  },
};
