// "Did you mean" for yargs' own usage messages: `pkt serve --prot 1` says "Unknown argument:
// prot", and a person wants to hear "--port". yargs suggests commands itself (recommendCommands);
// options are matched here, against those of the command that was parsed.

import { closestName } from '../../protocol/index.js';
import { ATTACH_OPTIONS } from './attach.js';
import { CANCEL_OPTIONS } from './cancel.js';
import { LIST_OPTIONS } from './list.js';
import { RUN_OPTIONS } from './run.js';
import { RUNS_OPTIONS } from './runs.js';
import { SERVE_OPTIONS } from './serve.js';
import { WORKER_OPTIONS } from './worker.js';

/** Each command's options, and those every command has. */
export const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  run: Object.keys(RUN_OPTIONS),
  attach: Object.keys(ATTACH_OPTIONS),
  runs: Object.keys(RUNS_OPTIONS),
  cancel: Object.keys(CANCEL_OPTIONS),
  list: Object.keys(LIST_OPTIONS),
  serve: Object.keys(SERVE_OPTIONS),
  worker: Object.keys(WORKER_OPTIONS),
  completion: [],
};
export const GLOBAL_OPTIONS = ['help', 'version'];

/** The long options of the command in `argv` (its first word), or pkt's own without one. */
export function optionsFor(argv: readonly string[]): string[] {
  return [...(COMMAND_OPTIONS[argv[0] ?? ''] ?? []), ...GLOBAL_OPTIONS];
}

/** A first word that is no command, in pkt's words: the closest command, or where the list is. */
export function commandSuggestion(argv: readonly string[]): string | undefined {
  const [word] = argv;
  if (word === undefined || word.startsWith('-') || word in COMMAND_OPTIONS) return undefined;
  const near = closestName(word, Object.keys(COMMAND_OPTIONS));
  return `unknown command ${word}; ${near ? `did you mean \`pkt ${near}\`?` : '`pkt --help` lists the commands'}`;
}

/** yargs' message, with `; did you mean --port?` after each unknown option that is close to one. */
export function withSuggestion(message: string, options: readonly string[]): string {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (!m) return message;
  const parts = m[1]!.split(', ').map((arg) => {
    const name = arg.replace(/^-+/, '');
    const near = closestName(name, options);
    return near ? `--${name} (did you mean --${near}?)` : /^-/.test(arg) || arg.includes('.') ? arg : `--${name}`;
  });
  return `unknown option${parts.length > 1 ? 's' : ''} ${parts.join(', ')}`;
}
