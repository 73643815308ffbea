// Loads a folder of action files: `actions/task/process.ts` → `task.process`. TypeScript
// goes through tsx, loaded only when a .ts file is found, so a folder of .js costs nothing.

import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAction } from './define-action.js';
import type { ActionRegistry } from './registry.js';

const ACTION_FILE = /\.(?:ts|mts|js|mjs)$/;
const SKIPPED = /(?:\.d\.ts|\.test\.[mc]?[jt]s|\.spec\.[mc]?[jt]s)$/;

export class ActionLoadError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'ActionLoadError';
  }
}

export async function loadActionsDir(dir: string, registry: ActionRegistry): Promise<string[]> {
  let files: string[];
  try {
    files = await listFiles(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : String(err);
    throw new ActionLoadError(dir, `cannot read the actions folder (${why}). Pass --actions a folder of .ts or .js files.`);
  }
  const names: string[] = [];
  for (const file of files.sort()) {
    const name = relative(dir, file).replace(ACTION_FILE, '').split(sep).join('.');
    const mod = await importFile(file);
    const action = pickAction(mod);
    if (!isAction(action)) {
      throw new ActionLoadError(
        file,
        'exports no action. Write `export default defineAction({ call(input) { ... } })` (defineAction comes from "pkt/server"); a helper module that is no action gets a name starting with _.',
      );
    }
    registry.add(name, action, file);
    names.push(name);
  }
  return names;
}

/**
 * The action a module exports: `default`, or `action`. A .ts file in a folder without
 * `"type": "module"` loads as CommonJS, where the default export sits one level deeper.
 */
function pickAction(mod: Record<string, unknown>): unknown {
  for (const candidate of [mod.default, mod.action, (mod.default as Record<string, unknown> | undefined)?.default]) {
    if (isAction(candidate)) return candidate;
  }
  return undefined;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // Names starting with _ are the folder's own helpers (shared code, fixtures), not actions.
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    if (entry.isDirectory() && entry.name !== 'node_modules') {
      out.push(...(await listFiles(path)));
    } else if (entry.isFile() && ACTION_FILE.test(entry.name) && !SKIPPED.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/**
 * The start of an error's message: enough to act on. A compiler's message often opens with a
 * header line ("Transform failed with 1 error:") and puts the place and reason on the next.
 */
function firstLines(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split('\n').map((l) => l.trim()).filter(Boolean);
  const kept = lines.slice(0, lines[0]?.endsWith(':') ? 3 : 1);
  return kept.join(' ');
}

async function importFile(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    if (/\.m?ts$/.test(file)) {
      const { tsImport } = await import('tsx/esm/api');
      return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    }
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw new ActionLoadError(file, `failed to load: ${firstLines(err)}`);
  }
}
