// The parent side of bench server processes. Each server runs alone in its own process, so
// its CPU and memory are its own and the reader's work never shares its event loop.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage } from './server-child.js';

export const benchDir = fileURLToPath(new URL('..', import.meta.url));
export const rootDir = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerHandle {
  name: string;
  pid: number;
  port: number;
  firehosePath: string;
  tickPath?: string;
  stats(gc?: boolean): Promise<{ rss: number; heapUsed: number; cpuMicros: number; at: number }>;
  stop(): Promise<void>;
}

/**
 * Runs `node --import tsx <script>` under a shell that first lifts the open-files limit to
 * its hard maximum: fan-out needs one descriptor per stream. `exec` keeps the IPC channel.
 */
export function spawnNode(script: string, args: string[] = [], nodeFlags: string[] = []): ChildProcess {
  const quoted = [...nodeFlags, '--import', 'tsx', script, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
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

export async function startServerProcess(name: string, script: string, args: string[] = []): Promise<ServerHandle> {
  const child = spawnNode(script, args, ['--expose-gc']);
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
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no stats answer within 10 s`)), 10_000);
        const onMessage = (m: ChildMessage) => {
          if (m.type !== 'stats') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(m);
        };
        child.on('message', onMessage);
        child.send({ type: 'stats', gc } satisfies ParentMessage);
      });
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
