// Puts each asset's content hash into the URL the page loads it from (`app.js?v=<hash>`). The
// page itself is never cached without asking, so a browser always learns the current URLs, and
// the assets behind them can then be cached for good: a new build means new URLs.

const ASSET_REFERENCE = /\b(src|href)="(\.\/|\/)?([A-Za-z0-9][A-Za-z0-9._-]*)"/g;

export function versionAssetUrls(html: string, hashOf: (name: string) => string | undefined): string {
  return html.replace(ASSET_REFERENCE, (whole, attr: string, prefix: string | undefined, name: string) => {
    const hash = hashOf(name);
    return hash ? `${attr}="${prefix ?? ''}${name}?v=${hash}"` : whole;
  });
}
