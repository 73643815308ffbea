// `defineAction`: what an action file exports. An action has a plain `call`, and may opt
// into streaming with `streamProgress`. Its types (input, results, events) ride on the action
// it returns, so `createClient<typeof actions>` is typed from them (protocol/action-types.ts).

import {
  isTerminalEvent,
  isValidEventType,
  type ActionTypes,
  type EventMap,
  type TypedAction,
  type UntypedEvents,
} from '../protocol/index.js';
import { isStandardSchema, type StandardSchema } from './schema.js';

/** `send(type, data)`: any type and data, or only the declared events with their data. */
export type SendEvent<Events extends EventMap> = string extends keyof Events
  ? (type: string, data?: unknown) => Promise<void>
  : <Type extends keyof Events & string>(type: Type, data: Events[Type]) => Promise<void>;

/** What `streamProgress` gets to talk to its client with. */
export interface ActionStream<Result = unknown, Events extends EventMap = UntypedEvents> {
  /** Sends one event. Await it: it waits while the client is slow to read. */
  readonly send: SendEvent<Events>;
  /** Ends the run with a `complete` event carrying `result` (typed as `call`'s result unless this parameter says otherwise). */
  sendComplete(result: Result): Promise<void>;
  /**
   * Waits `ms`, or rejects with the run's abort reason once the run is cancelled, its client
   * left (unless detached), or the server shuts down: the cheap way for a loop to pace itself.
   */
  sleep(ms: number): Promise<void>;
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

/** A schema for each event type an action sends: its data's type, for `send` and for typed clients. */
export type EventSchemas<Events extends EventMap> = { readonly [Type in keyof Events]: StandardSchema<unknown, Events[Type]> };

/**
 * An action. `Input` is what `call` and `streamProgress` get (the schema's output side),
 * `SentInput` what a client sends (its input side). `StreamResult` is what the stream
 * completes with: `Result` (call's), unless `streamProgress`'s `stream` parameter names
 * another (`stream: ActionStream<Done>`). TypeScript cannot read it off `sendComplete`'s calls:
 * the parameter's type is settled before the function's body is read.
 */
export interface ActionDefinition<
  Input = unknown,
  Result = unknown,
  StreamResult = Result,
  Events extends EventMap = UntypedEvents,
  SentInput = Input,
> {
  description?: string;
  input?: StandardSchema<SentInput, Input>;
  /**
   * The events `streamProgress` sends, each with a schema of its data: `{ progress: z.object(...) }`.
   * They type `stream.send` and a typed client's `withOnProgress`; they are not run on each
   * event (an action's own code makes its events, and `send` is on the hot path).
   */
  events?: EventSchemas<Events>;
  call(input: Input, context: CallContext): Result | Promise<Result>;
  streamProgress?(input: Input, stream: ActionStream<StreamResult, Events>): void | Promise<void | StreamResult>;
  /**
   * With workers (`pkt worker`): when the worker running the action dies, start it again on
   * another, up to `attempts` times in all (its followers get a `restart` event). Without it, a
   * lost worker ends the run with WORKER_LOST. A throw is never retried: it is the action's answer.
   */
  retry?: { attempts: number };
}

/** Marks an object as an action, across copies of pkt (a user's folder may import its own). */
export const ACTION_BRAND = Symbol.for('pkt.action');

export type Action<
  Input = unknown,
  Result = unknown,
  StreamResult = Result,
  Events extends EventMap = UntypedEvents,
  SentInput = Input,
> = ActionDefinition<Input, Result, StreamResult, Events, SentInput> &
  TypedAction<ActionTypes<SentInput, Result, StreamResult, Events>> & { readonly [ACTION_BRAND]: true };

/**
 * Any action, whatever its types: what a handler's `actions` hold. (`Action` with its defaults
 * would not do: an action typed by its schema and events is not one that takes any input and
 * sends any event.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAction = Action<any, any, any, any, any>;

export function defineAction<
  Input = unknown,
  Result = unknown,
  StreamResult = Result,
  Events extends EventMap = UntypedEvents,
  SentInput = Input,
>(definition: ActionDefinition<Input, Result, StreamResult, Events, SentInput>): Action<Input, Result, StreamResult, Events, SentInput> {
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
  checkEvents(definition.events);
  return Object.assign(definition, { [ACTION_BRAND]: true as const });
}

function checkEvents(events: unknown): void {
  if (events === undefined) return;
  if (typeof events !== 'object' || events === null || Array.isArray(events)) {
    throw new TypeError('defineAction: `events` maps each event type to a schema of its data, such as { progress: z.object({ percent: z.number() }) }.');
  }
  for (const [type, schema] of Object.entries(events)) {
    if (isTerminalEvent(type)) {
      throw new TypeError(`defineAction: events.${type}: "${type}" ends a stream and cannot be sent; the stream's result is what sendComplete gets.`);
    }
    if (!isValidEventType(type)) {
      throw new TypeError(`defineAction: events: "${type}" is not an event type; use a letter, then letters, digits and _.:- (at most 64 characters), such as progress.`);
    }
    if (!isStandardSchema(schema)) {
      throw new TypeError(`defineAction: events.${type} must be a schema (zod 4 or another Standard Schema library), such as z.object({ percent: z.number() }).`);
    }
  }
}

export function isAction(value: unknown): value is Action {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ACTION_BRAND] === true;
}
