// The request target as a URL, and as a bounded label for the log.
//
// Only the origin form (`/path?query`) names something here. `new URL(target, base)` would read
// `//evil.example/x` as another host (and run an action at its path) and throws on `//`, so the
// target is appended to a fixed origin instead: every path stays a path.

import type { RequestIn } from './exchange.js';
import { ActionError } from '../../protocol/index.js';

/** Longest path a log line repeats; the rest is cut, so a long path cannot inflate the log. */
export const LOGGED_PATH_MAX = 120;

export function requestUrl(target: string | undefined): URL {
  if (target?.startsWith('/')) {
    try {
      return new URL(`http://localhost${target}`);
    } catch {
      // refused below
    }
  }
  const shown = JSON.stringify(cut(target ?? ''));
  throw new ActionError(400, 'BAD_REQUEST', `the request target ${shown} is not a path; send a path such as /_piko/actions`);
}

/** `POST /_piko/actions/x` for the log: the path only (a query may hold ?token=), cut to a bound. */
export function requestLabel(req: RequestIn): string {
  const path = (req.url ?? '').split('?')[0]!;
  return `${req.method} ${cut(path)}`;
}

function cut(text: string): string {
  return text.length > LOGGED_PATH_MAX ? `${text.slice(0, LOGGED_PATH_MAX)}… (${text.length} characters)` : text;
}
