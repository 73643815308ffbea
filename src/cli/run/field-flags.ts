// Field flags (`--name foo --steps 10`): what yargs leaves of `pkt run`'s arguments. yargs
// reads pkt's own options (the one list of them is in commands/run.ts) and hands over
// everything else as typed (`unknown-options-as-args`): the action, and the action's fields
// with their values as raw text. yargs would have turned "007" into 7 and "1e3" into 1000,
// and only the action's schema knows what a value should be.

import { UsageError } from './usage-error.js';

export interface RawFlag {
  name: string;
  /** The text after the flag; true for a bare `--flag`, false for `--no-flag`. */
  value: string | boolean;
}

export interface FieldArgs {
  positionals: string[];
  flags: RawFlag[];
}

/**
 * Splits what yargs left into positionals and field flags. A flag takes the next argument as
 * its value unless that one is a `--flag` too, so negative numbers work (`--offset -5`).
 */
export function splitFieldArgs(rest: readonly string[]): FieldArgs {
  const positionals: string[] = [];
  const flags: RawFlag[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (!token.startsWith('-') || token === '-' || /^-\d/.test(token)) {
      positionals.push(token);
      continue;
    }
    if (!token.startsWith('--')) {
      // pkt's own short options (-q, -h) never get here; a field always takes two dashes.
      const short = token.slice(1);
      throw new UsageError(`unknown option ${token}: field flags take two dashes, as in --${short} value`);
    }
    const eq = token.indexOf('=');
    const name = eq < 0 ? token.slice(2) : token.slice(2, eq);
    if (name === '') throw new UsageError(`"${token}" is not a flag: write --<field> value`);
    if (eq >= 0) {
      flags.push({ name, value: token.slice(eq + 1) });
    } else if (name.startsWith('no-')) {
      flags.push({ name: name.slice(3), value: false });
    } else {
      const next = rest[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        flags.push({ name, value: next });
        i++;
      } else {
        flags.push({ name, value: true });
      }
    }
  }
  return { positionals, flags };
}
