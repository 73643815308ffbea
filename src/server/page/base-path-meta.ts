// The actions' base path travels from the server to the page in a <meta> tag of the served
// index.html (its name is in protocol/page.ts). This is the server's half: it writes the tag;
// the page reads it (src/web/base-path.ts).
import { BASE_PATH_META } from '../../protocol/index.js';

const META_TAG = new RegExp(`<meta name="${BASE_PATH_META}" content="[^"]*">`);

/** The page with its base-path tag set to `basePath` (added to the head if the page lacks one). */
export function withBasePath(html: string, basePath: string): string {
  const tag = `<meta name="${BASE_PATH_META}" content="${escapeAttribute(basePath)}">`;
  if (META_TAG.test(html)) return html.replace(META_TAG, () => tag);
  return html.replace(/<\/head>/i, (end) => `${tag}\n${end}`);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
