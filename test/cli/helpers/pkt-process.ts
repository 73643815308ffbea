// Runs the built CLI (`node bin/pkt.js ...`) as a child process, the way a person or a
// script does, with an environment that cannot point it elsewhere by accident.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'pkt.js');

/** `npm test` builds first; a bare `node --test` of one file on a fresh clone may not have. */
export function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'dist', 'cli.js')) && existsSync(join(ROOT, 'dist', 'server.js'))) return;
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['PKT_URL', 'PKT_TOKEN', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'FORCE_COLOR', 'NO_COLOR']) delete env[key];
  return { ...env, ...extra };
}

export interface PktChild {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startPkt(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}): PktChild {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cliEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  else child.stdin!.end();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

export interface PktResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs pkt to the end; a bound against hanging (not a timing check) kills it after 60 s. */
export async function runPkt(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<PktResult> {
  const p = startPkt(args, options);
  const guard = setTimeout(() => p.child.kill('SIGKILL'), 60_000);
  const { code, signal } = await p.exited;
  clearTimeout(guard);
  return { code, signal, stdout: p.stdout(), stderr: p.stderr() };
}

/** Polls until `check` holds; fails after a generous deadline rather than timing anything. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}
