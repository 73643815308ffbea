// `pkt list`: the server's actions, whether each streams, and their fields.

import type { Manifest } from '../../protocol/index.js';
import { EXIT } from './exit-codes.js';
import { describeFields, fieldLines } from './schema-flags.js';
import { resolveTarget } from './target.js';
import { withServer } from './with-server.js';

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
  return withServer(resolveTarget(args, io.env), io, async ({ client, url, manifest }) => {
    const actions = await manifest();
    if (!actions) {
      io.stderr.write(`pkt: ${client.url} publishes no list of actions (a Piko server has none); call an action by name: pkt run <action> --url ${url}\n`);
      return EXIT.FAILED;
    }
    io.stdout.write(args.json ? `${JSON.stringify(actions)}\n` : formatManifest(actions));
    return EXIT.OK;
  });
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
