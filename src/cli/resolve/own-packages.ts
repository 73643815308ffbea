// `pkt serve --actions DIR` and `pkt run --actions DIR` from any folder: an action file there
// imports `pkt/server` and `zod`, and a folder of a few .ts files has no node_modules. Those
// imports then resolve from pkt's own install; a folder that has its own copies keeps them.
//
// Two ways in, as Node loads a file two ways. ES modules (.mjs, .js under "type": "module",
// .ts in such a folder) go through a resolve hook, registered with module.register (hook.ts).
// A .ts file in a folder without "type": "module" is compiled by tsx to CommonJS and loaded
// with require(), which that hook does not see on Node 20: for those, require's own resolution
// gets the same fallback. `pkt/server` is then the server pkt is running (its ESM build cannot
// be required): the same ActionError, the same defineAction.

import Module, { register } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fallsBack, type HookData } from './hook.js';

/** The packages an action file may import without installing them. */
export const OWN_PACKAGES = ['pkt', 'zod'];
/** Where the CommonJS shim finds the running server's module. */
export const SERVER_MODULE_KEY = Symbol.for('pkt.server.module');

let done = false;

/**
 * Lets the action files under `folders` import pkt's own packages. `serverModule` is the
 * server module pkt runs, handed to files loaded as CommonJS. Once per process.
 */
export function useOwnPackages(folders: readonly string[], serverModule: object): void {
  if (done || folders.length === 0) return;
  const root = packageRoot();
  if (!root) return;
  done = true;
  const data: HookData = {
    fallbackParent: pathToFileURL(join(root, 'package.json')).href,
    packages: OWN_PACKAGES,
    folders: folders.map((f) => pathToFileURL(resolvePath(f) + sep).href),
  };
  const hook = join(root, 'dist', 'resolve-hook.js');
  if (existsSync(hook)) register(pathToFileURL(hook), { data });
  (globalThis as Record<symbol, unknown>)[SERVER_MODULE_KEY] = serverModule;
  fallBackInRequire(root, data);
}

type ResolveFilename = (request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;

function fallBackInRequire(root: string, data: HookData): void {
  const internals = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = internals._resolveFilename;
  const fromRoot = Module.createRequire(join(root, 'package.json'));
  const serverShim = join(root, 'dist', 'server-require.cjs');
  internals._resolveFilename = function (request, parent, ...rest) {
    try {
      return original.call(this, request, parent, ...rest);
    } catch (err) {
      const from = parent?.filename ? pathToFileURL(parent.filename).href : undefined;
      if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND' || !fallsBack(request, from, data)) throw err;
      if (request === 'pkt/server') return serverShim;
      // pkt's other entries are ES modules only: Node 20's require() cannot load them.
      if (request.split('/')[0] === 'pkt') throw err;
      return fromRoot.resolve(request);
    }
  };
}

/** pkt's package root: the nearest folder above this module whose package.json is pkt's. */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'pkt') return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
