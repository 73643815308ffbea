// Which way imports go between the parts of src/ (docs/DESIGN.md). These rules are the one
// place they are written; test/architecture/imports.test.ts cruises src/ with them in
// `npm test` and fails on every break, naming the rule and the import.
//
//   protocol  <-  client  <-  web
//       ^           ^
//       |           |
//     server  <-   cli
//
// Packages from node_modules are not the parts' business here (each part's package.json
// needs are few and reviewed as they come), except for protocol, which imports nothing at
// all: it runs in Node and in browsers alike.

/** A path under one of the given folders of src/. */
const under = (...parts) => `^src/(${parts.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'protocol-imports-nothing',
      comment:
        'protocol is the shared definition of the wire format: it runs in Node and in browsers, so it imports no other part, no package and no node: builtin.',
      severity: 'error',
      from: { path: under('protocol') },
      to: { pathNot: under('protocol') },
    },
    {
      name: 'client-imports-only-protocol',
      comment: 'The client runs in Node and in browsers, and anyone can import it: it builds on protocol alone.',
      severity: 'error',
      from: { path: under('client') },
      to: { path: '^src/', pathNot: under('client', 'protocol') },
    },
    {
      name: 'server-imports-only-protocol',
      comment: 'The server serves the built page from dist/web; it never imports the page, the client or the CLI.',
      severity: 'error',
      from: { path: under('server') },
      to: { path: '^src/', pathNot: under('server', 'protocol') },
    },
    {
      name: 'web-imports-only-client-and-protocol',
      comment: 'The page talks to its server through the client every script uses, and the contract in protocol/page.ts.',
      severity: 'error',
      from: { path: under('web') },
      to: { path: '^src/', pathNot: under('web', 'client', 'protocol') },
    },
    {
      name: 'cli-imports-only-client-server-and-protocol',
      comment: 'The CLI runs actions through the client, on a server it may start itself.',
      severity: 'error',
      from: { path: under('cli') },
      to: { path: '^src/', pathNot: under('cli', 'client', 'server', 'protocol') },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'The CLI is the outermost part: nothing else may depend on it.',
      severity: 'error',
      from: { path: '^src/', pathNot: under('cli') },
      to: { path: under('cli') },
    },
    {
      name: 'nothing-imports-web',
      comment: 'The page is built for browsers and served as files; no part imports its code.',
      severity: 'error',
      from: { path: '^src/', pathNot: under('web') },
      to: { path: under('web') },
    },
    {
      name: 'cli-ui-does-not-import-cli-output',
      comment: 'output/ owns ui/ (Ink is one output mode): ui/ draws what it is handed and imports nothing of output/.',
      severity: 'error',
      from: { path: under('cli/ui') },
      to: { path: under('cli/output') },
    },
    {
      name: 'no-cycle-between-modules',
      comment: 'Modules that import each other, even through others, are one module split in two places.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-cycle-between-folders',
      comment: 'No two folders import each other, even through others: each folder sits on one side of every other.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    // Packages are seen (protocol may import none) but not read into.
    doNotFollow: { path: 'node_modules' },
    // Sources import `./x.js`, which TypeScript resolves to x.ts: the tsconfig teaches the
    // cruiser the same, so every import resolves (an unresolved one would slip past the rules).
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // Packages are found as Node finds them (ink and tsx export ES modules only).
    enhancedResolveOptions: { conditionNames: ['import', 'require', 'node', 'default'], exportsFields: ['exports'] },
    // The folder rule needs folder-level dependencies, which come with the metrics.
    metrics: true,
  },
};
