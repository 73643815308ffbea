// `startServer`: pkt serve. createActionHandler's routes on a node:http server of its own,
// with the page, the server's connection limits, and a graceful shutdown.

import { createServer, type Server } from 'node:http';
import { DEFAULT_LIMITS, type Limits } from '../protocol/index.js';
import { nodeHandler } from './action-handler.js';
import { buildRegistry, type ActionMap } from './action-sources.js';
import { prepare, type HandlerOptions, type Prepared } from './handler-setup.js';
import { isLoopbackHost } from './http/access.js';
import { clientErrorHandler } from './http/client-error.js';
import { capConnections, connectionCap } from './http/connections.js';
import { serveWeb } from './page/serve.js';
import { ActionRegistry } from './registry.js';
import type { RunStore } from './runs/store.js';
import { connectFrontEnd } from './scale-out.js';

export interface ServerOptions {
  /** Default 7070; 0 lets the OS pick a free port. */
  port?: number;
  /** Default 127.0.0.1: loopback only, unless asked. */
  host?: string;
  /** Folders of action files, loaded after (and able to override) the bundled ones. */
  actionsDirs?: string[];
  /** Actions by name (or nested by segment), for servers built in code; added after the folders. */
  actions?: ActionMap;
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
  // A front end on Redis runs no action code: its actions are the workers'.
  const registry = options.redis ? new ActionRegistry() : await buildRegistry(options);
  // The actions are the registry's (no `actions` option: a front end's host refuses one).
  const handlerOptions: HandlerOptions = { basePath: options.basePath, token: options.token, cors: options.cors, dev: options.dev, limits: options.limits, store: options.store, log: options.log };
  const front = options.redis && (await connectFrontEnd({ ...options.redis, limits: { ...DEFAULT_LIMITS, ...options.limits } }));
  if (front) Object.assign(handlerOptions, front);
  try {
    return await serve(options, host, registry, handlerOptions);
  } catch (err) {
    // A server that did not start must not leave its Redis connections open (they would keep
    // the process alive).
    if (front) {
      await front.host.close();
      await front.store.close();
    }
    throw err;
  }
}

async function serve(options: ServerOptions, host: string, registry: ActionRegistry, handlerOptions: HandlerOptions): Promise<PktServer> {
  // The routes are createActionHandler's; pkt serve adds the page, the node:http server's own
  // limits, and the DNS rebinding guard of a server that knows it listens on loopback.
  const prepared = prepare(handlerOptions, { registry, loopbackOnly: isLoopbackHost(host) }, 'startServer');
  const { limits, log, basePath } = prepared.ctx;
  const handler = nodeHandler(prepared, (req, res) => (req.method === 'GET' || req.method === 'HEAD') && serveWeb(req, res, { basePath }));
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
    (req, res) => handler(req, res),
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
      closing ??= shutdown(server, prepared);
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

async function shutdown(server: Server, prepared: Prepared): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Every open stream gets its terminal event, and every plain call a 503, before the sockets close.
  await prepared.stop();
  server.closeIdleConnections();
  // Plain calls still running get a moment to answer, then their sockets go.
  const force = setTimeout(() => server.closeAllConnections(), 2000);
  force.unref();
  await closed;
  clearTimeout(force);
  await prepared.dispose();
}
