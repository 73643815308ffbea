// `pkt run <action>`: the whole command as a plain function of its arguments and its IO, so
// the yargs module stays a list of options. Returns the exit code.

import { createClient } from '../../client/index.js';
import { ActionError, DEFAULT_BASE_PATH, type ManifestAction } from '../../protocol/index.js';
import { chooseOutputMode, createOutput, preloadOutput } from '../output/index.js';
import type { OutputIO } from '../output/types.js';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { splitRunArgs } from './field-flags.js';
import { readAll, readInputOption } from './input.js';
import { checkInputDepth } from './input-depth.js';
import { findAction, loadManifest } from './manifest.js';
import { explainError, readerWentAway, stdoutFailureText } from './messages.js';
import { runAction, type StopReason } from './run-action.js';
import { RUN_OPTION_HINTS, RUN_OPTIONS } from './run-options.js';
import { buildInput, describeFields, fieldLines } from './schema-flags.js';
import { resolveTarget } from './target.js';
import { UsageError } from './usage-error.js';

export interface RunArgs {
  action?: string;
  input?: string;
  url?: string;
  token?: string;
  'base-path'?: string;
  stream: boolean;
  json: boolean;
  quiet: boolean;
  timeout?: number;
  detach: boolean;
  actions?: string[];
  help?: boolean;
}

export interface RunCommandIO extends OutputIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The raw arguments after the word `run`. */
  tokens: string[];
  readFile(path: string): Promise<string>;
  /** Calls `handler` on each Ctrl-C; returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
  /** Leaves at once (a second Ctrl-C). */
  exitNow(code: number): void;
  /** The generic help of `pkt run` (its options). */
  runHelp(): Promise<string>;
}

export async function runCommand(args: RunArgs, io: RunCommandIO): Promise<number> {
  const say = (text: string) => io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  let embedded: EmbeddedServer | undefined;
  try {
    const { positionals, flags, options } = splitRunArgs(io.tokens, RUN_OPTIONS, RUN_OPTION_HINTS);
    if (!args.action) {
      if (args.help) {
        io.stdout.write(await io.runHelp());
        return EXIT.OK;
      }
      throw new UsageError('name an action, such as `pkt run task.process --name foo`; `pkt list` shows them');
    }
    if (positionals.length > 1) {
      throw new UsageError(`unexpected argument "${positionals[1]}": field values go after a flag, as in --name ${positionals[1]}`);
    }
    const timeoutMs = parseTimeout(options.timeout?.at(-1), args.timeout);
    const target = resolveTarget(args, io.env);
    const readStdin = () => {
      // Otherwise a person who typed `--input -` at a prompt sees pkt wait, and not why.
      if (io.stdin.isTTY) say('pkt: reading the input as JSON from stdin (end with Ctrl-D)');
      return readAll(io.stdin);
    };
    const base = await readInputOption(options.input?.at(-1) ?? args.input, { readFile: io.readFile, readStdin });

    if (!args.help) preloadOutput(chooseOutputMode({ json: args.json, quiet: args.quiet, io }));
    if (target.url === undefined) {
      embedded = await startEmbeddedServer({ actionsDirs: target.actionsDirs, ...(target.token ? { token: target.token } : {}) });
    }
    const baseUrl = target.url ?? embedded!.url;
    const client = createClient({
      baseUrl,
      basePath: args['base-path'] ?? DEFAULT_BASE_PATH,
      ...(target.token ? { token: target.token } : {}),
    });
    const context = {
      url: baseUrl,
      embedded: embedded !== undefined,
      action: { name: args.action, url: `${client.url}/${encodeURIComponent(args.action)}` },
    };

    let described: ManifestAction | undefined;
    try {
      described = findAction(await loadManifest(client), args.action);
    } catch (err) {
      if (!(err instanceof ActionError)) throw err;
      const error = explainError(err, context);
      say(`pkt: ${error.message}`);
      return exitCodeFor({ ok: false, error }, { timeoutSet: false });
    }
    const fields = describeFields(described?.input);

    if (args.help) {
      io.stdout.write(actionHelp(args.action, described, fields));
      io.stdout.write(`\n${await io.runHelp()}`);
      return EXIT.OK;
    }

    const { input, problems } = buildInput(flags, described?.input, base);
    // Before anything else about it: the server would refuse it, and past some depth it cannot
    // even be encoded to be sent.
    checkInputDepth(input);
    if (problems.length > 0) {
      throw new UsageError(`the input for ${described?.name ?? args.action} is not right:`, [
        ...problems,
        '',
        `fields of ${described?.name ?? args.action}:`,
        ...fieldLines(fields).map((line) => `  ${line}`),
      ]);
    }
    if (args.detach && embedded) {
      say('pkt: note: --detach has no effect on the embedded server, which stops with pkt; use --url with `pkt serve`');
    }

    // Ctrl-C: the first stops the run (and the output says so), the second leaves at once.
    const stop = new AbortController();
    let interrupts = 0;
    const offInterrupt = io.onInterrupt(() => {
      interrupts += 1;
      if (interrupts > 1) io.exitNow(EXIT.INTERRUPTED);
      else stop.abort('interrupt' satisfies StopReason);
    });
    let stdoutFailure: Error | undefined;
    const mode = chooseOutputMode({ json: args.json, quiet: args.quiet, io });
    const output = await createOutput(mode, io, {
      onStdoutClosed: (error) => {
        // `pkt run --json ... | head -1`: the reader has what it wanted; stop quietly. Any
        // other failure (a full disk) loses output: stop too, and say so below.
        stdoutFailure = error;
        stop.abort((readerWentAway(error) ? 'stdout-closed' : 'stdout-failed') satisfies StopReason);
      },
    });
    const { outcome } = await runAction(
      {
        client,
        action: args.action,
        input,
        stream: args.stream,
        detach: args.detach,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        signal: stop.signal,
        url: baseUrl,
      },
      output,
    );
    const shown = outcome.ok ? outcome : { ...outcome, error: explainError(outcome.error, context) };
    // A failed stdout makes the rest moot; only the terminal view has something to take down.
    if (stdoutFailure === undefined || mode === 'tui') await output.finish(shown);
    offInterrupt();
    // Checked after `finish` too, which is where quiet and plain modes write the result.
    const failure = stdoutFailure as Error | undefined;
    if (failure !== undefined) {
      if (readerWentAway(failure)) return EXIT.OK;
      say(`pkt: ${stdoutFailureText(failure)}`);
      return EXIT.FAILED;
    }
    if (!shown.ok && shown.error.status === 422 && fields.length > 0) {
      say(`fields of ${described?.name ?? args.action}:\n${fieldLines(fields).map((l) => `  ${l}`).join('\n')}`);
    }
    return exitCodeFor(shown, { timeoutSet: timeoutMs !== undefined });
  } catch (err) {
    if (err instanceof UsageError) {
      say(err.toText());
      return EXIT.USAGE;
    }
    throw err;
  } finally {
    await embedded?.close();
  }
}

/** --timeout's raw text (yargs makes `--timeout` alone, or `-5`, quietly undefined) as ms. */
function parseTimeout(raw: string | undefined, parsed: number | undefined): number | undefined {
  if (raw === undefined && parsed === undefined) return undefined;
  const ms = raw === undefined ? parsed! : raw.trim() === '' ? NaN : Number(raw);
  if (!(Number.isFinite(ms) && ms > 0)) {
    throw new UsageError(`--timeout wants a positive number of ms, such as --timeout 30000, not ${JSON.stringify(raw ?? String(parsed))}`);
  }
  return ms;
}

function actionHelp(name: string, action: ManifestAction | undefined, fields: ReturnType<typeof describeFields>): string {
  if (!action) {
    return `${name}: this server publishes no description of it (no manifest, or no such action; \`pkt list\` shows them).\nPass its input with --input JSON or --<field> value flags; values are read as JSON where they parse.\n`;
  }
  const lines = [
    `pkt run ${action.name}${action.description ? ` — ${action.description}` : ''}`,
    action.streams ? '(streams progress events)' : '(answers once, without streaming)',
    '',
    'Fields:',
    ...fieldLines(fields).map((l) => `  ${l}`),
  ];
  return `${lines.join('\n')}\n`;
}
