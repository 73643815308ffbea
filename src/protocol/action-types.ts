// What a client can know of an action from the type of its definition, with no import of the
// server: `defineAction` (server) writes these types onto the action it returns, and
// `createClient<typeof actions>` (client) reads them. The property exists in types only, as
// Standard Schema's `~standard.types` does, so a typed client costs nothing at run time and
// needs no generated code.

/** Event data by event type; `string` keys mean the action declared no events. */
export type EventMap = Record<string, unknown>;

/** The events of an action that declares none: any type, any data. */
export type UntypedEvents = Record<string, unknown>;

export interface ActionTypes<Input = unknown, Result = unknown, StreamResult = unknown, Events extends EventMap = UntypedEvents> {
  /** What a client sends: the input schema's input side (fields with defaults are optional). */
  readonly input: Input;
  /** What `call` answers (a plain call). */
  readonly result: Result;
  /** What a stream completes with (`sendComplete`'s argument). */
  readonly streamResult: StreamResult;
  /** Each progress event's data by its type. */
  readonly events: Events;
}

/** Anything that carries an action's types: what `defineAction` returns. (A `~` keeps the key last in editors' completion lists.) */
export interface TypedAction<Types extends ActionTypes = ActionTypes> {
  readonly '~pkt'?: Types;
}
