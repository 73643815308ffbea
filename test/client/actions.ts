// The action tree the client tests call, declared so strict TypeScript sees every step.
import type { ActionFn } from '../../src/client/index.js';

export interface TestActions {
  task: { process: ActionFn<{ name?: string; steps?: number; delayMs?: number }>; Process: ActionFn<unknown>; proces: ActionFn<unknown> };
  demo: { fail: ActionFn<unknown>; firehose: ActionFn<unknown> };
  slow: ActionFn<unknown>;
  a: { b: { c: { d: ActionFn<unknown> } } };
}
