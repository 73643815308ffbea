// `pkt run <action>`: pkt's own options, and the only list of them; the command itself is
// src/cli/run/run-command.ts.
import { readFile } from 'node:fs/promises';
import type { Argv, CommandModule, Options } from 'yargs';
import type { OwnOptions, RunArgs } from '../run/run-command.js';
import { guard } from '../run/guard.js';

/** A value option says what its value looks like (`needs`), for the message when it is missing. */
type RunOption = Options & { needs?: string };

// The last of a repeated option wins, as it would in most tools; --actions collects them all.
const last = (value: string | string[]) => (Array.isArray(value) ? value.at(-1) : value);
const all = (value: string | string[]) => [value].flat();

/**
 * pkt's own options of `pkt run`. Whatever yargs does not find here is the action's: the
 * run's yargs hands it over as typed (`unknown-options-as-args`), as field flags. Value
 * options are strings even when they hold numbers (--timeout), so the command can name a bad
 * value as it was typed; none is an array, which would swallow the field flags after it.
 */
export const RUN_OPTIONS = {
  input: { type: 'string', coerce: last, describe: 'The input: JSON, @file.json, or - for stdin; field flags go on top', needs: `JSON, @file.json or - (stdin), such as --input '{"name":"foo"}'` },
  url: { type: 'string', coerce: last, describe: 'A pkt (or Piko) server; default $PKT_URL, else an embedded server', needs: 'a server URL, such as --url http://127.0.0.1:7070' },
  token: { type: 'string', coerce: last, describe: 'Bearer token for the server (default: $PKT_TOKEN)', needs: 'the bearer token, such as --token "$PKT_TOKEN"' },
  file: { type: 'string', coerce: all, describe: 'Send a file as a field, as multipart/form-data: --file doc=@report.pdf; repeatable', needs: 'field=@path, such as --file doc=@report.pdf' },
  'base-path': { type: 'string', coerce: last, describe: "Where the server's actions live (default /_piko/actions)", needs: 'the path of the actions, such as --base-path /_piko/actions' },
  stream: { type: 'boolean', default: true, describe: "Stream events; --no-stream prints only the action's plain call result, which may differ from what its stream completes with (task.process: status \"completed\" vs \"done\")" },
  json: { type: 'boolean', default: false, describe: 'JSON Lines on stdout: one {"event","id","data"} per event' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'Only the result on stdout (errors still on stderr)' },
  timeout: { type: 'string', coerce: last, describe: 'Give up after this many ms (exit 124)', needs: 'a positive number of ms, such as --timeout 30000' },
  detach: { type: 'boolean', default: false, describe: 'Leave the run going on the server when pkt stops; prints how to `pkt attach` to it' },
  retry: { type: 'boolean', default: true, describe: 'Re-attach by itself after a dropped connection; --no-retry gives up at once' },
  actions: { type: 'string', coerce: all, describe: 'A folder of your own actions for the embedded server; repeatable', needs: 'a folder of actions, such as --actions ./actions' },
  // Handled by the command, so that `pkt run task.process --help` can list the action's fields.
  help: { alias: 'h', type: 'boolean', describe: 'Show help; with an action, its fields too' },
} satisfies Record<string, RunOption>;

// The builder's yargs instance, kept to print the options part of the help on request.
let runYargs: Argv | undefined;
let own: OwnOptions | undefined;

export const runCommandModule: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Run an action and watch it live: pkt run <action> --<field> value',
  builder: (y) => {
    runYargs = y;
    const built = y
      .usage('$0 run <action> [--<field> value ...] [options]\n\nRun an action and watch it live; its fields are flags (`$0 run <action> --help` lists them).')
      .parserConfiguration({
        // Field flags are the action's, unknown to yargs: keep them, and their values, as typed.
        'unknown-options-as-args': true,
        'parse-positional-numbers': false,
        // After `--` nothing is pkt's or a field: kept apart, and left alone.
        'populate--': true,
      })
      .strict(false)
      .help(false)
      .options(RUN_OPTIONS)
      .example('$0 run task.process --name foo', 'watch the bundled demo action')
      .example('$0 run task.process --json --name foo | jq -c .', 'one JSON line per event')
      .example("echo '{\"name\":\"foo\"}' | $0 run task.process --input -", 'input from stdin')
      .example('$0 run files.upload --file doc=@report.pdf', 'a file as the field doc (multipart/form-data)')
      .example('$0 run task.process --help', "the action's fields");
    own = ownOptions(y);
    return built as unknown as Argv<RunArgs>;
  },
  handler: async (args) => {
    // Loaded on use: `pkt serve` and `pkt --help` need neither the client nor the output modes.
    const { runCommand } = await import('../run/run-command.js');
    const code = await guard(
      () =>
        runCommand(runArgs(args), {
          stdin: process.stdin,
          stdout: process.stdout,
          stderr: process.stderr,
          env: process.env,
          readFile: (path) => readFile(path, 'utf8'),
          onInterrupt(handler) {
            process.on('SIGINT', handler);
            return () => process.off('SIGINT', handler);
          },
          exitNow: (c) => process.exit(c),
          runHelp: () => new Promise<string>((resolve) => runYargs!.showHelp((text: string) => resolve(`${text}\n`))),
        }, own!),
      process.stderr,
    );
    process.exit(code);
  },
};

/** The arguments as run-command takes them: what yargs did not know, after the word `run`. */
export function runArgs(args: RunArgs & { _: (string | number)[] }): RunArgs {
  return { ...args, rest: args._.slice(1).map(String) };
}

/** What yargs 18 tells of the options it knows (@types/yargs, at 17, does not list it). */
interface OptionsKnown {
  getOptions(): { key: Record<string, unknown> };
}

/** pkt's options as the run's yargs instance knows them, global ones (--version) included. */
export function ownOptions(y: Argv): OwnOptions {
  const names = Object.keys((y as unknown as OptionsKnown).getOptions().key).filter((name) => name.length > 1);
  const needs = Object.fromEntries(
    Object.entries(RUN_OPTIONS as Record<string, RunOption>).flatMap(([name, o]) => (o.needs ? [[name, o.needs]] : [])),
  );
  return { names, needs };
}
