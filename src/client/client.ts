// createClient: the server's address once, then `client.action.task.process(input)`.

import {
  ActionError,
  JSON_TYPE,
  actionPath,
  isValidActionName,
  runPath,
  type CancelResult,
  type Manifest,
  type RunFilter,
  type RunInfo,
  type RunList,
} from '../protocol/index.js';
import type { ActionProxy, ActionTree } from './action-tree.js';
import { createActionCall } from './builder.js';
import { cancelRun } from './cancel.js';
import { resolveConfig, type ClientConfig, type ClientOptions } from './config.js';
import { encodeInput, type EncodedInput } from './encode-input.js';
import { cancelled, errorFromResponse, readBody, unreachable } from './failures.js';
import { jsonCall } from './json-call.js';
import { getRun, listRuns } from './runs.js';
import { streamCall } from './stream.js';
import type { ActionCall } from './types.js';

/** Where `client.attach` starts. */
export interface AttachOptions {
  /** Replay the events after this one (a seq); without it, from the oldest the server has. */
  lastEventId?: string;
}

export type { ActionProxy } from './action-tree.js';

/** One action in a declared tree: `createClient<{ task: { process: ActionFn<In, Out> } }>(...)`. */
export type ActionFn<Input = unknown, Result = unknown> = (input: Input) => ActionCall<Result>;

/**
 * `Actions` types the client from the server's actions: `createClient<typeof actions>`, where
 * `actions` is what the server mounts (`{ 'task.process': defineAction(...) }`), gives each
 * action its input and result types, with no generated code. A declared tree of `ActionFn`s
 * works too. It defaults to the open proxy. (With `noUncheckedIndexedAccess` the open proxy's
 * steps read as possibly undefined, so typed code is better off with `typeof actions`.)
 */
export interface Client<Actions = ActionProxy> {
  /** `client.action.task.process(input)`; case is kept as written (the server ignores it). */
  readonly action: ActionTree<Actions>;
  /** The same by name, for names known only at run time: `client.call('task.process', input)`. */
  call<Result = unknown>(name: string, input?: unknown): ActionCall<Result>;
  /** The server's manifest (`GET {base}`); rejects with an ActionError (404 from Piko, which has none). */
  manifest(): Promise<Manifest>;
  /**
   * Follows a run that already exists (`GET {base}/runs/{id}`): its history, then live, with
   * the same builder as a call. Stopping it stops watching; the run goes on.
   */
  attach<Result = unknown>(runId: string, options?: AttachOptions): ActionCall<Result>;
  /** Runs on the server, newest first (`GET {base}/runs`); rejects with an ActionError. */
  runs(filter?: RunFilter): Promise<RunList>;
  /** One run's record (`GET {base}/runs/{id}` as JSON); rejects with 404 UNKNOWN_RUN. */
  run(runId: string): Promise<RunInfo>;
  /**
   * Cancels a run by id (`DELETE {base}/runs/{id}`): its signal aborts on the server.
   * `cancelled: false` when it had already ended; rejects with 404 UNKNOWN_RUN for no such run.
   */
  cancel(runId: string): Promise<CancelResult>;
  /** Where the actions live: `{baseUrl}{basePath}`. */
  readonly url: string;
}

export function createClient<Actions = ActionProxy>(options: ClientOptions): Client<Actions> {
  const config = resolveConfig(options);
  const call = <Result = unknown>(name: string, input?: unknown): ActionCall<Result> =>
    createActionCall<Result>((callOptions) => {
      if (!isValidActionName(name)) {
        return Promise.reject(
          new ActionError(400, 'BAD_ACTION_NAME', `"${name}" is not an action name: use dotted words, such as task.process.`),
        );
      }
      // Nothing goes out for a call stopped before it began (EventSource would connect at once).
      if (callOptions.signal?.aborted) return Promise.reject(cancelled(callOptions.signal.reason));
      if (!callOptions.stream) return jsonCall(config, name, input, callOptions);
      let encoded: EncodedInput;
      try {
        encoded = encodeInput(input);
      } catch (err) {
        return Promise.reject(err);
      }
      const url = config.url(actionPath(config.basePath, name));
      return streamCall(config, { method: 'POST', url, body: encoded.body, ...(encoded.contentType ? { contentType: encoded.contentType } : {}) }, callOptions);
    });
  const attach = <Result = unknown>(runId: string, options: AttachOptions = {}): ActionCall<Result> =>
    createActionCall<Result>((callOptions) => {
      if (typeof runId !== 'string' || runId === '') {
        return Promise.reject(new ActionError(404, 'UNKNOWN_RUN', 'attach needs the id of a run, as the server gave it (Pkt-Run-Id)'));
      }
      if (options.lastEventId !== undefined && !/^\d*$/.test(options.lastEventId)) {
        return Promise.reject(new ActionError(400, 'BAD_QUERY', `lastEventId is the seq of an event, such as "42", not ${JSON.stringify(options.lastEventId)}`));
      }
      if (callOptions.signal?.aborted) return Promise.reject(cancelled(callOptions.signal.reason));
      const url = config.url(runPath(config.basePath, runId));
      return streamCall(config, { method: 'GET', url, runId, lastEventId: options.lastEventId ?? '' }, callOptions);
    });
  return {
    action: actionProxy([], call) as unknown as ActionTree<Actions>,
    call,
    attach,
    manifest: () => fetchManifest(config),
    runs: (filter) => listRuns(config, filter),
    run: (runId) => getRun(config, runId),
    cancel: (runId) => cancelRun(config, runId),
    url: config.baseUrl,
  };
}

function actionProxy(path: string[], call: (name: string, input?: unknown) => ActionCall): ActionProxy {
  // A function target, so every level can be both called and walked further.
  return new Proxy(function action() {}, {
    get(_target, key) {
      // `then` is skipped so that `await client.action.task` is not mistaken for a promise.
      if (typeof key !== 'string' || key === 'then') return undefined;
      return actionProxy([...path, key], call);
    },
    apply(_target, _this, args: unknown[]) {
      if (path.length === 0) throw new TypeError('Name an action first: client.action.task.process(input).');
      return call(path.join('.'), args[0]);
    },
  }) as unknown as ActionProxy;
}

async function fetchManifest(config: ClientConfig): Promise<Manifest> {
  let response: Response;
  try {
    response = await config.fetch(config.baseUrl, { headers: { ...config.headers, Accept: JSON_TYPE } });
  } catch (err) {
    throw unreachable(config.baseUrl, err);
  }
  if (!response.ok) throw await errorFromResponse(response);
  const body = await readBody(response);
  const actions = (body as Partial<Manifest> | null)?.actions;
  if (!Array.isArray(actions)) {
    throw new ActionError(502, 'INTERNAL', `${config.baseUrl} answered with something that is not a pkt manifest.`);
  }
  return body as Manifest;
}
