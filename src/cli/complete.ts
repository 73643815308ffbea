// Shell completion: what `pkt completion`'s script asks with `pkt --get-yargs-completions
// <words>`, one candidate a line. Commands; each command's options (long names only: no
// `--h`); for `pkt run`, the action names and then that action's fields as flags, from the
// manifest of --url / PKT_URL or of the embedded server (with any --actions). Manifests are
// cached for a minute (manifest-cache.ts). Completion never prints an error: a shell is
// waiting, and an empty answer lets it complete file names instead.

import type { Manifest } from '../protocol/index.js';
import { COMMAND_OPTIONS, GLOBAL_OPTIONS } from './commands/suggest.js';
import { RUN_OPTIONS } from './commands/run.js';
import { SERVE_OPTIONS } from './commands/serve.js';
import { WORKER_OPTIONS } from './commands/worker.js';
import { LIST_OPTIONS } from './commands/list.js';
import { ATTACH_OPTIONS } from './commands/attach.js';
import { RUNS_OPTIONS } from './commands/runs.js';
import { CANCEL_OPTIONS } from './commands/cancel.js';
import { cachedManifest, cacheManifest } from './run/manifest-cache.js';
import { findAction } from './run/manifest.js';
import { describeFields } from './run/schema-flags.js';
import { resolveTarget, type Target } from './run/target.js';
import { withServer } from './run/with-server.js';

/** Options that take a value, per command: after one of them, the word is its value. */
const VALUE_OPTIONS: Record<string, ReadonlySet<string>> = Object.fromEntries(
  Object.entries({ run: RUN_OPTIONS, serve: SERVE_OPTIONS, worker: WORKER_OPTIONS, list: LIST_OPTIONS, attach: ATTACH_OPTIONS, runs: RUNS_OPTIONS, cancel: CANCEL_OPTIONS } as Record<string, Record<string, { type?: string }>>).map(
    ([command, options]) => [command, new Set(Object.entries(options).filter(([, o]) => o.type === 'string').map(([name]) => name))],
  ),
);

/** How long a <TAB> waits for a server's manifest. */
const MANIFEST_WAIT_MS = 3000;

export interface CompleteIO {
  env: NodeJS.ProcessEnv;
  /** The manifest of a server (the embedded one started for it); null when it has none. */
  loadManifest(target: Target): Promise<Manifest | null>;
}

/** The candidates for the last of `words` (`pkt run task.process --na`), the first being `pkt`. */
export async function completions(words: readonly string[], io: CompleteIO): Promise<string[]> {
  const typed = words.slice(1);
  const current = typed.at(-1) ?? '';
  const before = typed.slice(0, -1);
  const [command, ...args] = before;
  if (command === undefined) return current.startsWith('-') ? GLOBAL_OPTIONS.map((o) => `--${o}`) : Object.keys(COMMAND_OPTIONS);
  const own = COMMAND_OPTIONS[command];
  if (own === undefined) return [];
  const options = optionFlags(command, own);
  const values = VALUE_OPTIONS[command] ?? new Set<string>();
  // After an option that takes a value, the word is its value: the shell's file names.
  const previous = args.at(-1);
  if (previous !== undefined && values.has(previous.replace(/^--/, '')) && !previous.includes('=')) return [];
  if (command !== 'run') return current.startsWith('-') ? options : [];

  const given = readRunWords(args, values);
  if (given.action === undefined && !current.startsWith('-')) {
    const manifest = await manifestFor(given, io);
    return manifest?.actions.map((a) => a.name) ?? [];
  }
  if (!current.startsWith('-')) return fieldValues(await manifestFor(given, io), given, previous);
  if (given.action === undefined) return options;
  const fields = describeFields(findAction(await manifestFor(given, io), given.action)?.input).map((f) => `--${f.name}`);
  return [...fields, ...options];
}

/** A command's options as typed: `--json`, and `--no-stream` for a switch that is on by default. */
function optionFlags(command: string, own: readonly string[]): string[] {
  const table = ({ run: RUN_OPTIONS, serve: SERVE_OPTIONS, worker: WORKER_OPTIONS, list: LIST_OPTIONS } as Record<string, Record<string, { type?: string; default?: unknown }>>)[command] ?? {};
  const flags = own.map((name) => (table[name]?.type === 'boolean' && table[name]?.default === true ? `--no-${name}` : `--${name}`));
  return [...new Set([...flags, '--help'])];
}

interface RunWords {
  action?: string;
  options: Record<string, string>;
}

/** pkt's value options and the action among the words typed after `run`. */
function readRunWords(args: readonly string[], values: ReadonlySet<string>): RunWords {
  const words: RunWords = { options: {} };
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const m = /^--([^=]+)(?:=(.*))?$/.exec(word);
    if (m) {
      if (values.has(m[1]!)) words.options[m[1]!] = m[2] ?? args[++i] ?? '';
      // A field flag takes the next word as its value unless that is a flag too.
      else if (!(m[1]! in RUN_OPTIONS) && m[2] === undefined && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) i++;
    } else if (!word.startsWith('-') && words.action === undefined) {
      words.action = word;
    }
  }
  return words;
}

/** The choices of an enum or boolean field after its flag (`--mode <TAB>`). */
function fieldValues(manifest: Manifest | null, given: RunWords, previous: string | undefined): string[] {
  if (given.action === undefined || previous === undefined || !previous.startsWith('--')) return [];
  const field = describeFields(findAction(manifest, given.action)?.input).find((f) => `--${f.name}` === previous);
  if (field?.choices) return field.choices.map((c) => String(c));
  return field?.kind === 'boolean' ? ['true', 'false'] : [];
}

async function manifestFor(given: RunWords, io: CompleteIO): Promise<Manifest | null> {
  let target: Target;
  try {
    target = resolveTarget(
      {
        ...(given.options.url !== undefined ? { url: given.options.url } : {}),
        ...(given.options['base-path'] !== undefined ? { 'base-path': given.options['base-path'] } : {}),
        ...(given.options.token !== undefined ? { token: given.options.token } : {}),
        ...(given.options.actions !== undefined ? { actions: [given.options.actions] } : {}),
      },
      io.env,
    );
  } catch {
    return null;
  }
  const key = JSON.stringify([target.url ?? 'embedded', target.basePath, target.actionsDirs]);
  const cached = await cachedManifest(io.env, key);
  if (cached !== undefined) return cached;
  let manifest: Manifest | null;
  try {
    manifest = await io.loadManifest(target);
  } catch {
    return null;
  }
  await cacheManifest(io.env, key, manifest);
  return manifest;
}

/** `pkt --get-yargs-completions <words>`: the candidates on stdout, nothing on stderr. */
export async function completeCommand(words: readonly string[], io: { stdout: NodeJS.WritableStream; env: NodeJS.ProcessEnv }): Promise<void> {
  const silent = { stderr: { write: () => true } as unknown as NodeJS.WritableStream };
  const found = await completions(words, {
    env: io.env,
    async loadManifest(target) {
      let manifest: Manifest | null = null;
      const asked = withServer(target, silent, async (server) => {
        manifest = await server.manifest();
        return 0;
      });
      // A server that does not answer must not hold the shell: no candidates, then.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer')), MANIFEST_WAIT_MS);
      });
      try {
        await Promise.race([asked, late]);
      } finally {
        clearTimeout(timer);
      }
      return manifest;
    },
  });
  io.stdout.write(found.length > 0 ? `${found.join('\n')}\n` : '');
}
