// Fake streams for the output modes: they collect what is written, and can play a closed pipe.
import { Writable } from 'node:stream';
import type { OutputIO } from '../../../src/cli/output/types.js';

export class Capture extends Writable {
  chunks: string[] = [];
  isTTY?: boolean;
  columns?: number;
  rows?: number;

  constructor(opts: { isTTY?: boolean; columns?: number; rows?: number } = {}) {
    super();
    if (opts.isTTY !== undefined) this.isTTY = opts.isTTY;
    if (opts.columns !== undefined) this.columns = opts.columns;
    if (opts.rows !== undefined) this.rows = opts.rows;
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    cb();
  }

  get text(): string {
    return this.chunks.join('');
  }
}

/** A pipe whose reader has gone (`| head -1`): the first `accept` writes land, then EPIPE. */
export class ClosedPipe extends Capture {
  constructor(private accept = 0) {
    super();
  }

  override _write(chunk: Buffer | string, enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    if (this.accept-- > 0) return super._write(chunk, enc, cb);
    cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' }));
  }
}

export function fakeIO(opts: { stdout?: Capture; stderr?: Capture; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = opts.stdout ?? new Capture();
  const stderr = opts.stderr ?? new Capture();
  const io: OutputIO = { stdout, stderr, env: opts.env ?? {} };
  return { io, stdout, stderr };
}

/** A clock the test moves by hand. */
export function fakeClock(start = 0) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

export const ESC = '\u001b';
