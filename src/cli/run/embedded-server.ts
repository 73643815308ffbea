// The embedded default: with no --url, `pkt run` starts the bundled server in this process on
// a loopback port the OS picks, with the same actions as `pkt serve` plus any --actions.
// The server module loads only here, so `pkt run --url ...` never pays for it.

import { useOwnPackages } from '../resolve/own-packages.js';
import { UsageError } from './usage-error.js';

export interface EmbeddedServer {
  url: string;
  close(): Promise<void>;
}

export async function startEmbeddedServer(options: { actionsDirs: string[]; token?: string }): Promise<EmbeddedServer> {
  const serverModule = await import('../../server/index.js');
  const { startServer, ActionLoadError } = serverModule;
  // Action files in folders of their own import pkt/server and zod from pkt's install.
  useOwnPackages(options.actionsDirs, serverModule);
  try {
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      actionsDirs: options.actionsDirs,
      ...(options.token ? { token: options.token } : {}),
      // A person running an action on their own machine wants its real error messages.
      dev: true,
    });
    return { url: server.url, close: () => server.close() };
  } catch (err) {
    if (err instanceof ActionLoadError) throw new UsageError(err.message);
    throw err;
  }
}
