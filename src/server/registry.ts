// The action registry: names to actions, resolved case-insensitively (PROTOCOL.md §1), with
// "did you mean" suggestions for the UNKNOWN_ACTION message.

import { actionKey, isValidActionName, rankNames, suggestionLimit, type ManifestAction } from '../protocol/index.js';
import type { Action } from './define-action.js';
import { toJsonSchema } from './schema.js';

export interface RegisteredAction {
  /** The name as written by its author (from the file path). */
  name: string;
  action: Action;
  /** Where it came from, for error messages: a file path or `bundled`. */
  source: string;
}

export class ActionRegistry {
  readonly #byKey = new Map<string, RegisteredAction>();

  add(name: string, action: Action, source = 'bundled'): void {
    if (!isValidActionName(name)) {
      throw new Error(
        `${source}: "${name}" is not a valid action name. Each path segment must start with a letter and hold only letters, digits, _ and -.`,
      );
    }
    const key = actionKey(name);
    // `{base}/runs` lists the runs (PROTOCOL.md §4a): an action of that name could never be reached.
    if (key === 'runs') throw new Error(`${source}: "${name}" is reserved for the list of runs; name the action otherwise, such as runs.list.`);
    const existing = this.#byKey.get(key);
    // A user's folder may override a bundled action on purpose; two user files may not clash.
    if (existing && existing.source !== 'bundled') {
      throw new Error(`${source}: action "${name}" is already defined by ${existing.source}. Rename one of the files.`);
    }
    this.#byKey.set(key, { name, action, source });
  }

  get(name: string): RegisteredAction | undefined {
    return this.#byKey.get(actionKey(name));
  }

  list(): RegisteredAction[] {
    return [...this.#byKey.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get size(): number {
    return this.#byKey.size;
  }

  manifest(): ManifestAction[] {
    return this.list().map(({ name, action }) => ({
      name,
      description: action.description ?? '',
      streams: typeof action.streamProgress === 'function',
      input: toJsonSchema(action.input),
    }));
  }

  /** Up to three existing names closest to `name`, best first; `process` also finds `task.process`. */
  suggest(name: string): string[] {
    const wanted = actionKey(name);
    const limit = suggestionLimit(wanted);
    return rankNames(wanted, this.list().map((r) => r.name))
      .filter((c) => c.distance <= limit || actionKey(c.name).endsWith(`.${wanted}`))
      .slice(0, 3)
      .map((c) => c.name);
  }
}
