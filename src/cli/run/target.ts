// Which server a command talks to: --url, else PKT_URL, else the embedded one (with-server.ts
// takes it from here).

import { DEFAULT_BASE_PATH, normalizeBasePath } from '../../protocol/index.js';
import { UsageError } from './usage-error.js';

export interface TargetArgs {
  url?: string;
  'base-path'?: string;
  token?: string;
  actions?: string[];
}

export interface Target {
  /** The server's URL, or undefined for the embedded server. */
  url?: string;
  token?: string;
  /** Where the server's actions live (--base-path). */
  basePath: string;
  actionsDirs: string[];
}

export function resolveTarget(args: TargetArgs, env: NodeJS.ProcessEnv): Target {
  let url = args.url ?? (env.PKT_URL || undefined);
  const token = args.token ?? (env.PKT_TOKEN || undefined);
  const actionsDirs = (args.actions ?? []).filter(Boolean);
  if (url !== undefined) {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      const from = args.url !== undefined ? '--url' : 'PKT_URL';
      throw new UsageError(`${from} "${url}" is not an http(s) URL; write it in full, such as http://127.0.0.1:7070`);
    }
    url = serverUrl(parsed, args['base-path']);
    if (actionsDirs.length > 0) {
      throw new UsageError('--actions only works with the embedded server (no --url or PKT_URL)', [
        `to serve your actions, run \`pkt serve --actions ${actionsDirs[0]}\` and point --url at it`,
      ]);
    }
  }
  const target: Target = { basePath: args['base-path'] ?? DEFAULT_BASE_PATH, actionsDirs };
  if (url !== undefined) target.url = url;
  if (token !== undefined) target.token = token;
  return target;
}

/**
 * The server's URL, given either it or the actions URL `pkt serve` prints
 * (`http://127.0.0.1:7070/_piko/actions`): a trailing base path is dropped, since the client
 * adds it again. A path before it stays (`https://host/app/_piko/actions` is `https://host/app`).
 */
function serverUrl(parsed: URL, basePath: string = DEFAULT_BASE_PATH): string {
  const base = normalizeBasePath(basePath);
  const path = parsed.pathname.replace(/\/+$/, '');
  // `base` starts with a slash, so a match always begins at a segment.
  const kept = base !== '' && path.endsWith(base) ? path.slice(0, -base.length) : path;
  return `${parsed.origin}${kept}${parsed.search}`;
}
