// `pkt run <action>`: options only; the command itself is src/cli/run/run-command.ts.
import { readFile } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import type { RunArgs } from '../run/run-command.js';
import { guard } from '../run/guard.js';

// The builder's yargs instance, kept to print the options part of the help on request.
let runYargs: Argv | undefined;

export const runCommandModule: CommandModule<object, RunArgs> = {
  command: 'run [action]',
  describe: 'Run an action and watch it live (fields as --<field> value)',
  builder: (y) => {
    runYargs = y;
    const built = y
      .positional('action', { type: 'string', describe: 'The action, such as task.process' })
      .option('input', { type: 'string', describe: 'The input: JSON, @file.json, or - for stdin; field flags go on top' })
      .option('url', { type: 'string', describe: 'A pkt (or Piko) server; default $PKT_URL, else an embedded server' })
      .option('token', { type: 'string', describe: 'Bearer token for the server (default: $PKT_TOKEN)' })
      .option('base-path', { type: 'string', describe: "Where the server's actions live (default /_piko/actions)" })
      .option('stream', { type: 'boolean', default: true, describe: 'Stream events; --no-stream prints only the call result' })
      .option('json', { type: 'boolean', default: false, describe: 'JSON Lines on stdout: one {"event","id","data"} per event' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Only the result on stdout (errors still on stderr)' })
      .option('timeout', { type: 'number', describe: 'Give up after this many ms (exit 124)' })
      .option('detach', { type: 'boolean', default: false, describe: 'Leave the run going on the server when pkt stops' })
      .option('actions', { type: 'string', array: true, describe: 'A folder of your own actions for the embedded server; repeatable' })
      // Field flags are the action's, unknown to yargs; `--help` is handled by the command so
      // that `pkt run task.process --help` can list the action's fields.
      .strict(false)
      .help(false)
      .option('help', { alias: 'h', type: 'boolean', describe: 'Show help; with an action, its fields too' })
      .example('$0 run task.process --name foo', 'watch the bundled demo action')
      .example('$0 run task.process --json --name foo | jq -c .', 'one JSON line per event')
      .example("echo '{\"name\":\"foo\"}' | $0 run task.process --input -", 'input from stdin')
      .example('$0 run task.process --help', "the action's fields");
    return built as unknown as Argv<RunArgs>;
  },
  handler: async (args) => {
    // Loaded on use: `pkt serve` and `pkt --help` need neither the client nor the output modes.
    const { runCommand } = await import('../run/run-command.js');
    const tokens = process.argv.slice(2);
    const at = tokens.indexOf('run');
    const code = await guard(() => runCommand(args, {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      tokens: tokens.slice(at + 1),
      readFile: (path) => readFile(path, 'utf8'),
      onInterrupt(handler) {
        process.on('SIGINT', handler);
        return () => process.off('SIGINT', handler);
      },
      exitNow: (c) => process.exit(c),
      runHelp: () => new Promise<string>((resolve) => runYargs!.showHelp((text: string) => resolve(`${text}\n`))),
    }), process.stderr);
    process.exit(code);
  },
};
