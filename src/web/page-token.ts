// The token the page sends with every request, when the server has one (`pkt serve --token`).
// Browser code, written against a small environment so it is tested without a browser.
import { PAGE_TOKEN_PARAM } from '../protocol/index.js';

export interface TokenEnvironment {
  /** The page's address now. */
  href: string;
  /** Shows another address without loading anything (history.replaceState). */
  replaceUrl(url: string): void;
  /** This tab's storage; undefined where the browser refuses it. */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
}

const STORAGE_KEY = 'pkt.token';

/**
 * Takes the token from the page's URL (`#token=T`; `?token=T` is tolerated, though it has
 * already reached the server's logs) and removes it from the address bar, so it is not left on
 * screen, in screenshots, history or bookmarks. It is kept in sessionStorage, so reloading the
 * page in this tab still works, and it is gone when the tab closes. `#token=` (empty) forgets it.
 */
export function takePageToken(env: TokenEnvironment): string | undefined {
  const url = new URL(env.href);
  const fragment = new URLSearchParams(url.hash.slice(1));
  const given = fragment.get(PAGE_TOKEN_PARAM) ?? url.searchParams.get(PAGE_TOKEN_PARAM);
  if (given === null) return stored(env);

  fragment.delete(PAGE_TOKEN_PARAM);
  url.searchParams.delete(PAGE_TOKEN_PARAM);
  const rest = fragment.toString();
  url.hash = rest ? `#${rest}` : '';
  env.replaceUrl(url.href);
  try {
    if (given) env.storage?.setItem(STORAGE_KEY, given);
    else env.storage?.removeItem(STORAGE_KEY);
  } catch {
    // Storage full or refused: the token still works until the page is reloaded.
  }
  return given || undefined;
}

/** True when the address carries a token: a newly pasted URL that the page must act on. */
export function urlHasToken(href: string): boolean {
  const url = new URL(href);
  return new URLSearchParams(url.hash.slice(1)).has(PAGE_TOKEN_PARAM) || url.searchParams.has(PAGE_TOKEN_PARAM);
}

/** What a 401 means on this page, and the one thing to do about it. */
export function unauthorizedMessage(sentToken: boolean): string {
  return sentToken
    ? 'the server refused this page’s token: open the page again at the URL that pkt serve printed'
    : 'this server needs a token: open the page at the URL that pkt serve printed (it ends in #token=…)';
}

function stored(env: TokenEnvironment): string | undefined {
  try {
    return env.storage?.getItem(STORAGE_KEY) || undefined;
  } catch {
    return undefined;
  }
}
