// The output modes of `pkt run`: the command picks one once, then feeds it the calls of
// `RunOutput` (types.ts) and never touches a stream itself.

import { createJsonOutput } from './json.js';
import type { OutputOptions } from './options.js';
import { createPlainOutput } from './plain.js';
import { createQuietOutput } from './quiet.js';
import type { OutputIO, OutputMode, RunOutput } from './types.js';

export type { OutputOptions } from './options.js';
export type { OutputIO, OutputMode, RunInfo, RunOutcome, RunOutput } from './types.js';

export interface OutputFlags {
  json?: boolean;
  quiet?: boolean;
  io: Pick<OutputIO, 'stderr' | 'env'>;
}

/**
 * --json wins over --quiet (a script asked for data), --quiet over the view. The Ink view
 * needs a terminal on stderr that can move its cursor: with TERM=dumb (Emacs' shell, some CI
 * runners) every redraw would land below the last, so those get plain lines instead, which
 * say the same thing one event per line and never redraw.
 */
export function chooseOutputMode({ json, quiet, io }: OutputFlags): OutputMode {
  if (json) return 'json';
  if (quiet) return 'quiet';
  if (io.stderr.isTTY !== true || io.env.TERM === 'dumb') return 'plain';
  // Under CI, Ink draws no frame but the last (is-in-ci), and a redrawing view would make a
  // mess of a build log anyway: a CI job with a pseudo-terminal gets plain lines.
  if (inCi(io.env)) return 'plain';
  return 'tui';
}

/** The same test Ink makes (through is-in-ci), on the environment we were given. */
function inCi(env: NodeJS.ProcessEnv): boolean {
  return ['CI', 'CONTINUOUS_INTEGRATION'].some((key) => key in env && env[key] !== '0' && env[key] !== 'false');
}

/**
 * Starts loading the view (Ink, React: half a second of module loading) while the run is
 * still being set up, so its first frame is not held up by it. createOutput gets the same
 * module from the cache.
 */
export function preloadOutput(mode: OutputMode): void {
  if (mode === 'tui') import('./tui.js').catch(() => {});
}

export async function createOutput(mode: OutputMode, io: OutputIO, opts: OutputOptions = {}): Promise<RunOutput> {
  switch (mode) {
    case 'tui':
      // Only ever a dynamic import: the bundle keeps Ink, React and the view in chunks of
      // their own that load when a terminal is there to draw on, and at no other time.
      return (await import('./tui.js')).createTuiOutput(io, opts);
    case 'json':
      return createJsonOutput(io, opts);
    case 'quiet':
      return createQuietOutput(io, opts);
    case 'plain':
      return createPlainOutput(io, opts);
  }
}
