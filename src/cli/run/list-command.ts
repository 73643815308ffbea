// `pkt list`: the server's actions, whether each streams, and their fields.

import { createClient } from '../../client/index.js';
import { ActionError, DEFAULT_BASE_PATH, type Manifest } from '../../protocol/index.js';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { loadManifest } from './manifest.js';
import { explainError } from './messages.js';
import { describeFields, fieldLines } from './schema-flags.js';
import { resolveTarget } from './target.js';
import { UsageError } from './usage-error.js';

export interface ListArgs {
  url?: string;
  token?: string;
  'base-path'?: string;
  json: boolean;
  actions?: string[];
}

export interface ListIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export async function listCommand(args: ListArgs, io: ListIO): Promise<number> {
  let embedded: EmbeddedServer | undefined;
  try {
    const target = resolveTarget(args, io.env);
    if (target.url === undefined) {
      embedded = await startEmbeddedServer({ actionsDirs: target.actionsDirs, ...(target.token ? { token: target.token } : {}) });
    }
    const baseUrl = target.url ?? embedded!.url;
    const client = createClient({ baseUrl, basePath: args['base-path'] ?? DEFAULT_BASE_PATH, ...(target.token ? { token: target.token } : {}) });
    let manifest: Manifest | null;
    try {
      manifest = await loadManifest(client);
    } catch (err) {
      if (!(err instanceof ActionError)) throw err;
      const error = explainError(err, { url: baseUrl, embedded: embedded !== undefined });
      io.stderr.write(`pkt: ${error.message}\n`);
      return exitCodeFor({ ok: false, error }, { timeoutSet: false });
    }
    if (!manifest) {
      io.stderr.write(
        `pkt: ${client.url} publishes no list of actions (a Piko server has none); call an action by name: pkt run <action> --url ${baseUrl}\n`,
      );
      return EXIT.FAILED;
    }
    io.stdout.write(args.json ? `${JSON.stringify(manifest)}\n` : formatManifest(manifest));
    return EXIT.OK;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(err.toText());
      return EXIT.USAGE;
    }
    throw err;
  } finally {
    await embedded?.close();
  }
}

/** A block per action: its name, whether it streams, its description, then its fields. */
export function formatManifest(manifest: Manifest): string {
  if (manifest.actions.length === 0) return 'no actions\n';
  const blocks = manifest.actions.map((action) => {
    const head = `${action.name}  ${action.streams ? 'streams' : 'plain'}${action.description ? `  ${action.description}` : ''}`;
    return [head, ...fieldLines(describeFields(action.input)).map((l) => `    ${l}`)].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
