// Where the bench's pieces live: the tree, and the copy a bench run works from
// (lib/snapshot.ts). Its own file, so server children can know the paths without loading
// the snapshot builder (and esbuild with it).

import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file runs from bench/lib/, or bundled into a script of the bench's copy
// (bench/.snapshot/servers/): either way, the bench folder is found above it.
const here = fileURLToPath(new URL('.', import.meta.url));
const copied = here.lastIndexOf(`${sep}.snapshot${sep}`);
export const benchDir = copied >= 0 ? here.slice(0, copied + 1) : resolve(here, '..') + sep;
export const rootDir = resolve(benchDir, '..') + sep;

/** Inside the package, so the copy resolves the same node_modules as the original. */
export const snapshotDir = join(rootDir, 'bench', '.snapshot');
/** The bench's client programs (clients/) built to JavaScript. */
export const clientsDir = join(snapshotDir, 'clients');
/** The bench's actions (actions/) built to JavaScript, for pkt's server in (a) and (b). */
export const builtActionsDir = join(snapshotDir, 'actions');
/** The bench's servers (servers/) built to JavaScript, run without a TypeScript loader. */
export const builtServersDir = join(snapshotDir, 'servers');
