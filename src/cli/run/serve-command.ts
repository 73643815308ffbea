// `pkt serve`: the bundled HTTP server, plus any folders of actions, until SIGINT or SIGTERM.
// A plain function of its arguments and its IO, like the other commands; the yargs module
// (commands/serve.ts) only lists the options.

import { pageUrl, type Limits } from '../../protocol/index.js';
import { useOwnPackages } from '../resolve/own-packages.js';
import { EXIT } from './exit-codes.js';
import { startWorkerChild, type WorkerChild } from './worker-child.js';
import { badRedisUrl, redactUrl } from './redis-url.js';
import { parseDuration, parseSize } from './units.js';

export interface ServeArgs {
  /** Text, so a bad value can be named as typed (yargs would make `abc` NaN). */
  port: string;
  host: string;
  actions?: string[];
  token?: string;
  cors?: string[];
  dev: boolean;
  'base-path': string;
  linger?: string;
  'history-bytes'?: string;
  'history-runs'?: string;
  redis?: string;
  /** With --redis: run a worker beside the server (the default), or none (--no-worker). */
  worker?: boolean;
  'stall-timeout'?: string;
  'queue-timeout'?: string;
}

export interface ServeIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Resolves with the name of the first SIGINT or SIGTERM. */
  stopSignal(): Promise<string>;
  /** Leaves at once, whatever is still running. */
  exitNow(code: number): void;
  /** The pkt executable, to start a worker with (default: the script Node was started with). */
  entry?: string;
}

/** A hard limit on shutdown, so a stuck action can never keep the process alive. */
export const SHUTDOWN_LIMIT_MS = 4500;

/** Serves until a stop signal, then shuts down; resolves with the exit code. */
export async function serveCommand(args: ServeArgs, io: ServeIO): Promise<number> {
  const port = /^\d{1,5}$/.test(args.port) ? Number(args.port) : -1;
  if (port < 0 || port > 65535) {
    io.stderr.write(`pkt serve: --port wants a whole number from 0 to 65535 (0 picks a free one), not ${JSON.stringify(args.port)}\n`);
    return EXIT.USAGE;
  }
  const limits = historyLimits(args);
  if (typeof limits === 'string') {
    io.stderr.write(`pkt serve: ${limits}\n`);
    return EXIT.USAGE;
  }
  const queueTimeoutMs = args['queue-timeout'] === undefined ? undefined : parseDuration(args['queue-timeout']);
  if (args['queue-timeout'] !== undefined && !queueTimeoutMs) {
    io.stderr.write(`pkt serve: --queue-timeout wants a duration such as 10s, 500ms or 1m (a bare number is ms), not ${JSON.stringify(args['queue-timeout'])}\n`);
    return EXIT.USAGE;
  }
  const redis = args.redis ?? (io.env.PKT_REDIS || undefined);
  const badUrl = redis === undefined ? undefined : badRedisUrl(redis);
  if (badUrl) {
    io.stderr.write(`pkt serve: ${badUrl}\n`);
    return EXIT.USAGE;
  }
  if (redis === undefined && args.worker === false) {
    io.stderr.write('pkt serve: --no-worker is for a front end on Redis; add --redis redis://host:port (or set PKT_REDIS)\n');
    return EXIT.USAGE;
  }
  // Loaded on use, so `pkt --help` never pays for the server.
  const serverModule = await import('../../server/index.js');
  const { startServer } = serverModule;
  // Action files in folders of their own import pkt/server and zod from pkt's install.
  useOwnPackages(args.actions ?? [], serverModule);
  const log = (line: string) => io.stderr.write(`${line}\n`);
  const token = args.token ?? (io.env.PKT_TOKEN || undefined);
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
      limits,
      log,
      redis: redis ? { url: redis, queueTimeoutMs } : undefined,
    });
  } catch (err) {
    io.stderr.write(`pkt serve: ${(err as Error).message}\n`);
    return EXIT.FAILED;
  }
  let worker: WorkerChild | undefined;
  if (redis && args.worker !== false) {
    try {
      worker = await startWorkerChild({ entry: io.entry ?? process.argv[1]!, redis, args: workerArgs(args), log });
    } catch (err) {
      io.stderr.write(`pkt serve: ${(err as Error).message}\n`);
      await server.close();
      return EXIT.FAILED;
    }
  }
  const base = `${server.url}${args['base-path']}`;
  // With a token, the page's URL carries it (as Jupyter's does), so opening it just works.
  const lines = [`pkt serving on ${server.url}`, `  page     ${pageUrl(server.url, token)}`, `  actions  ${base}`];
  if (redis) {
    lines.push(`  runs     in Redis at ${redactUrl(redis)}; actions run on ${worker ? 'a worker beside this server, and on any other ' : 'the '}pkt worker`);
  }
  const width = Math.max(...server.registry.list().map((r) => r.name.length));
  for (const { name, action } of server.registry.list()) {
    const kind = action.streamProgress ? 'streams' : 'plain  ';
    lines.push(`    ${name.padEnd(width)}  ${kind}  ${action.description ?? ''}`.trimEnd());
  }
  io.stdout.write(`${lines.join('\n')}\n`);

  const signal = await io.stopSignal();
  log(`pkt serve: ${signal}, ending open streams and shutting down`);
  setTimeout(() => io.exitNow(EXIT.OK), SHUTDOWN_LIMIT_MS).unref();
  // The worker first: its runs end with SHUTDOWN while this server can still tell their followers.
  await worker?.stop();
  await server.close();
  return EXIT.OK;
}

/** What the worker beside the server is started with: the server's own actions and limits. */
function workerArgs(args: ServeArgs): string[] {
  const out: string[] = [];
  for (const dir of args.actions ?? []) out.push('--actions', dir);
  if (args.dev) out.push('--dev');
  if (args['stall-timeout'] !== undefined) out.push('--stall-timeout', args['stall-timeout']);
  if (args.linger !== undefined) out.push('--linger', args.linger);
  if (args['history-bytes'] !== undefined) out.push('--history-bytes', args['history-bytes']);
  if (args['history-runs'] !== undefined) out.push('--history-runs', args['history-runs']);
  return out;
}

/** --linger, --history-bytes and --history-runs as limits, or the line that says which is wrong. */
export function historyLimits(args: Pick<ServeArgs, 'linger' | 'history-bytes' | 'history-runs'>): Partial<Limits> | string {
  const limits: Partial<Limits> = {};
  if (args.linger !== undefined) {
    const ms = parseDuration(args.linger);
    if (ms === undefined) return `--linger wants a duration such as 15s, 500ms or 2m (a bare number is ms), not ${JSON.stringify(args.linger)}`;
    limits.lingerMs = ms;
  }
  if (args['history-bytes'] !== undefined) {
    const bytes = parseSize(args['history-bytes']);
    if (bytes === undefined || bytes < 1024 * 1024) {
      return `--history-bytes wants a size of at least 1MiB, such as 256MiB, 1GB or a number of bytes, not ${JSON.stringify(args['history-bytes'])}`;
    }
    limits.historyBytes = bytes;
  }
  if (args['history-runs'] !== undefined) {
    const runs = /^\d{1,9}$/.test(args['history-runs'].trim()) ? Number(args['history-runs']) : 0;
    if (runs < 1) return `--history-runs wants a whole number of runs, at least 1, such as 10000, not ${JSON.stringify(args['history-runs'])}`;
    limits.historyRuns = runs;
  }
  return limits;
}
