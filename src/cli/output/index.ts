// The output modes of `pkt run`: the command picks one once, then feeds it the calls of
// `RunOutput` (types.ts) and never touches a stream itself.

import { createJsonOutput } from './json.js';
import type { OutputOptions } from './options.js';
import { createPlainOutput } from './plain.js';
import { createQuietOutput } from './quiet.js';
import type { OutputIO, OutputMode, RunOutput } from './types.js';

export type { OutputOptions } from './options.js';
export { chooseOutputMode, type OutputFlags } from './mode.js';
export type { OutputIO, OutputMode, RunInfo, RunOutcome, RunOutput } from './types.js';

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
