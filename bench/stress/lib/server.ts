// `pkt serve` as a person runs it, in its own process, for one stress scenario: started from
// the snapshot of bin/ and dist/ (bench/lib/snapshot.ts) with the stress actions, on a port
// the OS picks, optionally under `ulimit -n`. Its stderr is kept and read for stack traces,
// `stress: aborted` lines and dropped clients; its memory and descriptors come from /proc.

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, rootDir } from '../../lib/child.js';
import { snapshotDir } from '../../lib/snapshot.js';

export interface StderrLine {
  /** Date.now() when the harness read it. */
  at: number;
  text: string;
}

export interface PktServe {
  pid: number;
  port: number;
  url: string;
  child: ChildProcess;
  lines: StderrLine[];
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  rss(): number;
  fds(): number;
  /** After a full collection: heap in use and RSS (servers started with `limits` only). */
  collected(): Promise<{ heapUsed: number; rss: number } | undefined>;
  stop(): Promise<void>;
}

export const BASE = '/_piko/actions';
const ACTIONS = join(benchDir, 'stress', 'actions');

/**
 * `limits` other than the defaults start the server in code (workers/pkt-server.ts), since
 * `pkt serve` takes none on its command line.
 */
export async function startPktServe(options: { fileLimit?: number; limits?: Record<string, number>; args?: string[] } = {}): Promise<PktServe> {
  const bin = join(snapshotDir, 'bin', 'pkt.js');
  const limit = options.fileLimit ? `ulimit -n ${options.fileLimit} && ` : '';
  const command = options.limits
    ? `node --expose-gc --import tsx '${join(benchDir, 'stress', 'workers', 'pkt-server.ts')}' '${JSON.stringify(options.limits)}'`
    : `node '${bin}' serve --port 0 --actions '${ACTIONS}' ${(options.args ?? []).join(' ')}`;
  // `exec` keeps the pid: /proc/<pid> is the server's own.
  const child = spawn('bash', ['-c', `${limit}exec ${command}`], {
    cwd: rootDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PKT_TOKEN: '', NODE_OPTIONS: '' },
  });
  const lines: StderrLine[] = [];
  let partial = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const at = Date.now();
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const text of parts) lines.push({ at, text });
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`pkt serve did not start within 30 s: ${out}${lines.map((l) => l.text).join('\n')}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /^pkt serving on (http:\/\/\S+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(() => reject(new Error(`pkt serve exited at start: ${lines.map((l) => l.text).join('\n')}`)));
  });
  const pid = child.pid!;
  return {
    pid,
    port: Number(new URL(url).port),
    url,
    child,
    lines,
    exited,
    rss: () => rssOf(pid),
    fds: () => fdsOf(pid),
    async collected() {
      if (!options.limits) return undefined;
      const from = lines.length;
      child.kill('SIGUSR2');
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        for (const line of lines.slice(from)) {
          const m = /^stress: heap (\d+) (\d+)$/.exec(line.text);
          if (m) return { heapUsed: Number(m[1]), rss: Number(m[2]) };
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return undefined;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident memory in bytes, from /proc/<pid>/status. */
export function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

export function fdsOf(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Lines of a stack trace ("    at f (file:1:2)") the server printed. */
export function stackLines(server: PktServe): number {
  return server.lines.filter((l) => /^\s+at \S/.test(l.text)).length;
}

/**
 * What the kernel holds for TCP connections to and from `port` on this machine, from
 * /proc/net/tcp{,6}: the server sockets' send queues (sent or not, not yet acknowledged) and
 * the client sockets' receive queues (arrived, not yet read). Both sides are here on loopback.
 */
export function kernelQueues(port: number): { serverSendQueue: number; clientReceiveQueue: number; sockets: number } {
  let serverSendQueue = 0;
  let clientReceiveQueue = 0;
  let sockets = 0;
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 5) continue;
      const [local, remote, state, queues] = [cols[1]!, cols[2]!, cols[3]!, cols[4]!];
      // 01: ESTABLISHED. Listening and closing sockets hold nothing of interest here.
      if (state !== '01') continue;
      const [tx, rx] = queues.split(':').map((h) => Number.parseInt(h, 16)) as [number, number];
      if (local.endsWith(`:${hexPort}`)) {
        serverSendQueue += tx;
        sockets++;
      } else if (remote.endsWith(`:${hexPort}`)) {
        clientReceiveQueue += rx;
      }
    }
  }
  return { serverSendQueue, clientReceiveQueue, sockets };
}
