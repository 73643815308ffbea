// What a client needs to reach a server: resolved once in createClient, shared by every call.

import { DEFAULT_BASE_PATH, normalizeBasePath } from '../protocol/index.js';

/** The `fetch` signature the client uses; any WHATWG-compatible implementation fits. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** Where the server is: `http://127.0.0.1:7070`. A path on it is kept (`https://host/app`). */
  baseUrl: string;
  /** The actions' base path; Piko's default unless told. */
  basePath?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** A fetch to use instead of the global one (tests, proxies, custom agents). */
  fetch?: FetchLike;
}

export interface ClientConfig {
  /** The full URL of a path under the base path, e.g. `url('/task.process')`. */
  url(path: string): string;
  /** The base path itself as a URL: where the manifest is. */
  readonly baseUrl: string;
  readonly basePath: string;
  /** Headers for every request: the caller's, then Authorization. */
  readonly headers: Record<string, string>;
  readonly fetch: FetchLike;
}

export function resolveConfig(options: ClientOptions): ClientConfig {
  if (typeof options?.baseUrl !== 'string' || options.baseUrl === '') {
    throw new TypeError('createClient needs a baseUrl, such as "http://127.0.0.1:7070".');
  }
  const origin = parseUrl(options.baseUrl);
  if (!origin || (origin.protocol !== 'http:' && origin.protocol !== 'https:')) {
    throw new TypeError(`createClient: "${options.baseUrl}" is not an http(s) URL. Write it in full, such as "http://127.0.0.1:7070".`);
  }
  const prefix = origin.pathname.replace(/\/+$/, '');
  const basePath = normalizeBasePath(options.basePath ?? DEFAULT_BASE_PATH);
  const root = `${origin.origin}${prefix}`;
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  // Looked up at call time and called unbound: a browser's fetch throws "Illegal
  // invocation" when called as a method of another object.
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return {
    url: (path) => `${root}${path}`,
    baseUrl: `${root}${basePath}`,
    basePath,
    headers,
    fetch: fetchImpl,
  };
}

// Not URL.canParse: Safari only has it from 17, and the page targets 16.
function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
