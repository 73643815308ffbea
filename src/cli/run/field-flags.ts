// Field flags (`--name foo --steps 10`) come straight from the raw arguments rather than
// from yargs: yargs would already have turned "007" into 7 and "1e3" into 1000, and only
// the action's schema knows what a value should be.

import { UsageError } from './usage-error.js';

export interface RawFlag {
  name: string;
  /** The text after the flag; true for a bare `--flag`, false for `--no-flag`. */
  value: string | boolean;
}

/** pkt's own options of `pkt run`: whether each takes a value. */
export type KnownOptions = Record<string, 'value' | 'boolean'>;

export interface SplitArgs {
  positionals: string[];
  flags: RawFlag[];
  /** The raw values of pkt's own value options, by name (yargs reads `--input -` as no value). */
  options: Record<string, string[]>;
}

/**
 * Splits the arguments after `run` into positionals and field flags, skipping pkt's own
 * options. A flag takes the next argument as its value unless that one is a `--flag` too,
 * so negative numbers work (`--offset -5`). Everything after `--` is left alone.
 */
export function splitRunArgs(tokens: readonly string[], known: KnownOptions, hints: Record<string, string> = {}): SplitArgs {
  const positionals: string[] = [];
  const flags: RawFlag[] = [];
  const options: Record<string, string[]> = {};
  const keep = (name: string, value: string | undefined) => {
    if (value !== undefined) (options[name] ??= []).push(value);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--') break;
    if (!token.startsWith('-') || token === '-' || /^-\d/.test(token)) {
      positionals.push(token);
      continue;
    }
    if (!token.startsWith('--')) {
      // Short options are pkt's own (-q, -h); a field always takes two dashes.
      const short = token.slice(1);
      if (known[short] === undefined) throw new UsageError(`unknown option ${token}: field flags take two dashes, as in --${short} value`);
      if (known[short] === 'value' && !token.includes('=')) i++;
      continue;
    }
    const eq = token.indexOf('=');
    const name = eq < 0 ? token.slice(2) : token.slice(2, eq);
    if (name === '') throw new UsageError(`"${token}" is not a flag: write --<field> value`);
    const kind = known[name] ?? (name.startsWith('no-') && known[name.slice(3)] === 'boolean' ? 'boolean' : undefined);
    if (kind !== undefined) {
      if (kind === 'value') {
        // `--timeout` at the end, or followed by another flag, has no value: say so rather
        // than take the flag as the value or let the option quietly fall away.
        const next = tokens[i + 1];
        if (eq < 0 && (next === undefined || next.startsWith('--'))) {
          throw new UsageError(`--${name} needs a value${hints[name] ? `: ${hints[name]}` : ''}`);
        }
        keep(name, eq < 0 ? tokens[++i] : token.slice(eq + 1));
      }
      continue;
    }
    if (eq >= 0) {
      flags.push({ name, value: token.slice(eq + 1) });
    } else if (name.startsWith('no-')) {
      flags.push({ name: name.slice(3), value: false });
    } else {
      const next = tokens[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        flags.push({ name, value: next });
        i++;
      } else {
        flags.push({ name, value: true });
      }
    }
  }
  return { positionals, flags, options };
}
