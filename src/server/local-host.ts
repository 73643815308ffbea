// Actions executing in this process: the registry's actions, their runs started here.

import { ActionError, type ManifestAction } from '../protocol/index.js';
import type { ActionHost, HostedAction, StartRunOptions } from './host.js';
import type { ActionRegistry, RegisteredAction } from './registry.js';
import type { Runs } from './runs/runs.js';
import { toJsonSchema } from './schema.js';
import { validateInput } from './validate-input.js';

export class LocalHost implements ActionHost {
  readonly registry: ActionRegistry;
  readonly runs: Runs;
  readonly #dev: boolean;
  readonly #log: (line: string) => void;
  readonly #hosted = new WeakMap<RegisteredAction, HostedAction>();

  constructor(registry: ActionRegistry, runs: Runs, options: { dev: boolean; log: (line: string) => void }) {
    this.registry = registry;
    this.runs = runs;
    this.#dev = options.dev;
    this.#log = options.log;
  }

  manifest(): ManifestAction[] {
    return this.registry.manifest();
  }

  resolve(name: string, listUrl: string): HostedAction {
    const registered = this.registry.get(name);
    if (!registered) throw unknownAction(name, this.registry.suggest(name), listUrl);
    let hosted = this.#hosted.get(registered);
    if (!hosted) {
      // Computed once per action: converting a schema is not free, and it never changes.
      hosted = { name: registered.name, streams: typeof registered.action.streamProgress === 'function', input: toJsonSchema(registered.action.input) };
      this.#hosted.set(registered, hosted);
    }
    return hosted;
  }

  async start(action: HostedAction, raw: Record<string, unknown>, options: StartRunOptions): Promise<string> {
    const registered = this.#registered(action);
    const input = await validateInput(registered, raw);
    return this.runs.start(registered, input, { ...options, dev: this.#dev, log: this.#log });
  }

  async call(action: HostedAction, raw: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    const registered = this.#registered(action);
    const input = await validateInput(registered, raw);
    return registered.action.call(input, { signal });
  }

  get liveRuns(): number {
    return this.runs.size;
  }

  cancelAll(reason: ActionError): void {
    this.runs.cancelAll(reason);
  }

  close(): void {}

  #registered(action: HostedAction): RegisteredAction {
    const registered = this.registry.get(action.name);
    if (!registered) throw new ActionError(404, 'UNKNOWN_ACTION', `no action named ${action.name}`);
    return registered;
  }
}

/** 404 UNKNOWN_ACTION, with the closest names, or where the list is. */
export function unknownAction(name: string, near: string[], listUrl: string): ActionError {
  const hint = near.length ? `did you mean ${near.join(', ')}?` : `see the list at ${listUrl}`;
  return new ActionError(404, 'UNKNOWN_ACTION', `no action named ${name}; ${hint}`);
}
