// The page's half of the base-path <meta> tag (protocol/page.ts): where the server that wrote
// this page keeps its actions.
import { BASE_PATH_META } from '../protocol/index.js';

/** The base path the server wrote into the page; undefined when there is no tag. */
export function readBasePath(doc: Pick<Document, 'querySelector'>): string | undefined {
  const meta = doc.querySelector(`meta[name="${BASE_PATH_META}"]`);
  return meta?.getAttribute('content') ?? undefined;
}
