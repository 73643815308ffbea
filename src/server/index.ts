// `pkt/server`: define actions and serve them, in pkt's own server or mounted in your app.
// `import { defineAction } from 'pkt/server'`. What is not here is pkt's own business.
export { defineAction } from './define-action.js';
export type { Action, ActionDefinition, ActionStream, AnyAction, CallContext, EventSchemas, SendEvent } from './define-action.js';
export type { StandardSchema } from './schema.js';
export { createActionHandler, type ActionHandler } from './action-handler.js';
export { createFetchHandler, type FetchHandler } from './fetch-handler.js';
export type { HandlerControl, HandlerOptions } from './handler-setup.js';
export type { ActionMap, ActionSource } from './action-sources.js';
export { startServer, PortInUseError, type PktServer, type ServerOptions } from './server.js';
export { ActionLoadError } from './load-actions.js';
export { connectFrontEnd, startWorker, type FrontOptions, type PktWorker, type WorkerOptions } from './scale-out.js';
export type { ActionHost, HostedAction, StartRunOptions } from './host.js';
export { MemoryRunStore, type MemoryRunStoreOptions, type MemoryStoreUsage } from './runs/memory-store.js';
export type {
  CancelHandler,
  CancelOutcome,
  NewRun,
  RunRecord,
  RunStore,
  RunSubscription,
  SubscribeFrom,
} from './runs/store.js';
export { ActionError, StreamEvent } from '../protocol/index.js';
export type { ErrorBody, Limits, RunFilter, RunInfo, RunInfoState, RunList } from '../protocol/index.js';
