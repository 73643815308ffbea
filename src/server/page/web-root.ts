// Where the built page lives. The same code runs from src/ (through tsx, in tests) and from
// dist/ (the CLI, possibly bundled into dist/chunks/), so the folder is found from the package
// root, the nearest folder above this module that holds a package.json.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findPackageRoot(fromUrl: string = import.meta.url): string | undefined {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `<package root>/dist/web`, where `npm run build` puts the page. */
export function defaultWebDir(): string {
  const root = findPackageRoot() ?? process.cwd();
  return join(root, 'dist', 'web');
}
