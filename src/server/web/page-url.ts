// The page's address as `pkt serve` prints it, and the one name the page reads its token by.
//
// The token travels in the fragment (`/#token=T`), not the query (`/?token=T`, as Jupyter
// does): a browser never sends the fragment, so the token stays out of the server's request
// line, its logs, any proxy's logs and Referer headers. Jupyter needs the query because its
// server checks the token on the page request and sets a cookie; here the page itself is
// public and only its script needs the token, to send it as `Authorization: Bearer`.

/** The fragment (and, tolerated, query) parameter the page takes its token from. */
export const PAGE_TOKEN_PARAM = 'token';

/** The page's URL on a server: with the token in the fragment when there is one. */
export function pageUrl(serverUrl: string, token?: string): string {
  const page = `${serverUrl.replace(/\/+$/, '')}/`;
  return token ? `${page}#${PAGE_TOKEN_PARAM}=${encodeURIComponent(token)}` : page;
}
