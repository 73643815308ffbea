// `defineAction`: what an action file exports. An action has a plain `call`, and may opt
// into streaming with `streamProgress`.

import { isStandardSchema, type StandardSchema } from './schema.js';

/** What `streamProgress` gets to talk to its client with. */
export interface ActionStream<Result = unknown> {
  /** Sends one event. Await it: it waits while the client is slow to read. */
  send(type: string, data?: unknown): Promise<void>;
  /** Ends the run with a `complete` event carrying `result`. */
  sendComplete(result: Result): Promise<void>;
  /** Aborts when the client leaves (unless detached), on cancel, and on shutdown. */
  readonly signal: AbortSignal;
  /** The `Last-Event-ID` the client sent, or '' for a fresh run. */
  readonly lastEventId: string;
  readonly runId: string;
}

export interface CallContext {
  /** Aborts when the client goes away or the server shuts down. */
  readonly signal: AbortSignal;
}

export interface ActionDefinition<Input = unknown, Result = unknown, StreamResult = unknown> {
  description?: string;
  input?: StandardSchema<unknown, Input>;
  call(input: Input, context: CallContext): Result | Promise<Result>;
  streamProgress?(input: Input, stream: ActionStream<StreamResult>): void | Promise<void>;
  /**
   * With workers (`pkt worker`): when the worker running the action dies, start it again on
   * another, up to `attempts` times in all (its followers get a `restart` event). Without it, a
   * lost worker ends the run with WORKER_LOST. A throw is never retried: it is the action's answer.
   */
  retry?: { attempts: number };
}

/** Marks an object as an action, across copies of pkt (a user's folder may import its own). */
export const ACTION_BRAND = Symbol.for('pkt.action');

export type Action<Input = unknown, Result = unknown, StreamResult = unknown> = ActionDefinition<
  Input,
  Result,
  StreamResult
> & { readonly [ACTION_BRAND]: true };

export function defineAction<Input = unknown, Result = unknown, StreamResult = unknown>(
  definition: ActionDefinition<Input, Result, StreamResult>,
): Action<Input, Result, StreamResult> {
  if (typeof definition?.call !== 'function') {
    throw new TypeError('defineAction needs a `call(input)` function: it is the plain answer every action gives.');
  }
  if (definition.streamProgress !== undefined && typeof definition.streamProgress !== 'function') {
    throw new TypeError('defineAction: `streamProgress` must be a function `(input, stream) => ...` when given.');
  }
  const attempts = definition.retry?.attempts;
  if (definition.retry !== undefined && !(Number.isInteger(attempts) && attempts! >= 1 && attempts! <= 100)) {
    throw new TypeError('defineAction: `retry` takes { attempts: N }, a whole number from 1 to 100 (the runs in all, the first included).');
  }
  if (definition.input !== undefined && !isStandardSchema(definition.input)) {
    throw new TypeError('defineAction: `input` must be a schema from zod 4 or another Standard Schema library, such as z.object({ name: z.string() }).');
  }
  return Object.assign(definition, { [ACTION_BRAND]: true as const });
}

export function isAction(value: unknown): value is Action {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ACTION_BRAND] === true;
}
