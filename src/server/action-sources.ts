// What a handler's `actions` may be: actions keyed by dotted name (`{ 'task.process': ... }`),
// nested by segment (`{ task: { process } }`), a folder of action files, or a list of these.
// Each goes into the registry under its name, with where it came from for clash messages.

import { bundledActions } from './actions/index.js';
import { isAction, type AnyAction } from './define-action.js';
import { loadActionsDir } from './load-actions.js';
import { ActionRegistry } from './registry.js';

/** Actions by name; a name's segments may also nest (`{ admin: { users: { purge } } }`). */
export interface ActionMap {
  readonly [name: string]: AnyAction | ActionMap;
}

/** An ActionMap, or the path of a folder of action files (`actions/task/process.ts` is task.process). */
export type ActionSource = ActionMap | string;

/** The actions a server or worker runs: the bundled ones (unless left out), the folders', then those given in code. */
export async function buildRegistry(options: { noBundled?: boolean; actionsDirs?: string[]; actions?: ActionMap }): Promise<ActionRegistry> {
  const registry = new ActionRegistry();
  if (!options.noBundled) for (const [name, action] of Object.entries(bundledActions)) registry.add(name, action);
  for (const dir of options.actionsDirs ?? []) await loadActionsDir(dir, registry);
  if (options.actions && Object.keys(options.actions).length > 0) await addActions(registry, options.actions);
  return registry;
}

/** Adds every action of `sources` to `registry`, in order; folders are loaded (hence the promise). */
export async function addActions(registry: ActionRegistry, sources: ActionSource | readonly ActionSource[], label = 'options.actions'): Promise<void> {
  const list = Array.isArray(sources) ? sources : [sources as ActionSource];
  if (list.length === 0) throw new TypeError(`${label} is empty: give actions by name, such as { 'task.process': defineAction(...) }, or a folder of action files`);
  for (const source of list) {
    if (typeof source === 'string') await loadActionsDir(source, registry);
    else addMap(registry, source, '', label);
  }
}

function addMap(registry: ActionRegistry, map: unknown, prefix: string, label: string): void {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new TypeError(
      `${label}${prefix ? `.${prefix.slice(0, -1)}` : ''} must be actions by name, such as { 'task.process': defineAction(...) }, or a folder path`,
    );
  }
  for (const [key, value] of Object.entries(map)) {
    const name = `${prefix}${key}`;
    if (isAction(value)) registry.add(name, value, label);
    else if (isDefinition(value)) throw new TypeError(`${label}: "${name}" is an action's definition, not an action; wrap it: defineAction({ ... }) from pkt/server`);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) addMap(registry, value, `${name}.`, label);
    else throw new TypeError(`${label}: "${name}" is not an action; write it with defineAction({ call(input) { ... } }) from pkt/server`);
  }
}

/** An object with a `call` function: an action someone forgot to pass through defineAction. */
function isDefinition(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { call?: unknown }).call === 'function';
}
