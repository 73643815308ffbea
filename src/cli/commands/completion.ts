// `pkt completion`: yargs' shell completion script (bash and zsh); it also answers the
// script's `--get-yargs-completions` calls, which is why it is set on the root instance.
import type { Argv } from 'yargs';

export function withCompletion<T>(y: Argv<T>): Argv<T> {
  return y.completion('completion', 'Print a shell completion script: pkt completion >> ~/.bashrc');
}
