// pkt's client: the action builder of PROTOCOL.md §5. Runs in Node and in browsers.
export { createClient } from './client.js';
export type { ActionFn, ActionProxy, Client } from './client.js';
export type { ClientOptions, FetchLike } from './config.js';
export type {
  ActionCall,
  CallOptions,
  ClientEvent,
  EventCallback,
  ProgressCallback,
  RetryStreamOptions,
} from './types.js';
export { ActionError, StreamEvent } from '../protocol/index.js';
export type { ErrorBody, FieldErrors, Manifest, ManifestAction } from '../protocol/index.js';
