// Builds dist/: the CLI and library entry points for Node, and the page's script for browsers.
// esbuild rather than tsc: one fast step, and code splitting keeps Ink out of start-up.
//
// Dependencies are bundled into the chunks too: Node then resolves and reads a few files at
// start-up instead of hundreds (yargs, Ink and React alone are over two hundred modules).
// One build for all entries, so the CLI's embedded server and an action file importing
// `pkt/server` share one copy of the server's modules (ActionError is checked by instanceof).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url);
const dist = new URL('dist/', root);
// Everything but the declarations, which tsc brings up to date incrementally (below).
await mkdir(dist, { recursive: true });
for (const entry of await readdir(dist)) {
  if (entry !== 'types') await rm(new URL(entry, dist), { recursive: true, force: true });
}

const { metafile } = await build({
  absWorkingDir: root.pathname,
  // Library entries (package.json "exports") are built once they exist, so the build
  // also works on a tree that has only some of them.
  entryPoints: Object.fromEntries(
    Object.entries({
      cli: 'src/cli/main.ts',
      server: 'src/server/index.ts',
      client: 'src/client/index.ts',
      protocol: 'src/protocol/public.ts',
    }).filter(([, path]) => existsSync(new URL(path, root))),
  ),
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // tsx registers loaders and runs esbuild's binary for --actions folders of .ts files: it
  // stays a package, loaded only when such a folder is given. react-devtools-core is an
  // optional import of Ink's, made only with DEV=true, and not installed.
  external: ['tsx', 'tsx/*', 'esbuild', 'react-devtools-core', 'bullmq', 'ioredis'],
  // React's production build: the development one is several times larger, and slower.
  define: { 'process.env.NODE_ENV': '"production"' },
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS (React, the reconciler) calls require() for Node's builtins, which an
  // ES module lacks; each output file gets one of its own.
  banner: { js: "import { createRequire as __pktCreateRequire } from 'node:module';\nconst require = __pktCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  // Which modules each output holds and how the outputs import each other: a test reads it to
  // check what `pkt` loads at start-up (test/e2e/cli-commands.test.ts).
  metafile: true,
});
await writeFile(new URL('meta.json', dist), JSON.stringify(metafile));

// The resolve hook for actions folders (src/cli/resolve/): module.register runs it on Node's
// loader thread, so it is a file of its own, with nothing to import.
if (existsSync(new URL('src/cli/resolve/hook.ts', root))) {
  await build({
    absWorkingDir: root.pathname,
    entryPoints: { 'resolve-hook': 'src/cli/resolve/hook.ts' },
    outdir: 'dist',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  // For action files tsx loads as CommonJS: `pkt/server` is the server pkt is running, which
  // own-packages.ts leaves on globalThis (an ES module cannot be required on Node 20).
  await writeFile(
    new URL('server-require.cjs', dist),
    `// pkt/server for an action file loaded with require() by pkt serve or pkt run --actions.
const server = globalThis[Symbol.for('pkt.server.module')];
if (!server) throw new Error("pkt/server can be required only by action files that pkt loads; elsewhere, import it (it is an ES module)");
module.exports = server;
`,
  );
}

// The library's types, as declaration files in dist/types (package.json "exports" points at
// them), so users type-check against what pkt publishes rather than compiling its sources.
// esbuild writes no declarations; tsc does, incrementally (dist/types/.tsbuildinfo), since it
// runs on every `npm test`. Only on a tree with the library's entries and TypeScript (a
// devDependency: an installed pkt has its dist/ already).
const typescript = (() => {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
})();
if (typescript && existsSync(new URL('tsconfig.types.json', root))) {
  const tsc = spawnSync(process.execPath, [typescript, '-p', 'tsconfig.types.json'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.error('build: the declaration files failed to build (see above)');
    process.exit(tsc.status ?? 1);
  }
}

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
