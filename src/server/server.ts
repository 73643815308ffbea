// `startServer`: the registry, the runs, the node:http server and a graceful shutdown.

import { createServer, type Server } from 'node:http';
import { ActionError, DEFAULT_BASE_PATH, DEFAULT_LIMITS, type Limits } from '../protocol/index.js';
import type { Action } from './define-action.js';
import { isLoopbackHost, normalizeOrigins } from './http/access.js';
import { clientErrorHandler } from './http/client-error.js';
import { capConnections, connectionCap } from './http/connections.js';
import { createHandler } from './http/handler.js';
import type { ActionHost } from './host.js';
import { buildRegistry } from './load-actions.js';
import { LocalHost } from './local-host.js';
import { connectFrontEnd } from './scale-out.js';
import { ActionRegistry } from './registry.js';
import { Linger } from './runs/linger.js';
import { MemoryRunStore } from './runs/memory-store.js';
import { Runs } from './runs/runs.js';
import type { RunStore } from './runs/store.js';
import type { SseConnection } from './sse-connection.js';
import { StallMonitor } from './stall-monitor.js';

export interface ServerOptions {
  /** Default 7070; 0 lets the OS pick a free port. */
  port?: number;
  /** Default 127.0.0.1: loopback only, unless asked. */
  host?: string;
  /** Folders of action files, loaded after (and able to override) the bundled ones. */
  actionsDirs?: string[];
  /** Actions by name, for servers built in code; added after the folders. */
  actions?: Record<string, Action>;
  /** Leave out task.process and the demos. */
  noBundled?: boolean;
  /** Requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Browser origins allowed besides the server's own; '*' for any. */
  cors?: string[];
  /** Show actions' error messages to clients instead of redacting them. */
  dev?: boolean;
  basePath?: string;
  limits?: Partial<Limits>;
  /** Where runs are kept; default a MemoryRunStore with the limits' history budget. */
  store?: RunStore;
  /**
   * Keep runs in Redis and execute actions on workers (`pkt worker`) instead of in this process
   * (docs/SCALING.md). Nothing of Redis is loaded without it.
   */
  redis?: { url: string; prefix?: string; queueTimeoutMs?: number };
  /** Where the server reports action failures; default: nowhere. */
  log?: (line: string) => void;
}

export interface PktServer {
  /** `http://host:port`, no trailing slash. */
  url: string;
  port: number;
  host: string;
  /** @internal The actions served, for pkt serve's listing. */
  registry: ActionRegistry;
  /** Ends open streams with an `error` event (SHUTDOWN), then stops; resolves once closed. */
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly host: string, readonly port: number) {
    super(`port ${port} on ${host} is already in use; pick another with --port, or --port 0 for any free one`);
    this.name = 'PortInUseError';
  }
}

export async function startServer(options: ServerOptions = {}): Promise<PktServer> {
  const host = options.host ?? '127.0.0.1';
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? (() => {});
  // A front end on Redis runs no action code: its actions are the workers'.
  const registry = options.redis ? new ActionRegistry() : await buildRegistry(options);

  let store: RunStore;
  let actionHost: ActionHost;
  if (options.redis) {
    ({ store, host: actionHost } = await connectFrontEnd({ ...options.redis, limits }));
  } else {
    store =
      options.store ??
      new MemoryRunStore({
        maxEvents: limits.runHistoryEvents,
        maxBytes: limits.runHistoryBytes,
        retentionMs: limits.runHistoryMs,
        historyBytes: limits.historyBytes,
        historyRuns: limits.historyRuns,
      });
    actionHost = new LocalHost(registry, new Runs(store, { maxEventBytes: limits.maxEventBytes }), { dev: options.dev ?? false, log });
  }
  const linger = new Linger(store, limits.lingerMs);
  const streams = new Set<SseConnection>();
  const calls = new Set<AbortController>();
  const stalls = new StallMonitor(limits.stalledClientMs);
  const handler = createHandler({
    host: actionHost,
    store,
    linger,
    basePath: options.basePath ?? DEFAULT_BASE_PATH,
    limits,
    dev: options.dev ?? false,
    token: options.token,
    cors: normalizeOrigins(options.cors ?? []),
    loopbackOnly: isLoopbackHost(host),
    calls,
    log,
    streams,
    stalls,
  });
  const server = createServer(
    {
      keepAliveTimeout: 5000,
      // Node's defaults (60 s for headers, 300 s for a request) let a slow client hold a
      // connection for minutes without sending anything useful.
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often those two are checked: the timeouts hold to within this.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
      // The handler answers a missing Host itself, with a JSON body (Node's 400 has none).
      requireHostHeader: false,
    },
    handler,
  );
  server.on('clientError', clientErrorHandler(limits, log));
  capConnections(server, connectionCap(limits.maxConnections), Math.max(1, Math.ceil(limits.retryMs / 1000)), log);
  const port = await listen(server, options.port ?? 7070, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    registry,
    close() {
      closing ??= shutdown(server, actionHost, calls, store, linger).finally(() => stalls.close());
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(host, port) : err);
    });
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

async function shutdown(server: Server, host: ActionHost, calls: Set<AbortController>, store: RunStore, linger: Linger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const reason = new ActionError(503, 'SHUTDOWN', 'the server is shutting down; run the action again once it is back');
  linger.close();
  // Every open stream gets its terminal event, and every plain call a 503, before the sockets close.
  await host.cancelAll(reason);
  for (const call of calls) call.abort(reason);
  server.closeIdleConnections();
  // Plain calls still running get a moment to answer, then their sockets go.
  const force = setTimeout(() => server.closeAllConnections(), 2000);
  force.unref();
  await closed;
  clearTimeout(force);
  await host.close();
  await store.close();
}
