// What both handlers (node:http and fetch) and pkt serve set up alike: the actions, the run
// store and the runs, linger, the stall rule, and how they stop. The routes on top are one
// code (http/handler.ts), whatever the transport.

import { ActionError, DEFAULT_BASE_PATH, DEFAULT_LIMITS, type Limits } from '../protocol/index.js';
import { addActions, type ActionSource } from './action-sources.js';
import { normalizeOrigins } from './http/access.js';
import type { HandlerContext } from './http/context.js';
import { discardBody } from './http/discard-body.js';
import type { RequestIn, ResponseOut } from './http/exchange.js';
import { createHandler, underBasePath, type Handler } from './http/handler.js';
import type { ActionHost } from './host.js';
import { LocalHost } from './local-host.js';
import { ActionRegistry } from './registry.js';
import { sendError } from './respond.js';
import { Linger } from './runs/linger.js';
import { MemoryRunStore } from './runs/memory-store.js';
import { Runs } from './runs/runs.js';
import type { RunStore } from './runs/store.js';
import type { SseConnection } from './sse-connection.js';
import { StallMonitor } from './stall-monitor.js';

export interface HandlerOptions {
  /**
   * The actions: by dotted name (`{ 'task.process': defineAction(...) }`), nested by segment
   * (`{ task: { process } }`), a folder of action files (its path), or a list of these. Not
   * with `host`: a front end's actions are its workers'.
   */
  actions?: ActionSource | readonly ActionSource[];
  /** Where the routes are; default `/_piko/actions`. Other paths go to `next` (or get a 404). */
  basePath?: string;
  /** Requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Browser origins allowed besides the app's own; '*' for any. */
  cors?: string[];
  /** Show actions' error messages to clients instead of redacting them. */
  dev?: boolean;
  limits?: Partial<Limits>;
  /** Where runs are kept; default a MemoryRunStore with the limits' history budget. */
  store?: RunStore;
  /**
   * Where actions execute; default this process. `connectFrontEnd({ url })` gives a host that
   * queues them for `pkt worker`s, with the store they share (docs/SCALING.md):
   * `createActionHandler({ ...(await connectFrontEnd({ url })) })` then runs no action code.
   */
  host?: ActionHost;
  /** Where the handler reports action failures and dropped clients; default: nowhere. */
  log?: (line: string) => void;
}

/** What a handler is besides a function. */
export interface HandlerControl {
  /**
   * Resolves once the actions are ready (a folder loads in the background; requests wait for
   * it), or rejects with why they could not be loaded.
   */
  readonly ready: Promise<void>;
  /**
   * Ends open streams with an `error` event (SHUTDOWN) and answers plain calls in flight with
   * 503, then releases the run store. For an app's own shutdown.
   */
  close(): Promise<void>;
}

/** Only pkt serve's: it knows where it listens, and brings its bundled actions. */
export interface ServerSetup {
  registry?: ActionRegistry;
  loopbackOnly?: boolean;
}

export interface Prepared {
  ctx: HandlerContext;
  route: Handler;
  ready: Promise<void>;
  /**
   * Calls `go` once the actions are ready (at once, after the first time, and at once for a
   * request outside the base path: the app's own routes never wait for pkt's actions, nor fail
   * with them); answers 500 if they failed.
   */
  whenReady(req: RequestIn, res: ResponseOut, go: () => void): void;
  /** Ends what runs: lingering timers, every run here (SHUTDOWN), every plain call (503). */
  stop(): Promise<void>;
  /** Waits (a bounded time) for open responses to end, then releases the host and the store. */
  dispose(): Promise<void>;
}

/** The longest a handler's close waits for its open responses to send their last events. */
const CLOSE_WAIT_MS = 2000;

export function prepare(options: HandlerOptions, setup: ServerSetup = {}, caller = 'createActionHandler'): Prepared {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${caller} needs options: { actions }`);
  const given = options.host !== undefined;
  if (given && (options.actions !== undefined || options.store === undefined)) {
    throw new TypeError(`${caller}: a host comes with its store and without actions (its workers have them): pass what connectFrontEnd gives, { host, store }`);
  }
  if (!given && options.store?.executesOnWorkers) {
    // Its appends come only from the worker that took the run: a run here would never end.
    throw new TypeError(
      `${caller}: this store keeps runs that workers execute (Redis), so it comes with the host that queues them, and without actions: pass what connectFrontEnd gives, { ...(await connectFrontEnd({ url })) }${caller === 'startServer' ? ' (or startServer({ redis: { url } }))' : ''}, and run the actions on workers (startWorker, or pkt worker)`,
    );
  }
  if (!given && !setup.registry && options.actions === undefined) {
    throw new TypeError(`${caller} needs { actions }: actions by name, such as { 'task.process': defineAction(...) }, or a folder of action files`);
  }
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? (() => {});
  const dev = options.dev ?? false;
  const registry = setup.registry ?? new ActionRegistry();
  let loaded = given || setup.registry !== undefined;
  let failed: unknown;
  const ready = loaded
    ? Promise.resolve()
    : addActions(registry, options.actions!, `${caller}: actions`).then(
        () => {
          loaded = true;
        },
        (err: unknown) => {
          failed = err;
          log(`${caller}: the actions failed to load: ${(err as Error)?.message ?? err}`);
          throw err;
        },
      );
  // Awaiting it is the app's choice; a failure is answered on every request either way.
  ready.catch(() => {});

  const store =
    options.store ??
    new MemoryRunStore({
      maxEvents: limits.runHistoryEvents,
      maxBytes: limits.runHistoryBytes,
      retentionMs: limits.runHistoryMs,
      historyBytes: limits.historyBytes,
      historyRuns: limits.historyRuns,
    });
  const host = options.host ?? new LocalHost(registry, new Runs(store, { maxEventBytes: limits.maxEventBytes }), { dev, log });
  const streams = new Set<SseConnection>();
  const calls = new Set<AbortController>();
  const ctx: HandlerContext = {
    host,
    store,
    linger: new Linger(store, limits.lingerMs),
    basePath: options.basePath ?? DEFAULT_BASE_PATH,
    limits,
    dev,
    ...(options.token ? { token: options.token } : {}),
    cors: normalizeOrigins(options.cors ?? []),
    loopbackOnly: setup.loopbackOnly ?? false,
    log,
    streams,
    stalls: new StallMonitor(limits.stalledClientMs),
    calls,
  };

  return {
    ctx,
    route: createHandler(ctx),
    ready,
    whenReady(req, res, go) {
      if (loaded || !underBasePath(req.url, ctx.basePath)) return go();
      // The body is read first (bounded), as for every early answer, so the client reads the 500.
      const refuse = () =>
        void discardBody(req).then(() =>
          sendError(res, new ActionError(500, 'INTERNAL', "the actions failed to load; the server's log says why (a mounted handler logs through its log option)")),
        );
      if (failed !== undefined) return refuse();
      ready.then(go, refuse);
    },
    async stop() {
      const reason = new ActionError(503, 'SHUTDOWN', 'the server is shutting down; run the action again once it is back');
      ctx.linger.close();
      // Every open stream gets its terminal event, and every plain call a 503.
      await host.cancelAll(reason);
      for (const call of calls) call.abort(reason);
    },
    async dispose() {
      const deadline = Date.now() + CLOSE_WAIT_MS;
      while ((streams.size > 0 || calls.size > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      ctx.stalls.close();
      await host.close();
      await store.close();
    },
  };
}
