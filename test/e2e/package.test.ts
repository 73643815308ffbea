// pkt as a user installs it (issue 15): `npm pack`, the tarball installed into a project of its
// own, outside this repository, with a strict tsconfig that checks pkt's declaration files
// (skipLibCheck off). There, an action file and a script using pkt/server, pkt/client and
// pkt/protocol type-check (typed client, no generated code), and the script runs against a
// `pkt serve` started from the installed package.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let project = '';
let tarball = '';
const children = new Set<ChildProcess>();

/** The version this repository's lockfile installs, so the project's install comes from npm's cache. */
async function lockedVersion(name: string): Promise<string> {
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
  const entry = lock.packages[`node_modules/${name}`];
  assert.ok(entry, `${name} is in package-lock.json`);
  return entry.version;
}

function run(command: string, args: string[], cwd: string): { stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed (${result.error?.message ?? result.signal ?? result.status}):\n${result.stdout}\n${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'pkt-user', private: true, type: 'module' }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023'],
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      noImplicitOverride: true,
      // pkt's declaration files are checked too, under this project's rules.
      skipLibCheck: false,
      outDir: 'out',
    },
    include: ['actions', 'main.ts'],
  }),
  'actions/report/build.ts': `import { z } from 'zod';
import { ActionError, defineAction } from 'pkt/server';

export default defineAction({
  description: 'Builds a report',
  input: z.object({ title: z.string().min(1), pages: z.number().int().min(1).default(2) }),
  events: { progress: z.object({ page: z.number(), total: z.number() }) },
  call: ({ title, pages }) => ({ title, pages, status: 'built' as const }),
  async streamProgress({ title, pages }, stream) {
    if (title === 'forbidden') throw new ActionError(403, 'FORBIDDEN', 'not this one');
    for (let page = 1; page <= pages; page++) await stream.send('progress', { page, total: pages });
    await stream.sendComplete({ title, pages, status: 'built' });
  },
});
`,
  'main.ts': `import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type ClientEvent } from 'pkt/client';
import { ActionError, createDecoder, DEFAULT_LIMITS, StreamEvent } from 'pkt/protocol';
import { createActionHandler, createFetchHandler } from 'pkt/server';
import buildAction from './actions/report/build.js';

type Actions = { 'report.build': typeof buildAction };
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const holds = <_T extends true>() => {};

const { action } = createClient<Actions>({ baseUrl: process.argv[2]! });
const seen: number[] = [];
const result = await action.report
  .build({ title: 'Q3', pages: 3 })
  .withOnProgress((data, type) => {
    holds<Equals<typeof data, { page: number; total: number }>>();
    if (type === 'progress') seen.push(data.page);
  })
  .call();
holds<Equals<typeof result, { title: string; pages: number; status: 'built' }>>();
const plain = await action.report.build({ title: 'Q4' }).withStream(false).call();

// @ts-expect-error: a misspelt field is a type error
action.report.build({ tilte: 'Q3' });

const failures: Record<string, unknown> = {};
for (const title of ['', 'forbidden']) {
  try {
    await action.report.build({ title }).call();
  } catch (err) {
    if (!(err instanceof ActionError)) throw err;
    failures[title || 'empty'] = { status: err.status, code: err.code, fields: Object.keys(err.errors ?? {}) };
  }
}

const decoded: ClientEvent[] = [];
createDecoder({ onEvent: (event: StreamEvent) => decoded.push(event) }).feed('event: progress\\ndata: {"page":1}\\n\\n');

// The same action mounted in an app of one's own: node:http, and a fetch handler.
const actions: Actions = { 'report.build': buildAction };
const handler = createActionHandler({ actions, basePath: '/api' });
const server = createServer((req, res) => handler(req, res, () => res.writeHead(200).end('the app')));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const mountedUrl = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}\`;
const mounted = await createClient<Actions>({ baseUrl: mountedUrl, basePath: '/api' }).action.report.build({ title: 'mounted' }).call();
const app = await (await fetch(\`\${mountedUrl}/elsewhere\`)).text();
const fetchHandler = createFetchHandler({ actions });
const fetched = await (await fetchHandler(new Request('http://app.test/_piko/actions/report.build', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"title":"fetched"}' }))).json();
await handler.close();
await fetchHandler.close();
server.close();
console.log(JSON.stringify({ result, plain, seen, failures, decoded: decoded.map((e) => e.data), bodyLimit: DEFAULT_LIMITS.maxBodyBytes, mounted, app, fetched }));
`,
};

before(async () => {
  project = await mkdtemp(join(tmpdir(), 'pkt-user-'));
  const packed = JSON.parse(run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', project], ROOT).stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(project, packed[0]!.filename);
  for (const [path, text] of Object.entries(FILES)) {
    await mkdir(join(project, path, '..'), { recursive: true });
    await writeFile(join(project, path), text);
  }
  const versions = await Promise.all(['zod', 'typescript', '@types/node'].map(async (name) => `${name}@${await lockedVersion(name)}`));
  run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...versions], project);
});

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (project) await rm(project, { recursive: true, force: true });
});

describe('the packed package, installed in a project of its own', () => {
  test('ships the built code and declarations, and no sources', async () => {
    const listing = run('tar', ['-tzf', tarball], project).stdout.split('\n').filter(Boolean);
    assert.deepEqual(listing.filter((f) => f.startsWith('package/src/')), [], 'no sources in the tarball');
    for (const file of ['dist/server.js', 'dist/client.js', 'dist/protocol.js', 'dist/types/server/index.d.ts', 'dist/types/client/index.d.ts', 'dist/types/protocol/public.d.ts']) {
      assert.ok(listing.includes(`package/${file}`), `the tarball has ${file}`);
    }
    assert.ok(!listing.some((f) => f.endsWith('.tsbuildinfo')), 'no build state in the tarball');
  });

  test('its public entry points export what a user needs, and nothing else', async () => {
    const script = `const names = async (s) => Object.keys(await import(s)).sort();
console.log(JSON.stringify({ protocol: await names('pkt/protocol'), server: await names('pkt/server'), client: await names('pkt/client') }));`;
    const { stdout } = run(process.execPath, ['--input-type=module', '-e', script], project);
    assert.deepEqual(JSON.parse(stdout), {
      protocol: ['ActionError', 'DEFAULT_LIMITS', 'ERROR_CODES', 'StreamEvent', 'createDecoder', 'decodeAll', 'encodeComment', 'encodeEvent'],
      server: [
        'ActionError',
        'ActionLoadError',
        'MemoryRunStore',
        'PortInUseError',
        'StreamEvent',
        'connectFrontEnd',
        'createActionHandler',
        'createFetchHandler',
        'defineAction',
        'startServer',
        'startWorker',
      ],
      client: ['ActionError', 'StreamEvent', 'createClient'],
    });
  });

  test('type-checks under a strict tsconfig, and a typed script runs against pkt serve', async () => {
    run(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);

    const serve = spawn(process.execPath, [join(project, 'node_modules/pkt/bin/pkt.js'), 'serve', '--port', '0', '--actions', 'actions'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(serve);
    let printed = '';
    let bound: NodeJS.Timeout | undefined;
    const url = await new Promise<string>((resolve, reject) => {
      serve.stdout!.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const found = /http:\/\/127\.0\.0\.1:\d+/.exec(printed);
        if (found) resolve(found[0]);
      });
      serve.on('exit', (code) => reject(new Error(`pkt serve exited (${code}): ${printed}`)));
      // A bound, not a timing check: a server that never says where it listens fails the test.
      bound = setTimeout(() => reject(new Error(`pkt serve did not print its URL within 60 s: ${printed}`)), 60_000);
    }).finally(() => clearTimeout(bound));
    assert.match(printed, /report\.build\s+streams\s+Builds a report/);

    const { stdout } = run(process.execPath, ['out/main.js', url], project);
    assert.deepEqual(JSON.parse(stdout), {
      result: { title: 'Q3', pages: 3, status: 'built' },
      plain: { title: 'Q4', pages: 2, status: 'built' },
      seen: [1, 2, 3],
      failures: { empty: { status: 422, code: 'INVALID_INPUT', fields: ['title'] }, forbidden: { status: 403, code: 'FORBIDDEN', fields: [] } },
      decoded: [{ page: 1 }],
      bodyLimit: 1024 * 1024,
      mounted: { title: 'mounted', pages: 2, status: 'built' },
      app: 'the app',
      fetched: { title: 'fetched', pages: 2, status: 'built' },
    });
    serve.kill('SIGTERM');
  });
});
