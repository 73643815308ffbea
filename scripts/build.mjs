// Builds dist/: the CLI and library entry points for Node, and the page's script for browsers.
// esbuild rather than tsc: one fast step, and code splitting keeps Ink out of start-up.
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const dist = new URL('dist/', root);
await rm(dist, { recursive: true, force: true });

await build({
  absWorkingDir: root.pathname,
  // Library entries (package.json "exports") are built once they exist, so the build
  // also works on a tree that has only some of them.
  entryPoints: Object.fromEntries(
    Object.entries({
      cli: 'src/cli/main.ts',
      server: 'src/server/index.ts',
      client: 'src/client/index.ts',
      protocol: 'src/protocol/index.ts',
    }).filter(([, path]) => existsSync(new URL(path, root))),
  ),
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

// The page's script runs in browsers: everything it imports (client, protocol) is bundled in.
// The file names are the ones protocol/page.ts gives the server (PAGE_FILES); a test of the
// built page checks that they match.
const webSrc = new URL('src/web/', root);
if (existsSync(new URL('app.ts', webSrc))) {
  await mkdir(new URL('web/', dist), { recursive: true });
  await build({
    absWorkingDir: root.pathname,
    entryPoints: ['src/web/app.ts'],
    outfile: 'dist/web/app.js',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'style.css']) {
    const from = new URL(file, webSrc);
    if (existsSync(from)) await cp(from, new URL(`web/${file}`, dist));
  }
}
