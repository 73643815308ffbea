// The plumbing every command that talks to a server shares: from the target to the server
// (the embedded one started here, and stopped whatever happens), a client for it, its
// manifest, and the client's errors worded for a person, with their exit code. A command is
// then what it does with the server:
//
//   withServer(resolveTarget(args, io.env), io, async ({ client }) => {
//     await client.cancel(args.runId);
//     return EXIT.OK;
//   });

import { createClient, type Client } from '../../client/index.js';
import { ActionError, type Manifest } from '../../protocol/index.js';
import { startEmbeddedServer } from './embedded-server.js';
import { exitCodeFor } from './exit-codes.js';
import { loadManifest } from './manifest.js';
import { explainError } from './messages.js';
import type { Target } from './target.js';

export interface ServerSession {
  client: Client;
  /** The server's URL: --url's (or PKT_URL's), or the embedded server's own. */
  url: string;
  /** The server runs in this process and stops when the command ends. */
  embedded: boolean;
  /** The server's manifest; null from a server that publishes none (Piko). */
  manifest(): Promise<Manifest | null>;
  /** An error from the client with the next step added (is the server there? which URL?). */
  explain(error: ActionError, action?: string): ActionError;
}

export interface ServerIO {
  stderr: NodeJS.WritableStream;
}

/**
 * Runs `use` against the target's server and returns its exit code. An ActionError that `use`
 * lets through (an unreachable server, a refused token) is explained on stderr and becomes its
 * exit code; a folder of actions that does not load is a UsageError, for the command's guard.
 */
export async function withServer(target: Target, io: ServerIO, use: (server: ServerSession) => Promise<number>): Promise<number> {
  const embedded = target.url === undefined ? await startEmbeddedServer({ actionsDirs: target.actionsDirs, ...(target.token ? { token: target.token } : {}) }) : undefined;
  try {
    const url = target.url ?? embedded!.url;
    const client = createClient({ baseUrl: url, basePath: target.basePath, ...(target.token ? { token: target.token } : {}) });
    // Whether the server has a manifest, once asked: a server with none may be no action server.
    let listed: boolean | undefined;
    const server: ServerSession = {
      client,
      url,
      embedded: embedded !== undefined,
      manifest: async () => {
        const manifest = await loadManifest(client);
        listed = manifest !== null;
        return manifest;
      },
      explain: (error, action) =>
        explainError(error, {
          url,
          embedded: embedded !== undefined,
          ...(listed !== undefined ? { listed } : {}),
          ...(action !== undefined ? { action: { name: action, url: `${client.url}/${encodeURIComponent(action)}` } } : {}),
        }),
    };
    try {
      return await use(server);
    } catch (err) {
      if (!(err instanceof ActionError)) throw err;
      const error = server.explain(err);
      io.stderr.write(`pkt: ${error.message}\n`);
      return exitCodeFor({ ok: false, error }, { timeoutSet: false });
    }
  } finally {
    await embedded?.close();
  }
}
