// The request target as a URL.
//
// Only the origin form (`/path?query`) names something here. `new URL(target, base)` would read
// `//evil.example/x` as another host (and run an action at its path) and throws on `//`, so the
// target is appended to a fixed origin instead: every path stays a path.

import { ActionError } from '../../protocol/index.js';

/** Longest target an error message repeats. */
const SHOWN_MAX = 120;

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

function cut(text: string): string {
  return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}… (${text.length} characters)` : text;
}
