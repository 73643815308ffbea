// `pkt worker`: executes actions from the Redis queue until SIGINT or SIGTERM (or until the
// `pkt serve` that started it goes). A plain function of its arguments and its IO.

import { useOwnPackages } from '../resolve/own-packages.js';
import { EXIT } from './exit-codes.js';
import { historyLimits } from './serve-command.js';
import { badRedisUrl, redactUrl } from './redis-url.js';
import { parseDuration } from './units.js';

export interface WorkerArgs {
  redis?: string;
  actions?: string[];
  concurrency: string;
  'stall-timeout': string;
  dev: boolean;
  linger?: string;
  'history-bytes'?: string;
  'history-runs'?: string;
}

export interface WorkerIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Resolves with what asked it to stop. */
  stopSignal(): Promise<string>;
  /** Tells whoever started it that it takes jobs now (pkt serve waits for it). */
  ready?(): void;
  exitNow(code: number): void;
}

/** A hard limit on shutdown, so a stuck action can never keep the process alive. */
const SHUTDOWN_LIMIT_MS = 4500;

export async function workerCommand(args: WorkerArgs, io: WorkerIO): Promise<number> {
  const options = workerOptions(args, io.env);
  if (typeof options === 'string') {
    io.stderr.write(`pkt worker: ${options}\n`);
    return EXIT.USAGE;
  }
  const serverModule = await import('../../server/index.js');
  useOwnPackages(args.actions ?? [], serverModule);
  const log = (line: string) => io.stderr.write(`${line}\n`);
  let worker;
  try {
    worker = await serverModule.startWorker({ ...options, actionsDirs: args.actions, dev: args.dev, log });
  } catch (err) {
    io.stderr.write(`pkt worker: ${(err as Error).message}\n`);
    return EXIT.FAILED;
  }
  const names = worker.registry.list();
  const lines = [`pkt worker ${worker.id} taking actions from ${redactUrl(options.redis)}`];
  for (const { name, action } of names) lines.push(`    ${name}  ${action.streamProgress ? 'streams' : 'plain'}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  io.ready?.();

  const signal = await io.stopSignal();
  log(`pkt worker: ${signal}, ending its runs and shutting down`);
  setTimeout(() => io.exitNow(EXIT.OK), SHUTDOWN_LIMIT_MS).unref();
  await worker.close();
  return EXIT.OK;
}

/** The worker's options from its arguments, or the line that says which is wrong. */
export function workerOptions(args: WorkerArgs, env: NodeJS.ProcessEnv) {
  const redis = args.redis ?? (env.PKT_REDIS || undefined);
  if (!redis) return 'needs the Redis its front ends use: --redis redis://host:port (or PKT_REDIS)';
  const bad = badRedisUrl(redis);
  if (bad) return bad;
  const concurrency = /^\d{1,5}$/.test(args.concurrency.trim()) ? Number(args.concurrency) : 0;
  if (concurrency < 1) return `--concurrency wants a whole number of actions at once, at least 1, such as 100, not ${JSON.stringify(args.concurrency)}`;
  const stallTimeoutMs = parseDuration(args['stall-timeout']);
  if (stallTimeoutMs === undefined || stallTimeoutMs < 300) {
    return `--stall-timeout wants a duration of at least 300ms, such as 30s or 5s, not ${JSON.stringify(args['stall-timeout'])}`;
  }
  const limits = historyLimits(args);
  if (typeof limits === 'string') return limits;
  return { redis, concurrency, stallTimeoutMs, limits };
}
