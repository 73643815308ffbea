// The bench runs pkt from a private copy of bin/ and dist/, taken right after the build:
// others working in the same tree rebuild, and the build begins by deleting dist/, which
// would pull the CLI and server out from under a run in progress. The bench's own client
// programs (clients/) are built into the same copy as plain JavaScript, so they start the way
// `pkt run` does, without a TypeScript loader in the way of a fair comparison.

import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { benchDir, rootDir } from './child.js';

/** Inside the package, so the copy resolves the same node_modules as the original. */
export const snapshotDir = join(rootDir, 'bench', '.snapshot');
export const clientsDir = join(snapshotDir, 'clients');

/** The path of a built bench client (`clients/<name>.ts`), or null when it was not built. */
export function benchClient(name: string): string | null {
  const path = join(clientsDir, `${name}.mjs`);
  return existsSync(path) ? path : null;
}

/** Returns null when pkt was copied, else why not. */
export async function takeSnapshot(): Promise<string | null> {
  // Never a stale copy from an earlier run: without a build, the bench reports pkt missing.
  rmSync(snapshotDir, { recursive: true, force: true });
  const source = join(benchDir, 'clients');
  await build({
    entryPoints: readdirSync(source)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(source, f)),
    outdir: clientsDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  if (!existsSync(join(rootDir, 'dist'))) return 'dist/ is not built';
  for (const entry of ['bin', 'dist', 'package.json']) {
    cpSync(join(rootDir, entry), join(snapshotDir, entry), { recursive: true });
  }
  return null;
}
