// The module resolve hook behind `--actions DIR` from any folder (own-packages.ts registers it
// with module.register; it runs on Node's loader thread, so it is a build entry of its own,
// dist/resolve-hook.js, and imports nothing).
//
// An action file in a folder of its own imports `pkt/server` and `zod`. Where that folder (or
// a folder above it) has them installed, those copies are used, as Node would. Where it has
// not, they come from pkt's own install instead of failing with "Cannot find package".

export interface HookData {
  /** pkt's package.json, as a file URL: what the packages resolve from as a fallback. */
  fallbackParent: string;
  /** The packages resolved that way: `pkt` and `zod`, with any of their subpaths. */
  packages: string[];
  /** The actions folders, as file URLs ending in `/`: only their files get the fallback. */
  folders: string[];
}

let data: HookData = { fallbackParent: '', packages: [], folders: [] };

export function initialize(given: HookData): void {
  data = given;
}

type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
type NextResolve = (specifier: string, context: { parentURL?: string }) => Promise<Resolved>;

export async function resolve(specifier: string, context: { parentURL?: string }, next: NextResolve): Promise<Resolved> {
  try {
    return await next(specifier, context);
  } catch (err) {
    if (!fallsBack(specifier, context.parentURL, data)) throw err;
    const code = (err as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw err;
    return next(specifier, { ...context, parentURL: data.fallbackParent });
  }
}

/** Whether `specifier`, imported from `parent`, may come from pkt's own install. */
export function fallsBack(specifier: string, parent: string | undefined, given: HookData): boolean {
  if (!parent) return false;
  // The query tsx adds to the URLs it loads (?namespace=...) is not part of the path.
  const path = parent.replace(/[?#].*$/, '');
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  return given.packages.includes(name) && given.folders.some((folder) => path.startsWith(folder));
}
