// The bench runs pkt from a private copy of bin/ and dist/, taken right after the build:
// others working in the same tree rebuild, and the build begins by deleting dist/, which
// would pull the CLI and server out from under a run in progress.

import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { rootDir } from './child.js';

/** Inside the package, so the copy resolves the same node_modules as the original. */
export const snapshotDir = join(rootDir, 'bench', '.snapshot');

export function takeSnapshot(): string | null {
  // Never a stale copy from an earlier run: without a build, the bench reports pkt missing.
  rmSync(snapshotDir, { recursive: true, force: true });
  if (!existsSync(join(rootDir, 'dist'))) return 'dist/ is not built';
  for (const entry of ['bin', 'dist', 'package.json']) {
    cpSync(join(rootDir, entry), join(snapshotDir, entry), { recursive: true });
  }
  return null;
}
