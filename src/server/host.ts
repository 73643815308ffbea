// Where actions execute, as the HTTP routes see it: in this process (LocalHost), or on a pool
// of workers behind a queue (redis/queue-host.ts). The routes know an action only by what this
// interface answers, so a server that runs no action code (a front end) serves the same routes.
// Every method may throw an ActionError, which the routes send as it is (404, 422, 503, ...).

import type { ActionError, JsonSchema, ManifestAction } from '../protocol/index.js';

/** An action as the routes need it: its name as its author spelt it, whether it streams, its input's JSON Schema. */
export interface HostedAction {
  name: string;
  streams: boolean;
  /** As the manifest has it: form fields are typed by it before the action's own schema checks them. */
  input: JsonSchema;
}

export interface StartRunOptions {
  /** The starting client asked the run to outlive its connection (`Pkt-Detach: 1`). */
  detached: boolean;
  /** The `Last-Event-ID` the client sent, or ''. */
  lastEventId: string;
}

export interface ActionHost {
  /** The manifest's actions (`GET {base}`), sorted by name. */
  manifest(): ManifestAction[] | Promise<ManifestAction[]>;
  /**
   * The action called `name` (case-insensitively); throws 404 UNKNOWN_ACTION (naming the closest
   * ones, or `listUrl`), or 503 NO_WORKER when it exists but nothing can run it now.
   */
  resolve(name: string, listUrl: string): HostedAction | Promise<HostedAction>;
  /** Validates the input (422 INVALID_INPUT) and starts a run; resolves with its id once the store knows it. */
  start(action: HostedAction, input: Record<string, unknown>, options: StartRunOptions): Promise<string>;
  /** Validates the input and calls the action's plain `call`; `signal` aborts it. */
  call(action: HostedAction, input: Record<string, unknown>, signal: AbortSignal): Promise<unknown>;
  /** Runs executing in this process, for the concurrency limit (0 where none execute). */
  readonly liveRuns: number;
  /** Ends every run executing in this process with `reason` (shutdown). */
  cancelAll(reason: ActionError): void | Promise<void>;
  close(): void | Promise<void>;
}
