// Cross-site requests without an Origin (PROTOCOL.md §2, 403 FORBIDDEN_ORIGIN).
//
// A browser sends no Origin on a `fetch(url, {mode: 'no-cors'})` GET, and `Accept` is a
// safelisted header, so any page could start a stream here and never read it: the action runs
// all the same. Browsers do send `Sec-Fetch-Site` on every request (and pages cannot set it),
// so a request that says it comes from another site is refused unless that site is allowed.
// Clients that are not browsers (curl, scripts, pkt run) send no Sec-Fetch-Site and pass.

import type { RequestIn } from './exchange.js';
import { ActionError } from '../../protocol/index.js';
import { allowOrigin } from './access.js';

const OTHER_SITE = new Set(['cross-site', 'same-site']);

/** `cors` as normalized by access.ts: allowed origins, or '*'. */
export function checkFetchSite(req: RequestIn, cors: string[]): void {
  const site = req.headers['sec-fetch-site'];
  if (typeof site !== 'string' || !OTHER_SITE.has(site.toLowerCase())) return;
  if (cors.includes('*')) return;
  const origin = req.headers.origin;
  // An Origin the server does not allow was refused already (checkOrigin); one it allows passes.
  if (origin && cors.includes(origin)) return;
  throw new ActionError(
    403,
    'FORBIDDEN_ORIGIN',
    origin
      ? `origin ${origin} is not allowed; ${allowOrigin(origin)}`
      : `a page on another site (Sec-Fetch-Site: ${site}) may not call actions here; to allow one, ${allowOrigin("<the page's origin>")}`,
  );
}
