// Types only: the tree `client.action` has for `createClient<typeof actions>`. The server's
// actions, keyed by dotted name (`{ 'task.process': ..., 'demo.fail': ... }`) or nested
// (`{ task: { process } }`), become `action.task.process(input)` with the input each action's
// schema takes and the result it gives, read from the types `defineAction` put on it
// (protocol/action-types.ts). No import of the server, and no generated code.

import type { ActionTypes } from '../protocol/index.js';
import type { ActionCall } from './types.js';

/** `action.task.process(input)`: any depth of names, each a step of the dotted action name. */
export interface ActionProxy {
  (input?: unknown): ActionCall;
  readonly [segment: string]: ActionProxy;
}

/** One typed action: its input (optional when every field is), its results and events. */
export type TypedActionFn<Types extends ActionTypes> = (
  ...input: {} extends Types['input'] ? [input?: Types['input']] : [input: Types['input']]
) => ActionCall<Types['streamResult'], Types['events'], Types['result']>;

/**
 * `client.action`'s type for `Actions`: actions as above; a tree of functions (a declared
 * client, `{ task: { process: ActionFn<In, Out> } }`) as it is; nothing declared, or string
 * keys, the open proxy.
 */
export type ActionTree<Actions> = unknown extends Actions
  ? ActionProxy
  : string extends keyof Actions
    ? Actions
    : Simplify<UnionToIntersection<{ [Name in keyof Actions & string]: Branch<Name, Actions[Name]> }[keyof Actions & string]>>;

type Branch<Name extends string, Value> = Name extends `${infer Head}.${infer Rest}`
  ? { readonly [Key in Head]: Branch<Rest, Value> }
  : { readonly [Key in Name]: Leaf<Value> };

type Leaf<Value> = Value extends (...args: never[]) => unknown
  ? Value
  : '~pkt' extends keyof Value
    ? TypedActionFn<TypesOf<Value>>
    : ActionTree<Value>;

type TypesOf<Value> = Value extends { readonly '~pkt'?: infer Types } ? Extract<Types, ActionTypes> : never;

type UnionToIntersection<Union> = (Union extends unknown ? (arg: Union) => void : never) extends (arg: infer All) => void ? All : never;

type Simplify<T> = { [Key in keyof T]: T[Key] } & {};
