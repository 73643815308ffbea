// pkt's client: the action builder of PROTOCOL.md §5. Runs in Node and in browsers.
export { createClient } from './client.js';
export type { ActionFn, ActionProxy, AttachOptions, Client } from './client.js';
export type { ActionTree, TypedActionFn } from './action-tree.js';
export type { ClientOptions, FetchLike } from './config.js';
export type {
  ActionCall,
  CallOptions,
  ClientEvent,
  ConnectionCallback,
  ConnectionInfo,
  ConnectionState,
  EventCallback,
  ProgressCallback,
  RetryStreamOptions,
} from './types.js';
export { ActionError, StreamEvent } from '../protocol/index.js';
export type {
  CancelResult,
  ErrorBody,
  FieldErrors,
  Manifest,
  ManifestAction,
  RunFilter,
  RunInfo,
  RunInfoState,
  RunList,
} from '../protocol/index.js';
