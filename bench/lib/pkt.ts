// Which pkt pieces exist in this tree. The bench is built alongside the server and the CLI,
// so a scenario asks here first and reports "not available: <why>" instead of failing.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtActionsDir, rootDir, snapshotDir } from './paths.js';

// The snapshot when the harness took one (lib/snapshot.ts), else the tree itself.
const base = existsSync(join(snapshotDir, 'dist')) ? snapshotDir : rootDir;
export const pktBin = join(base, 'bin', 'pkt.js');
export const pktServerDist = join(base, 'dist', 'server.js');
export const pktCliDist = join(base, 'dist', 'cli.js');
export const pktProtocolDist = join(base, 'dist', 'protocol.js');
/** The bench's actions as TypeScript: what `pkt run --actions` loads through tsx in (e). */
export const benchActionsDir = join(rootDir, 'bench', 'actions');
/** The same built to JavaScript (lib/snapshot.ts), for the bench's pkt server; the sources without a snapshot. */
export const serverActionsDir = existsSync(join(builtActionsDir, 'bench')) ? builtActionsDir : benchActionsDir;

/** null when pkt's server can be started by the bench, else why not. */
export function pktServerMissing(): string | null {
  if (!existsSync(pktServerDist)) return 'dist/server.js is not built (src/server/index.ts has not landed)';
  if (!/\bstartServer\b/.test(readFileSync(pktServerDist, 'utf8'))) return 'dist/server.js has no startServer export yet';
  return null;
}

let runProbe: string | null | undefined;

/** null when the built CLI has a `run` command, else why not. Asks the CLI itself, once. */
export function pktRunMissing(): string | null {
  if (runProbe !== undefined) return runProbe;
  if (!existsSync(pktCliDist)) return (runProbe = 'dist/cli.js is not built');
  const help = spawnSync(process.execPath, [pktBin, '--help'], { encoding: 'utf8', timeout: 30_000 });
  runProbe = /pkt run\b/.test(`${help.stdout}${help.stderr}`) ? null : '`pkt run` is not registered in the built CLI yet (pkt --help lists no run command)';
  return runProbe;
}
