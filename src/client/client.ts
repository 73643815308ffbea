// createClient: the server's address once, then `client.action.task.process(input)`.

import { ActionError, JSON_TYPE, isValidActionName, type Manifest } from '../protocol/index.js';
import { createActionCall } from './builder.js';
import { cancelRun } from './cancel.js';
import { resolveConfig, type ClientConfig, type ClientOptions } from './config.js';
import { cancelled, errorFromResponse, readBody, unreachable } from './failures.js';
import { jsonCall } from './json-call.js';
import { streamCall } from './stream.js';
import type { ActionCall } from './types.js';

/** `action.task.process(input)`: any depth of names, each a step of the dotted action name. */
export interface ActionProxy {
  (input?: unknown): ActionCall;
  readonly [segment: string]: ActionProxy;
}

/** One action in a declared tree: `createClient<{ task: { process: ActionFn<In, Out> } }>(...)`. */
export type ActionFn<Input = unknown, Result = unknown> = (input: Input) => ActionCall<Result>;

/**
 * `Actions` may declare the server's actions for typed inputs and results; it defaults to
 * the open proxy. (With `noUncheckedIndexedAccess` the open proxy's steps read as possibly
 * undefined, so typed code is better off declaring the tree, or using `call(name)`.)
 */
export interface Client<Actions = ActionProxy> {
  /** `client.action.task.process(input)`; case is kept as written (the server ignores it). */
  readonly action: Actions;
  /** The same by name, for names known only at run time: `client.call('task.process', input)`. */
  call<Result = unknown>(name: string, input?: unknown): ActionCall<Result>;
  /** The server's manifest (`GET {base}`); rejects with an ActionError (404 from Piko, which has none). */
  manifest(): Promise<Manifest>;
  /** Cancels a run by id (`DELETE {base}/runs/{id}`): its signal aborts on the server. */
  cancel(runId: string): Promise<void>;
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
      return callOptions.stream
        ? streamCall(config, name, input, callOptions)
        : jsonCall(config, name, input, callOptions);
    });
  return {
    action: actionProxy([], call) as unknown as Actions,
    call,
    manifest: () => fetchManifest(config),
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
