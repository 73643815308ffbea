// `pkt worker`: options only; the command is src/cli/run/worker-command.ts.
import type { CommandModule, Options } from 'yargs';
import { guard } from '../run/guard.js';
import type { WorkerArgs } from '../run/worker-command.js';
import { stopSignal } from './stop-signal.js';

/** The options of `pkt worker`: the one list of them (completion and "did you mean" read it too). */
export const WORKER_OPTIONS = {
  redis: { type: 'string', describe: 'The Redis that front ends share: redis://host:port (default: $PKT_REDIS)' },
  actions: { type: 'string', array: true, describe: 'A folder of action files (.ts or .js); repeatable' },
  concurrency: { type: 'string', default: '100', describe: 'Actions executed at once (runs and plain calls)' },
  'stall-timeout': { type: 'string', default: '30s', describe: "A dead worker's runs end (WORKER_LOST) or restart within this time: 30s, 5s" },
  dev: { type: 'boolean', default: false, describe: "Show actions' error messages to clients" },
  linger: { type: 'string', default: '15s', describe: 'A run whose clients all went with a front end that died is cancelled after this (as pkt serve --linger)' },
  'history-bytes': { type: 'string', default: '256MiB', describe: 'Event data kept over all runs (as pkt serve --history-bytes)' },
  'history-runs': { type: 'string', default: '10000', describe: 'Runs kept, live and ended (as pkt serve --history-runs)' },
} satisfies Record<string, Options>;

export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'Execute actions for pkt serve --redis front ends, taken from the Redis queue',
  builder: (y) =>
    y
      .options(WORKER_OPTIONS)
      .example('$0 worker --redis redis://127.0.0.1:6379 --actions ./actions', 'run your actions for every front end on that Redis'),
  handler: async (args) => {
    const { workerCommand: work } = await import('../run/worker-command.js');
    const code = await guard(
      () =>
        work(args, {
          stdout: process.stdout,
          stderr: process.stderr,
          env: process.env,
          stopSignal: () => stopSignal({ withParent: true }),
          ready: () => process.send?.('ready'),
          exitNow: (c) => process.exit(c),
        }),
      process.stderr,
    );
    process.exit(code);
  },
};
