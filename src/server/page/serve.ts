// Serves the progress tracker page from its built files in dist/web (the server imports none
// of the page's code): `/` is index.html, and every other plain file name at the top level is
// the file of that name. Nothing else is ever read: a path with a separator, a dot segment, an
// escape or a symlink is not a file name here, so the request is left to the server (which
// answers 404).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ActionError, DEFAULT_BASE_PATH, normalizeBasePath, PAGE_FILES } from '../../protocol/index.js';
import { sendError } from '../respond.js';
import { versionAssetUrls } from './asset-urls.js';
import { withBasePath } from './base-path-meta.js';
import { hashOf, SAFE_FILE_NAME, WebFiles, type WebFile } from './web-files.js';
import { defaultWebDir } from './web-root.js';

export interface WebHandlerOptions {
  /** The built page's folder; default `<package root>/dist/web`. */
  webDir?: string;
}

/** What the serving server tells the page about itself. */
export interface PageOptions {
  /** Where the server's actions are (`--base-path`); default `/_piko/actions`. */
  basePath?: string;
}

/** Returns true when it answered the request, false to leave it to the caller. */
export type WebHandler = (req: IncomingMessage, res: ServerResponse, page?: PageOptions) => boolean;

const INDEX = PAGE_FILES.html;
/** What `npm run build` writes: asking for one of these when it is missing means "not built". */
const BUILT_FILES = new Set<string>(Object.values(PAGE_FILES));
const IMMUTABLE = 'public, max-age=31536000, immutable';

// The page loads only its own files and talks only to its own origin.
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};

export function createWebHandler(options: WebHandlerOptions = {}): WebHandler {
  const files = new WebFiles(options.webDir ?? defaultWebDir());

  return (req, res, page = {}) => {
    const { pathname, query } = splitUrl(req.url ?? '/');
    const name = pathname === '/' ? INDEX : fileNameOf(pathname);
    if (name === undefined) return false;

    const file = files.get(name);
    if (!file && !BUILT_FILES.has(name)) return false;

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const error = new ActionError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here: the page answers GET and HEAD.`);
      sendError(res, error, { Allow: 'GET, HEAD' });
      return true;
    }
    if (!file) {
      sendNotBuilt(res, files, name);
      return true;
    }

    if (name === INDEX) {
      const basePath = normalizeBasePath(page.basePath ?? DEFAULT_BASE_PATH);
      const html = versionAssetUrls(withBasePath(file.body.toString('utf8'), basePath), (asset) => files.get(asset)?.hash);
      const body = Buffer.from(html, 'utf8');
      sendFile(req, res, { ...file, body, hash: hashOf(body) }, 'no-cache', PAGE_HEADERS);
    } else {
      // Only the URL the current page links to (with this content's hash) may be kept for good;
      // any other URL for the file must be checked again each time.
      const versioned = new URLSearchParams(query).get('v') === file.hash;
      sendFile(req, res, file, versioned ? IMMUTABLE : 'no-cache');
    }
    return true;
  };
}

let defaultHandler: WebHandler | undefined;

/**
 * The server's hook for every request outside the actions' base path. The server passes its
 * base path so the page calls the actions where they are.
 */
export function serveWeb(req: IncomingMessage, res: ServerResponse, page?: PageOptions): boolean {
  defaultHandler ??= createWebHandler();
  return defaultHandler(req, res, page);
}

// Split by hand, not with `new URL`: it would read `//host/x` as another host and resolve `..`.
function splitUrl(url: string): { pathname: string; query: string } {
  const end = url.search(/[?#]/);
  if (end === -1) return { pathname: url, query: '' };
  return { pathname: url.slice(0, end), query: url[end] === '?' ? url.slice(end + 1).split('#')[0]! : '' };
}

function fileNameOf(pathname: string): string | undefined {
  const name = pathname.slice(1);
  return pathname.startsWith('/') && SAFE_FILE_NAME.test(name) ? name : undefined;
}

function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: WebFile,
  cacheControl: string,
  extra: Readonly<Record<string, string>> = {},
): void {
  const etag = `"${file.hash}"`;
  const headers = {
    ETag: etag,
    'Cache-Control': cacheControl,
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  };
  if (matchesEtag(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': file.contentType, 'Content-Length': file.body.length });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

function sendNotBuilt(res: ServerResponse, files: WebFiles, name: string): void {
  const what = files.exists() ? `${name} is missing from ${files.dir}` : `${files.dir} does not exist`;
  sendError(res, new ActionError(503, 'NOT_BUILT', `The page is not built: ${what}. Run \`npm run build\` in the pkt folder.`));
}
