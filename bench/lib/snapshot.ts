// The bench runs pkt from a private copy of bin/ and dist/, taken right after the build:
// others working in the same tree rebuild, and the build begins by deleting dist/, which
// would pull the CLI and server out from under a run in progress. The bench's own programs
// (clients/, servers/, actions/) are built into the same copy as plain JavaScript, so they
// start the way `pkt run` and a deployed server do, without a TypeScript loader in the way of
// a fair comparison.

import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { benchDir, builtActionsDir, builtServersDir, clientsDir, rootDir, snapshotDir } from './paths.js';

export { builtActionsDir, clientsDir, snapshotDir };

/** The path of a built bench client (`clients/<name>.ts`), or null when it was not built. */
export function benchClient(name: string): string | null {
  const path = join(clientsDir, `${name}.mjs`);
  return existsSync(path) ? path : null;
}

/** Returns null when pkt was copied, else why not. */
export async function takeSnapshot(): Promise<string | null> {
  // Never a stale copy from an earlier run: without a build, the bench reports pkt missing.
  rmSync(snapshotDir, { recursive: true, force: true });
  // Clients and servers alike: plain JavaScript, started without a TypeScript loader.
  for (const [from, to] of [
    ['clients', clientsDir],
    ['servers', builtServersDir],
  ] as const) {
    await buildScripts(join(benchDir, from), to);
  }
  if (!existsSync(join(rootDir, 'dist'))) return 'dist/ is not built';
  for (const entry of ['bin', 'dist', 'package.json']) {
    cpSync(join(rootDir, entry), join(snapshotDir, entry), { recursive: true });
  }
  // The server loads these as JavaScript, as a deployment would: a .ts action folder makes
  // pkt register tsx in the server, whose memory (60 MB here) is handed back only some
  // seconds after start and would blur the idle RSS that fan-out subtracts. `defineAction`
  // comes from pkt/server, which resolves to the copy's own dist/server.js (the package
  // names itself), the module instance the bench server runs.
  const actions = join(benchDir, 'actions');
  await build({
    entryPoints: listTs(actions),
    outbase: actions,
    outdir: builtActionsDir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        name: 'pkt-server',
        setup(b) {
          b.onResolve({ filter: /\/src\/server\/define-action\.js$/ }, () => ({ path: 'pkt/server', external: true }));
        },
      },
    ],
  });
  return null;
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTs(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Each .ts of `dir` into `out` as a .mjs, its packages left to node_modules. */
async function buildScripts(dir: string, out: string): Promise<void> {
  await build({
    entryPoints: readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(dir, f)),
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}
