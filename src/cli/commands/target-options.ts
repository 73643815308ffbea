// The options that say which server a command talks to, shared by the commands that only
// talk to one (attach, runs, cancel).
import type { Options } from 'yargs';

export const TARGET_OPTIONS = {
  url: { type: 'string', describe: 'A pkt server; default $PKT_URL, else an embedded server (which has no runs)' },
  token: { type: 'string', describe: 'Bearer token for the server (default: $PKT_TOKEN)' },
  'base-path': { type: 'string', describe: "Where the server's actions live (default /_piko/actions)" },
} satisfies Record<string, Options>;
