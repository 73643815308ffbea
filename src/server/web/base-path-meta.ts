// The actions' base path travels from the server to the page in a <meta> tag of the served
// index.html: the page is always at `/`, but its actions are wherever `--base-path` put them.
// Both halves are here, the server's (write) and the page's (read), so the tag has one spelling.

export const BASE_PATH_META = 'pkt-base-path';

const META_TAG = new RegExp(`<meta name="${BASE_PATH_META}" content="[^"]*">`);

/** The page with its base-path tag set to `basePath` (added to the head if the page lacks one). */
export function withBasePath(html: string, basePath: string): string {
  const tag = `<meta name="${BASE_PATH_META}" content="${escapeAttribute(basePath)}">`;
  if (META_TAG.test(html)) return html.replace(META_TAG, () => tag);
  return html.replace(/<\/head>/i, (end) => `${tag}\n${end}`);
}

/** The base path the server wrote into the page; undefined when there is no tag. */
export function readBasePath(doc: Pick<Document, 'querySelector'>): string | undefined {
  const meta = doc.querySelector(`meta[name="${BASE_PATH_META}"]`);
  return meta?.getAttribute('content') ?? undefined;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
