// The contract between the page (src/web, built into dist/web) and the server that serves it
// (src/server/page). The two never import each other: they meet here, so each name has one
// spelling.
//
// The token travels in the fragment (`/#token=T`), not the query (`/?token=T`, as Jupyter
// does): a browser never sends the fragment, so the token stays out of the server's request
// line, its logs, any proxy's logs and Referer headers. Jupyter needs the query because its
// server checks the token on the page request and sets a cookie; here the page itself is
// public and only its script needs the token, to send it as `Authorization: Bearer`.

/**
 * The <meta> tag by which the server tells the page where its actions are: the page is always
 * at `/`, but its actions are wherever `--base-path` put them.
 */
export const BASE_PATH_META = 'pkt-base-path';

/** The fragment (and, tolerated, query) parameter the page takes its token from. */
export const PAGE_TOKEN_PARAM = 'token';

/** The files `npm run build` makes of the page, in dist/web; `/` answers with `html`. */
export const PAGE_FILES = {
  html: 'index.html',
  script: 'app.js',
  style: 'style.css',
} as const;

/** The page's URL on a server, as `pkt serve` prints it: with the token in the fragment when there is one. */
export function pageUrl(serverUrl: string, token?: string): string {
  const page = `${serverUrl.replace(/\/+$/, '')}/`;
  return token ? `${page}#${PAGE_TOKEN_PARAM}=${encodeURIComponent(token)}` : page;
}
