// `pkt serve`: the bundled HTTP server, plus any folders of actions.
import type { CommandModule } from 'yargs';
import { DEFAULT_BASE_PATH } from '../../protocol/index.js';

interface ServeArgs {
  port: string;
  host: string;
  actions?: string[];
  token?: string;
  cors?: string[];
  dev: boolean;
  'base-path': string;
}

/** A hard limit on shutdown, so a stuck action can never keep the process alive. */
const SHUTDOWN_LIMIT_MS = 4500;

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Run the action server (bundled actions, plus --actions folders)',
  builder: (y) =>
    y
      .option('port', { type: 'string', default: '7070', describe: 'Port to listen on; 0 picks a free one' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on (0.0.0.0 for every interface)' })
      .option('actions', { type: 'string', array: true, describe: 'A folder of action files (.ts or .js); repeatable' })
      .option('token', { type: 'string', describe: 'Require Authorization: Bearer <token> (default: $PKT_TOKEN)' })
      .option('cors', { type: 'string', array: true, describe: "Allow browser requests from this origin ('*' for any); repeatable" })
      .option('dev', { type: 'boolean', default: false, describe: "Show actions' error messages to clients" })
      .option('base-path', { type: 'string', default: DEFAULT_BASE_PATH, describe: 'Where actions live on the server' })
      .example('$0 serve --port 0', 'serve on any free port')
      .example('$0 serve --actions ./actions', 'add your own actions: actions/task/process.ts is task.process'),
  handler: async (args) => {
    // Read as text, so a bad value can be named as typed (yargs would make `abc` NaN).
    const port = /^\d{1,5}$/.test(args.port) ? Number(args.port) : -1;
    if (port < 0 || port > 65535) {
      process.stderr.write(`pkt serve: --port wants a whole number from 0 to 65535 (0 picks a free one), not ${JSON.stringify(args.port)}\n`);
      process.exit(2);
    }
    const { startServer } = await import('../../server/index.js');
    const { pageUrl } = await import('../../server/web/page-url.js');
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const token = args.token ?? (process.env.PKT_TOKEN || undefined);
    let server;
    try {
      server = await startServer({
        port,
        host: args.host,
        actionsDirs: args.actions,
        token,
        cors: (args.cors ?? []).flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean),
        dev: args.dev,
        basePath: args['base-path'],
        log,
      });
    } catch (err) {
      process.stderr.write(`pkt serve: ${(err as Error).message}\n`);
      process.exit(1);
    }
    const base = `${server.url}${args['base-path']}`;
    // With a token, the page's URL carries it (as Jupyter's does), so opening it just works.
    const lines = [`pkt serving on ${server.url}`, `  page     ${pageUrl(server.url, token)}`, `  actions  ${base}`];
    const width = Math.max(...server.registry.list().map((r) => r.name.length));
    for (const { name, action } of server.registry.list()) {
      const kind = action.streamProgress ? 'streams' : 'plain  ';
      lines.push(`    ${name.padEnd(width)}  ${kind}  ${action.description ?? ''}`.trimEnd());
    }
    process.stdout.write(`${lines.join('\n')}\n`);

    const stop = (signal: string) => {
      log(`pkt serve: ${signal}, ending open streams and shutting down`);
      setTimeout(() => process.exit(0), SHUTDOWN_LIMIT_MS).unref();
      server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  },
};
