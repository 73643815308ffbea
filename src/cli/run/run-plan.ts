// The plan of `pkt run`: everything that can be known, and refused, before any server is
// asked: the action, its field flags, the timeout, the target, the --input object and the
// output mode. Then, once the server's manifest is in, the input the action gets.

import { PIKO_MAX_JSON_DEPTH, type ManifestAction } from '../../protocol/index.js';
import { chooseOutputMode, type OutputIO, type OutputMode } from '../output/index.js';
import { splitFieldArgs, type RawFlag } from './field-flags.js';
import { readFileFlags } from './file-flags.js';
import { readAll, readInputOption } from './input.js';
import { checkInputDepth } from './input-depth.js';
import { buildInput, describeFields, fieldLines } from './schema-flags.js';
import { resolveTarget, type Target } from './target.js';
import { UsageError } from './usage-error.js';

/** `pkt run`'s arguments as yargs parsed them with the options of commands/run.ts. */
export interface RunArgs {
  input?: string;
  url?: string;
  token?: string;
  'base-path'?: string;
  stream: boolean;
  json: boolean;
  quiet: boolean;
  /** Raw text: yargs would make `--timeout soon` NaN and `--timeout` alone undefined. */
  timeout?: string;
  detach: boolean;
  /** False with --no-retry: a dropped connection ends the run's view instead of re-attaching. */
  retry: boolean;
  actions?: string[];
  /** `--file field=@path`, each as typed. */
  file?: string[];
  help?: boolean;
  /** What yargs did not know, as typed: the action, and its field flags with their values. */
  rest: string[];
}

/** pkt's own options of `pkt run`, as its yargs definition lists them. */
export interface OwnOptions {
  /** Every long name, to tell a misspelt option from a misspelt field. */
  names: readonly string[];
  /** What each value option's value looks like, for the message when it is missing. */
  needs: Readonly<Record<string, string>>;
}

export interface PlanIO extends Pick<OutputIO, 'stderr' | 'env'> {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readFile(path: string): Promise<string>;
  /** A --file's bytes; the file system's when not given. */
  readBytes?(path: string): Promise<Uint8Array<ArrayBuffer>>;
}

export interface RunPlan {
  action: string;
  /** --help with an action: its fields, then the options. */
  help: boolean;
  flags: RawFlag[];
  /** The --input object, before the field flags go on top. */
  base: Record<string, unknown>;
  target: Target;
  mode: OutputMode;
  stream: boolean;
  detach: boolean;
  retry: boolean;
  timeoutMs?: number;
}

/** The plan, or 'options' when all that was asked is the options' help (`pkt run --help`). */
export async function planRun(args: RunArgs, io: PlanIO, own: OwnOptions): Promise<RunPlan | 'options'> {
  const { input, rest } = stdinDash(args);
  // yargs gives a value option that has no value (at the end, or before another flag) ''.
  const given: Record<string, unknown> = { ...args, input };
  for (const [name, what] of Object.entries(own.needs)) {
    if ([given[name]].flat().includes('')) throw new UsageError(`--${name} needs a value: ${what}`);
  }
  const { positionals, flags } = splitFieldArgs(rest);
  const [action, extra] = positionals;
  if (action === undefined) {
    if (args.help) return 'options';
    throw new UsageError('name an action, such as `pkt run task.process --name foo`; `pkt list` shows them');
  }
  if (extra !== undefined) {
    throw new UsageError(`unexpected argument "${extra}": field values go after a flag, as in --name ${extra}`);
  }
  const timeoutMs = parseTimeout(args.timeout);
  const target = resolveTarget(args, io.env);
  const readStdin = () => {
    // Otherwise a person who typed `--input -` at a prompt sees pkt wait, and not why.
    if (io.stdin.isTTY) io.stderr.write('pkt: reading the input as JSON from stdin (end with Ctrl-D)\n');
    return readAll(io.stdin);
  };
  // Files are fields like any other: over --input, under the field flags.
  const files = await readFileFlags(args.file ?? [], io.readBytes);
  const base = { ...(await readInputOption(input, { readFile: io.readFile, readStdin })), ...files };
  const plan: RunPlan = {
    action,
    help: args.help === true,
    flags,
    base,
    target,
    mode: chooseOutputMode({ json: args.json, quiet: args.quiet, io }),
    stream: args.stream,
    detach: args.detach,
    retry: args.retry !== false,
  };
  if (timeoutMs !== undefined) plan.timeoutMs = timeoutMs;
  return plan;
}

/**
 * The input the action gets: the field flags over the --input object, each coerced to its
 * field's type. A flag that is no field but a misspelt pkt option (`--jsno`) says so, unless
 * it is closer to one of the action's fields.
 */
export function runInput(plan: RunPlan, action: ManifestAction | undefined, own: OwnOptions, listed = true): Record<string, unknown> {
  const name = action?.name ?? plan.action;
  const { input, problems, misspelt } = buildInput(plan.flags, action?.input, plan.base, own.names);
  if (misspelt.length > 0) {
    const [first] = misspelt;
    throw new UsageError(
      misspelt.length === 1
        ? `unknown option --${first!.flag}; did you mean --${first!.option}?`
        : `unknown options: ${misspelt.map((m) => `--${m.flag} (did you mean --${m.option}?)`).join(', ')}`,
    );
  }
  // Before anything else about it: the server would refuse it, and past some depth it cannot
  // even be encoded to be sent.
  // A server without a manifest may be Piko, which refuses more than 32 levels.
  if (listed) checkInputDepth(input);
  else checkInputDepth(input, PIKO_MAX_JSON_DEPTH, 'servers without a manifest, such as Piko,');
  if (problems.length > 0) throw inputError(name, problems, action);
  return input;
}

/** What is wrong with the input, one line a problem, then the action's fields: exit 2. */
export function inputError(name: string, problems: string[], action: ManifestAction | undefined): UsageError {
  return new UsageError(`the input for ${name} is not right:`, [
    ...problems,
    '',
    `fields of ${name}:`,
    ...fieldLines(describeFields(action?.input)).map((line) => `  ${line}`),
  ]);
}

/**
 * yargs reads a lone `-` after an option as an argument of its own (it looks like a flag), so
 * `--input -` arrives as an empty --input and a `-` among the rest: put them back together.
 */
function stdinDash(args: RunArgs): { input: string | undefined; rest: string[] } {
  const dash = args.rest.indexOf('-');
  if (args.input !== '' || dash < 0) return { input: args.input, rest: args.rest };
  return { input: '-', rest: args.rest.filter((_, i) => i !== dash) };
}

/** --timeout's text as ms; its absence is no timeout. */
function parseTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = raw.trim() === '' ? NaN : Number(raw);
  if (!(Number.isFinite(ms) && ms > 0)) {
    throw new UsageError(`--timeout wants a positive number of ms, such as --timeout 30000, not ${JSON.stringify(raw)}`);
  }
  return ms;
}
