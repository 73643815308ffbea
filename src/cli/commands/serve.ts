// `pkt serve`: options only; the command is src/cli/run/serve-command.ts.
import type { CommandModule, Options } from 'yargs';
import { DEFAULT_BASE_PATH } from '../../protocol/index.js';
import { guard } from '../run/guard.js';
import type { ServeArgs } from '../run/serve-command.js';
import { stopSignal } from './stop-signal.js';

/** The options of `pkt serve`: the one list of them (completion and "did you mean" read it too). */
export const SERVE_OPTIONS = {
  port: { type: 'string', default: '7070', describe: 'Port to listen on; 0 picks a free one' },
  host: { type: 'string', default: '127.0.0.1', describe: 'Address to listen on (0.0.0.0 for every interface)' },
  actions: { type: 'string', array: true, describe: 'A folder of action files (.ts or .js); repeatable' },
  token: { type: 'string', describe: 'Require Authorization: Bearer <token> (default: $PKT_TOKEN)' },
  cors: { type: 'string', array: true, describe: "Allow browser requests from this origin ('*' for any); repeatable" },
  dev: { type: 'boolean', default: false, describe: "Show actions' error messages to clients" },
  'base-path': { type: 'string', default: DEFAULT_BASE_PATH, describe: 'Where actions live on the server' },
  linger: { type: 'string', default: '15s', describe: 'How long a run goes on after its last client drops (unless detached): 500ms, 15s, 2m; a bare number is ms' },
  'history-bytes': { type: 'string', default: '256MiB', describe: 'Event data kept over all runs: bytes, or a size such as 64MiB or 1GB' },
  'history-runs': { type: 'string', default: '10000', describe: 'Runs kept, live and ended; the oldest ended ones go first' },
  redis: { type: 'string', describe: 'Keep runs in this Redis and run actions on workers: redis://host:port (default: $PKT_REDIS)' },
  worker: { type: 'boolean', default: true, describe: 'With --redis, also run one worker beside the server; --no-worker serves only' },
  'stall-timeout': { type: 'string', default: '30s', describe: "With --redis: a dead worker's runs end (WORKER_LOST) or restart within this time" },
  'queue-timeout': { type: 'string', default: '10s', describe: 'With --redis: a run or call no worker takes within this time gets 429 BUSY or 503 NO_WORKER' },
} satisfies Record<string, Options>;

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Run the action server (bundled actions, plus --actions folders)',
  builder: (y) =>
    y
      .options(SERVE_OPTIONS)
      .example('$0 serve --port 0', 'serve on any free port')
      .example('$0 serve --actions ./actions', 'add your own actions: actions/task/process.ts is task.process')
      .example('$0 serve --linger 1m --history-bytes 1GiB', 'more patience for dropped clients, more history')
      .example('$0 serve --redis redis://127.0.0.1:6379', 'runs in Redis, actions on a worker beside the server (add more with pkt worker)'),
  handler: async (args) => {
    const { serveCommand: serve } = await import('../run/serve-command.js');
    const code = await guard(
      () =>
        serve(args, {
          stdout: process.stdout,
          stderr: process.stderr,
          env: process.env,
          stopSignal: () => stopSignal(),
          exitNow: (c) => process.exit(c),
        }),
      process.stderr,
    );
    process.exit(code);
  },
};
