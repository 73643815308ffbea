// The worker `pkt serve --redis` runs beside itself, in a process of its own, so that one
// command is a whole setup: action code never runs in the front end's process, and the worker
// goes when the front end goes (it watches the IPC channel).

import { spawn } from 'node:child_process';

export interface WorkerChildOptions {
  /** The pkt executable (bin/pkt.js). */
  entry: string;
  redis: string;
  args: string[];
  log: (line: string) => void;
}

export interface WorkerChild {
  /** Asks it to stop (its runs end with SHUTDOWN) and waits until it has. */
  stop(): Promise<void>;
}

const READY_LIMIT_MS = 20_000;
const STOP_LIMIT_MS = 5000;

export async function startWorkerChild(options: WorkerChildOptions): Promise<WorkerChild> {
  // The URL goes in the environment, not the arguments, where any user's `ps` would show a password.
  const child = spawn(process.execPath, [options.entry, 'worker', ...options.args], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, PKT_REDIS: options.redis },
  });
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`its worker did not start within ${READY_LIMIT_MS / 1000} s`)), READY_LIMIT_MS);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`its worker exited (code ${code}) before taking any action; see the lines above`));
    });
  });
  void exited.then((code) => {
    if (!stopping) options.log(`pkt serve: its worker exited (code ${code}); actions now run only on other workers`);
  });
  return {
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
      await exited;
      clearTimeout(force);
    },
  };
}
