// Which output mode `pkt run` uses. A module of its own, with nothing heavy behind it: the
// start-up path (../start-frame.ts) asks it too, before the rest of the CLI has loaded.

import type { OutputIO, OutputMode } from './types.js';

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
