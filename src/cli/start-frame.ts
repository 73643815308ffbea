// `pkt run`'s first frame, drawn from the bare argv before yargs, the client, the server or
// Ink have loaded: the header with the action's name and a spinner, a few milliseconds after
// Node starts. The Ink view takes the same lines over when it has loaded (output/first-frame.ts).
//
// Only a command line whose meaning is plain gets it: `pkt run <action>` with pkt's own
// options and field flags, in a terminal that will show the live view. Anything else (help,
// --json, --quiet, stdin input, an option this does not know) waits for the real parse,
// which says the same thing a moment later; a command that then fails (a misspelt action)
// has the frame erased before its message.

import { RUN_OPTIONS } from './commands/run.js';
import { colorEnabled } from './output/color.js';
import { drawFirstFrame } from './output/first-frame.js';
import { chooseOutputMode } from './output/mode.js';
import { isValidActionName } from '../protocol/index.js';
import { splitFieldArgs } from './run/field-flags.js';
import { resolveTarget } from './run/target.js';
import { liveLines } from './state/live-text.js';
import { createPaint } from './state/paint.js';
import { initialRunState, reduceRun } from './state/reducer.js';

/** What the first frame needs from a `pkt run` command line. */
export interface StartArgs {
  action: string;
  url?: string;
  basePath?: string;
  streaming: boolean;
}

const VALUE_OPTIONS = new Set(Object.entries(RUN_OPTIONS).filter(([, o]) => o.type === 'string').map(([name]) => name));

/**
 * The action and the server of `pkt run ...` when the command line draws the live view for
 * sure; undefined otherwise. `argv` is what follows `node pkt.js`.
 */
export function readStartArgs(argv: readonly string[]): StartArgs | undefined {
  if (argv[0] !== 'run') return undefined;
  const values: Record<string, string> = {};
  let streaming = true;
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    const m = /^--([^=]+)(?:=(.*))?$/.exec(token);
    const name = m?.[1];
    if (name !== undefined && VALUE_OPTIONS.has(name)) {
      const value = m![2] ?? argv[++i];
      if (value === undefined) return undefined;
      values[name] = value;
    } else if (token === '--no-stream') {
      streaming = false;
    } else if (token === '--detach' || token === '--stream') {
      // Changes nothing the first frame shows.
    } else if (/^-[^-\d]/.test(token)) {
      // -h, -q, or a mistake: the parse decides. (-5 is a value.)
      return undefined;
    } else if (name !== undefined && (name in RUN_OPTIONS || name.startsWith('no-'))) {
      // --json, --quiet, --help, their --no- forms and any =value: not a live view for sure.
      return undefined;
    } else {
      rest.push(token);
    }
  }
  // Its own prompt ("reading the input as JSON from stdin") comes first.
  if (values.input === '-') return undefined;
  let positionals: string[];
  try {
    positionals = splitFieldArgs(rest).positionals;
  } catch {
    return undefined;
  }
  const [action, extra] = positionals;
  if (action === undefined || extra !== undefined || !isValidActionName(action)) return undefined;
  const args: StartArgs = { action, streaming };
  if (values.url !== undefined) args.url = values.url;
  if (values['base-path'] !== undefined) args.basePath = values['base-path'];
  return args;
}

/** The first frame's lines for `argv`, or undefined when it gets none (see above). */
export function startFrameLines(argv: readonly string[], env: NodeJS.ProcessEnv, stderr: NodeJS.WriteStream): string[] | undefined {
  const args = readStartArgs(argv);
  if (!args) return undefined;
  if (chooseOutputMode({ io: { stderr, env } }) !== 'tui') return undefined;
  // A terminal that does not say how wide it is: a line might wrap, and then the frame could
  // not be erased exactly. Ink draws the first frame there.
  if (!stderr.columns) return undefined;
  let url: string | undefined;
  try {
    url = resolveTarget({ url: args.url, ...(args.basePath !== undefined ? { 'base-path': args.basePath } : {}) }, env).url;
  } catch {
    return undefined;
  }
  const state = reduceRun(initialRunState(), {
    type: 'start',
    info: { action: args.action, url: url ?? '', streaming: args.streaming, embedded: url === undefined },
    now: 0,
  });
  return liveLines(state, { rows: stderr.rows, columns: stderr.columns, header: true }, createPaint(colorEnabled(env, stderr)));
}

/** Draws the first frame when `argv` gets one; true when it did. */
export function drawStartFrame(argv: readonly string[], proc: Pick<NodeJS.Process, 'env' | 'stderr' | 'stdout'>): boolean {
  const lines = startFrameLines(argv, proc.env, proc.stderr);
  if (!lines) return false;
  // stdout too when it is the same terminal: whatever writes there first must not land below a frame about to go.
  drawFirstFrame(proc.stderr, lines, proc.stdout.isTTY ? [proc.stdout] : []);
  return true;
}
