// pkt's server: define actions, serve them. `import { defineAction } from 'pkt/server'`.
export { defineAction, isAction } from './define-action.js';
export type { Action, ActionDefinition, ActionStream, CallContext } from './define-action.js';
export { ActionRegistry, type RegisteredAction } from './registry.js';
export { loadActionsDir, ActionLoadError } from './load-actions.js';
export { startServer, PortInUseError, type PktServer, type ServerOptions } from './server.js';
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
