// The parent side of bench server processes. Each server runs alone in its own process, so
// its CPU and memory are its own and the reader's work never shares its event loop.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { benchDir, builtServersDir, rootDir } from './paths.js';
import type { ChildMessage, ParentMessage, ServerStats } from './server-child.js';

export { benchDir, rootDir };

export interface ServerHandle {
  name: string;
  pid: number;
  port: number;
  firehosePath: string;
  tickPath?: string;
  stats(gc?: boolean): Promise<ServerStats>;
  /** Writes a V8 heap snapshot of the server to `path` (slow: seconds, and the heap's size again in memory). */
  heapSnapshot(path: string): Promise<void>;
  /** Starts V8's CPU profiler in the server, or stops it and writes the profile to `path`. */
  cpuProfile(action: 'start' | 'stop', path?: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs `node --import tsx <script>` (plain `node` for a built .mjs) under a shell that first
 * lifts the open-files limit to its hard maximum: fan-out needs one descriptor per stream.
 * `exec` keeps the IPC channel.
 */
export function spawnNode(script: string, args: string[] = [], nodeFlags: string[] = []): ChildProcess {
  const loader = script.endsWith('.mjs') ? [] : ['--import', 'tsx'];
  const quoted = [...nodeFlags, ...loader, script, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return spawn('bash', ['-c', `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec node ${quoted}`], {
    cwd: rootDir,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
}

/** Keeps the last lines a child printed, for the error message when it fails. */
export function tail(child: ChildProcess): () => string {
  let text = '';
  const keep = (b: Buffer) => {
    text = (text + b.toString()).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text.trim();
}

/**
 * Starts a bench server (`servers/*.ts`): its build in the bench's copy when there is one
 * (lib/snapshot.ts), so no server carries a TypeScript loader (tsx transforming pkt's large
 * bundled dist/server.js held 60-90 MB for the first seconds, blurring idle RSS). `nodeFlags`
 * add to the child's node command line, e.g. `--cpu-prof` for bench:profile.
 */
export async function startServerProcess(name: string, script: string, args: string[] = [], nodeFlags: string[] = []): Promise<ServerHandle> {
  const built = join(builtServersDir, basename(script).replace(/\.ts$/, '.mjs'));
  const runs = dirname(script) === join(benchDir, 'servers') && existsSync(built) ? built : script;
  const child = spawnNode(runs, args, ['--expose-gc', ...nodeFlags]);
  const output = tail(child);
  const ready = await new Promise<Extract<ChildMessage, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${name}: not ready within 30 s. ${output()}`));
    }, 30_000);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m);
      } else if (m.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${name}: ${m.message}`));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name}: exited with ${code} before it was ready. ${output()}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    pid: child.pid!,
    port: ready.port,
    firehosePath: ready.firehosePath,
    ...(ready.tickPath ? { tickPath: ready.tickPath } : {}),
    stats(gc = false) {
      return ask(child, name, { type: 'stats', gc }, 'stats', 10_000);
    },
    async heapSnapshot(path) {
      const answer = await ask(child, name, { type: 'heapSnapshot', path }, 'heapSnapshot', 120_000);
      if (answer.error) throw new Error(`${name}: heap snapshot: ${answer.error}`);
    },
    async cpuProfile(action, path) {
      const request: ParentMessage = action === 'start' ? { type: 'cpuProfile', action } : { type: 'cpuProfile', action, path: path! };
      const answer = await ask(child, name, request, 'cpuProfile', 60_000);
      if (answer.error) throw new Error(`${name}: CPU profile: ${answer.error}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Sends a request to a server child and waits for its answer of the given type. */
function ask<T extends ChildMessage['type']>(
  child: ChildProcess,
  name: string,
  request: ParentMessage,
  answer: T,
  timeoutMs: number,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no ${answer} answer within ${timeoutMs / 1000} s`)), timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      reject(new Error(`${name}: exited with ${code} before its ${answer} answer`));
    };
    const onMessage = (m: ChildMessage) => {
      if (m.type !== answer) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as Extract<ChildMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(request);
  });
}
