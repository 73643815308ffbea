// Who may call: the bearer token, and which browser origins (PROTOCOL.md §2: 401 and 403).

import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestIn } from './exchange.js';
import { acceptsEventStream, ActionError, HEADER_DETACH, HEADER_LAST_EVENT_ID, HEADER_RUN_ID } from '../../protocol/index.js';

export interface AccessOptions {
  token?: string;
  /** Origins allowed besides the server's own; '*' allows any. */
  cors: string[];
  /** The server listens on loopback only: requests must name it by a loopback host. */
  loopbackOnly: boolean;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** 127.0.0.0/8, ::1 and localhost: the names that can only mean this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/**
 * A server on loopback answers only requests that name a loopback host. Otherwise a page on
 * any site could rebind its own name to 127.0.0.1 and, being "same origin" with itself, run
 * actions here (DNS rebinding).
 */
export function checkHost(req: RequestIn, options: Pick<AccessOptions, 'loopbackOnly'>): void {
  if (!options.loopbackOnly) return;
  const host = req.headers.host ?? '';
  let hostname = '';
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    // an unparsable Host is refused below
  }
  if (!isLoopbackHost(hostname)) {
    throw new ActionError(
      403,
      'FORBIDDEN_ORIGIN',
      `this server listens on loopback and answers only to localhost or 127.0.0.1, not ${JSON.stringify(host)}; start it with --host to serve other names`,
    );
  }
}

export function checkToken(req: RequestIn, url: URL, token: string | undefined): void {
  if (!token) return;
  const header = req.headers.authorization ?? '';
  // A browser's native EventSource cannot set headers, so GET streams (and only they) may
  // carry ?token=. The auth scheme is case-insensitive (RFC 7235).
  const bearer = /^bearer\s+(.*)$/i.exec(header);
  const queryAllowed = req.method === 'GET' && acceptsEventStream(req.headers.accept);
  const given = bearer ? bearer[1]!.trim() : queryAllowed ? (url.searchParams.get('token') ?? '') : '';
  // Digests have one length, so the comparison reveals neither the token nor its length.
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw new ActionError(
      401,
      'UNAUTHORIZED',
      given ? 'the token is wrong; check --token or PKT_TOKEN' : 'this server needs a token: send Authorization: Bearer <token> (pkt run --token, or PKT_TOKEN)',
    );
  }
}

/**
 * The CORS headers for a request, or a 403 for a browser origin the server does not allow.
 * Requests without Origin (curl, scripts, same-origin GETs) pass.
 */
export function checkOrigin(req: RequestIn, options: AccessOptions): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  if (isSameOrigin(origin, req.headers.host) || req.headers['sec-fetch-site'] === 'same-origin') return {};
  if (options.cors.includes('*') || options.cors.includes(origin)) {
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': HEADER_RUN_ID,
      Vary: 'Origin',
    };
  }
  const fix = origin === 'null' ? `serve the page over http(s) instead of opening it as a file, or ${allowOrigin("'*'")}` : allowOrigin(origin);
  throw new ActionError(403, 'FORBIDDEN_ORIGIN', `origin ${origin} is not allowed; ${fix}`);
}

/**
 * Normalizes allowed origins as a browser writes them (`https://a.example/` and
 * `HTTPS://A.example` are `https://a.example`), so a value copied from an address bar works.
 */
export function normalizeOrigins(list: string[]): string[] {
  return list.map((value) => {
    if (value === '*') return value;
    try {
      const origin = new URL(value).origin;
      if (origin !== 'null') return origin;
    } catch {
      // fall through to the error below
    }
    throw new Error(`--cors ${value} is not an origin (the cors option of pkt serve or a handler); write it like https://app.example (or '*' for any)`);
  });
}

export function preflightHeaders(): Record<string, string> {
  return {
    'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': ['Content-Type', 'Authorization', 'Accept', HEADER_LAST_EVENT_ID, HEADER_DETACH, 'X-CSRF-Action-Token'].join(', '),
    'Access-Control-Max-Age': '600',
  };
}

/** How to allow an origin, for pkt serve and for a mounted handler (which has no flags). */
export function allowOrigin(origin: string): string {
  const listed = origin === "'*'" ? origin : `'${origin}'`;
  return `start the server with --cors ${origin} (a mounted handler: cors: [${listed}])`;
}

function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    // pkt serve speaks plain http, but an app that mounts pkt, or a TLS proxy in front of it,
    // serves its pages over https: the same host under either scheme is the same server.
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}
