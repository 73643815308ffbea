// Timing whole commands for wall and CPU time, in a pipe or in a pseudo-terminal.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootDir } from './child.js';

export interface Timed {
  wallMs: number;
  /** User + system CPU of the command and its children, from bash's `times` (10 ms ticks). */
  cpuMs: number;
  code: number;
  /** Peak RSS in KB of the program after the PEAK_RSS marker, when the command has one. */
  peakRssKB: number | null;
}

/**
 * Put before the one program of a command line whose peak RSS is wanted (`${PEAK_RSS} node
 * ...`): GNU time measures it, and only it, not the pipe's other end.
 */
export const PEAK_RSS = '%PEAK_RSS%';
const GNU_TIME = '/usr/bin/time';

/** null when peak RSS can be measured here, else why not. */
export function peakRssMissing(): string | null {
  return existsSync(GNU_TIME) ? null : `${GNU_TIME} (GNU time) is not installed`;
}

function parseTimes(text: string): number {
  // `times` prints the shell's own line, then its children's: "0m1.230s 0m0.120s".
  const line = text.trim().split('\n').pop() ?? '';
  const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(line);
  if (!m) return Number.NaN;
  return (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

let tempCounter = 0;

/**
 * Times a shell command line. `pty` runs it in a pseudo-terminal of `cols`x`rows` (util-linux
 * `script`), as a person's terminal would; its output is read and dropped here.
 */
export async function timeCommand(
  command: string,
  options: { pty?: boolean; timeoutMs: number; onOutput?: (data: Buffer, ms: number) => void },
): Promise<Timed> {
  const timesFile = join(tmpdir(), `pkt-bench-times-${process.pid}-${tempCounter++}`);
  const rssFile = `${timesFile}-rss`;
  const measured = command.replace(PEAK_RSS, peakRssMissing() ? '' : `${GNU_TIME} -f %M -o '${rssFile}'`);
  // pipefail: in `pkt run ... | reader`, pkt's failure is the command's failure.
  const inner = `set -o pipefail; ${measured}; code=$?; times > '${timesFile}'; exit $code`;
  const argv = options.pty
    ? ['script', '-q', '-e', '-c', `stty cols 120 rows 40; bash -c ${shellQuote(inner)}`, '/dev/null']
    : ['bash', '-c', inner];
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: rootDir, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.on('data', (b: Buffer) => options.onOutput?.(b, performance.now() - started));
  child.stderr.resume();
  const code = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not finish within ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c ?? 1);
    });
  });
  const wallMs = performance.now() - started;
  const cpuMs = parseTimes(await readFile(timesFile, 'utf8').catch(() => ''));
  // GNU time writes "Command exited with non-zero status N" first when it did; KB is last.
  const rssText = (await readFile(rssFile, 'utf8').catch(() => '')).trim().split('\n').pop() ?? '';
  const peakRssKB = /^\d+$/.test(rssText) ? Number(rssText) : null;
  await rm(timesFile, { force: true });
  await rm(rssFile, { force: true });
  return { wallMs, cpuMs, code, peakRssKB };
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
