// Issue 2 §6: `pkt serve` as a person runs it: the built CLI (`node bin/pkt.js serve`) in its
// own process, on a port the OS picks, talked to over 127.0.0.1, stopped by signals.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StreamEvent } from '../../src/protocol/index.js';
import { BASE, postStream, readStream, until } from '../helpers/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'pkt.js');
const SERVER_SRC = pathToFileURL(join(ROOT, 'src', 'server', 'index.ts')).href;
const SERVER_DIST = pathToFileURL(join(ROOT, 'dist', 'server.js')).href;
const FIRST_LINE = /^pkt serving on (http:\/\/127\.0\.0\.1:(\d+))$/;
/** Generous bounds for a process to start or stop: a bound against hanging, not a timing check. */
const START_MS = 20_000;
const EXIT_MS = 15_000;
/** Per test: each starts and stops at least one process. */
const T = { timeout: 60_000 };

interface Pkt {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

interface Started extends Pkt {
  url: string;
}

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];

before(() => {
  // `npm test` builds first; a bare `node --test` of this file on a fresh clone may not have.
  if (!existsSync(join(ROOT, 'dist', 'cli.js')) || !existsSync(join(ROOT, 'dist', 'server.js'))) {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(built.status, 0, 'npm run build failed');
  }
});

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

/** The environment of the test, minus anything that would change how pkt serve behaves. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('PKT_TOKEN' in extra)) delete env.PKT_TOKEN;
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  return env;
}

function spawnPkt(args: string[], extraEnv: Record<string, string> = {}): Pkt {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, env: cleanEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  // 'close' rather than 'exit': by then stdout and stderr have been read to the end.
  child.on('close', (code, signal) => {
    exit = { code, signal };
    children.delete(child);
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exit: () => exit };
}

/**
 * True when the child died because dist/ was being rebuilt under it (another `npm run build`
 * in the same tree deletes dist/ first). Only that exact condition is retried, so a real
 * start-up failure still fails the test.
 */
function buildRace(pkt: Pkt): boolean {
  const err = pkt.stderr();
  const dist = join(ROOT, 'dist');
  return (
    err.includes('the CLI is not built yet') ||
    (err.includes('ERR_MODULE_NOT_FOUND') && err.includes(dist)) ||
    err.includes(`Cannot find module '${dist}`)
  );
}

/** Spawns, and waits for `ready`; when dist/ was mid-rebuild, waits for it and tries again. */
async function spawnSettled(args: string[], extraEnv: Record<string, string>, ready: (pkt: Pkt) => unknown, what: string): Promise<Pkt> {
  for (let attempt = 1; ; attempt++) {
    const pkt = spawnPkt(args, extraEnv);
    try {
      await until(() => ready(pkt) || pkt.exit(), START_MS, what);
    } catch (err) {
      pkt.child.kill('SIGKILL');
      throw err;
    }
    if (!pkt.exit() || !buildRace(pkt) || attempt === 3) return pkt;
    await until(() => existsSync(join(ROOT, 'dist', 'cli.js')), START_MS, 'dist/ to be rebuilt');
  }
}

/** Starts `pkt serve --port 0 ...` and waits for the URL it prints on its first line. */
async function startPkt(args: string[] = [], extraEnv: Record<string, string> = {}): Promise<Started> {
  const pkt = await spawnSettled(['--port', '0', ...args], extraEnv, (p) => p.stdout().includes('\n'), 'pkt serve to print its URL');
  const first = pkt.stdout().split('\n')[0]!;
  const match = FIRST_LINE.exec(first);
  assert.ok(match, `unexpected first line ${JSON.stringify(first)}; stderr: ${pkt.stderr()}; exit: ${JSON.stringify(pkt.exit())}`);
  return { ...pkt, url: match[1]! };
}

/** Runs `pkt serve ...` that is expected to stop by itself, and waits for it to. */
async function runToExit(args: string[], extraEnv: Record<string, string> = {}) {
  const pkt = await spawnSettled(args, extraEnv, () => false, 'pkt serve to exit');
  const exit = pkt.exit()!;
  return { ...exit, stdout: pkt.stdout(), stderr: pkt.stderr() };
}

/** Stops a started server (SIGTERM, then SIGKILL if it will not go). */
async function stop(pkt: Pkt): Promise<void> {
  if (pkt.exit()) return;
  pkt.child.kill('SIGTERM');
  try {
    await until(() => pkt.exit(), EXIT_MS, 'pkt serve to stop');
  } finally {
    if (!pkt.exit()) pkt.child.kill('SIGKILL');
  }
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pkt-serve-'));
  tempDirs.push(dir);
  return dir;
}

async function json(res: Response): Promise<{ status: number; code: string; message: string }> {
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return (await res.json()) as { status: number; code: string; message: string };
}

const types = (events: StreamEvent[]) => events.map((e) => e.type);

describe('pkt serve', () => {
  it('prints its URL on the first line, then the actions it serves', T, async () => {
    const pkt = await startPkt();
    try {
      const out = pkt.stdout();
      for (const name of ['task.process', 'demo.fail', 'demo.firehose']) {
        assert.match(out, new RegExp(`^\\s+${name.replace('.', '\\.')}\\s+streams\\b`, 'm'), `${name} missing from:\n${out}`);
      }
      // The printed URL is the live server, and it serves what it printed.
      const manifest = (await (await fetch(`${pkt.url}${BASE}`)).json()) as { actions: { name: string }[] };
      assert.deepEqual(manifest.actions.map((a) => a.name).sort(), ['demo.fail', 'demo.firehose', 'task.process']);
    } finally {
      await stop(pkt);
    }
  });

  it('--actions DIR loads .ts and .js files, named from their paths', T, async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'admin', 'users'), { recursive: true });
    // TypeScript goes through tsx: type annotations here would fail a plain import.
    await writeFile(
      join(dir, 'admin', 'users', 'delete.ts'),
      [
        `import { defineAction } from ${JSON.stringify(SERVER_SRC)};`,
        'interface Input { id?: number }',
        'export default defineAction({',
        "  description: 'Deletes a user (pretend)',",
        '  call: (input: unknown) => ({ deleted: (input as Input).id ?? null }),',
        '});',
        '',
      ].join('\n'),
    );
    // A .js file is imported as is: it takes defineAction from the built package, another copy
    // of pkt than the CLI's own, which the brand must still recognise.
    await writeFile(
      join(dir, 'hello.js'),
      [
        `import { defineAction } from ${JSON.stringify(SERVER_DIST)};`,
        'export default defineAction({',
        "  description: 'Says hello, in a stream',",
        "  call: (input) => ({ hello: input.name ?? 'world' }),",
        '  async streamProgress(input, stream) {',
        "    await stream.send('progress', { step: 1, total: 1 });",
        "    await stream.sendComplete({ hello: input.name ?? 'world' });",
        '  },',
        '});',
        '',
      ].join('\n'),
    );
    const pkt = await startPkt(['--actions', dir]);
    try {
      const out = pkt.stdout();
      assert.match(out, /^\s+admin\.users\.delete\s+plain\s+Deletes a user \(pretend\)$/m, out);
      assert.match(out, /^\s+hello\s+streams\s+Says hello, in a stream$/m, out);
      assert.match(out, /^\s+task\.process\s+streams/m, 'the bundled actions stay');

      const deleted = await fetch(`${pkt.url}${BASE}/admin.users.delete`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: 7 }),
      });
      assert.equal(deleted.status, 200);
      assert.deepEqual(await deleted.json(), { deleted: 7 });

      const hello = await postStream(pkt.url, 'hello', { name: 'ada' });
      assert.equal(hello.status, 200);
      assert.deepEqual(types(hello.events), ['progress', 'complete']);
      assert.deepEqual(JSON.parse(hello.events[1]!.json), { hello: 'ada' });
    } finally {
      await stop(pkt);
    }
  });

  const ACTION_JS = `import { defineAction } from ${JSON.stringify(SERVER_DIST)};\nexport default defineAction({ call: () => 1 });\n`;
  for (const [what, file, source, why] of [
    ['throws while loading', 'jobs/boom.ts', "throw new Error('cannot reach the database');\nexport default 1;\n", /failed to load.*cannot reach the database/],
    ['has a syntax error', 'broken.js', 'export default {\n', /failed to load/],
    // tsx reports a TypeScript syntax error as "Transform failed with 1 error:" and puts the
    // error itself (file:line:col and what is wrong) on the next line.
    ['has a TypeScript syntax error', 'typo.ts', 'const answer: number = ;\nexport default answer;\n', /failed to load.*(?:\d+:\d+|Unexpected)/],
    ['exports no action', 'jobs/nothing.js', 'export const notAnAction = { call() { return 1; } };\n', /exports no action/],
    ['exports a plain object, not defineAction', 'plain.js', 'export default { call() { return 1; } };\n', /exports no action/],
    ['has a path that is no action name', '2fa/verify.js', ACTION_JS, /"2fa\.verify" is not a valid action name/],
  ] as const) {
    it(`exits non-zero naming the file when one ${what}`, { ...T }, async () => {
      const dir = await tempDir();
      const path = join(dir, file);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, source);
      const result = await runToExit(['--port', '0', '--actions', dir]);
      assert.notEqual(result.code, 0, `exited ${result.code}; stderr: ${result.stderr}`);
      assert.ok(result.stderr.includes(path), `stderr does not name ${path}:\n${result.stderr}`);
      assert.match(result.stderr, why);
      assert.doesNotMatch(result.stdout, /pkt serving on/, 'it must not start serving without the action');
    });
  }

  it('exits non-zero naming both files when two map to one name', T, async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'x'));
    await writeFile(join(dir, 'x', 'y.js'), ACTION_JS);
    await writeFile(join(dir, 'x.Y.js'), ACTION_JS);
    const result = await runToExit(['--port', '0', '--actions', dir]);
    assert.notEqual(result.code, 0, result.stderr);
    assert.ok(result.stderr.includes(join(dir, 'x', 'y.js')), result.stderr);
    assert.ok(result.stderr.includes(join(dir, 'x.Y.js')), result.stderr);
  });

  it("a folder's task/process.js replaces the bundled task.process", T, async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'task'));
    await writeFile(
      join(dir, 'task', 'process.js'),
      `import { defineAction } from ${JSON.stringify(SERVER_DIST)};\nexport default defineAction({ description: 'Mine', call: () => ({ mine: true }) });\n`,
    );
    const pkt = await startPkt(['--actions', dir]);
    try {
      const lines = pkt.stdout().match(/^\s+task\.process\b.*$/gm) ?? [];
      assert.equal(lines.length, 1, pkt.stdout());
      assert.match(lines[0]!, /^\s+task\.process\s+plain\s+Mine$/);
      const res = await fetch(`${pkt.url}${BASE}/task.process`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      assert.deepEqual(await res.json(), { mine: true });
    } finally {
      await stop(pkt);
    }
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`on ${signal}, an open stream ends with error SHUTDOWN and the process exits 0`, T, async () => {
      const pkt = await startPkt();
      try {
        const res = await fetch(`${pkt.url}${BASE}/task.process`, {
          method: 'POST',
          headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
          // Far longer than the test: only the shutdown can end it.
          body: JSON.stringify({ name: 'long', steps: 10_000, delayMs: 20 }),
        });
        assert.equal(res.status, 200);
        let signalled = false;
        const { events } = await readStream(res, (e) => {
          if (!signalled && e.type === 'progress') {
            signalled = true;
            pkt.child.kill(signal);
          }
        });
        assert.ok(signalled, 'the stream never got going');
        const last = events.at(-1)!;
        assert.equal(last.type, 'error', `the stream ended with ${last.type}, not error`);
        const body = JSON.parse(last.json) as { code: string; message: string };
        assert.equal(body.code, 'SHUTDOWN');
        assert.ok(body.message.length > 0);
        assert.equal(events.filter((e) => e.type === 'error' || e.type === 'complete').length, 1, 'exactly one terminal event');
        assert.deepEqual(events.map((e) => Number(e.id)), events.map((_, i) => i + 1), 'ids run 1..N without gaps');

        const exit = await until(() => pkt.exit(), EXIT_MS, `pkt serve to exit after ${signal}`);
        assert.deepEqual(exit, { code: 0, signal: null });
      } finally {
        await stop(pkt);
      }
    });
  }

  it('on SIGTERM, a plain call in flight has its signal aborted and gets a JSON 503 SHUTDOWN', T, async () => {
    // CallContext.signal "aborts when the client goes away or the server shuts down", and
    // every error answer is JSON (PROTOCOL.md §2): an action that honours its signal must
    // let the server answer, not leave the client with a cut socket.
    const dir = await tempDir();
    await writeFile(
      join(dir, 'polite.js'),
      [
        `import { defineAction } from ${JSON.stringify(SERVER_DIST)};`,
        'export default defineAction({',
        '  call: (_input, { signal }) => new Promise((_resolve, reject) => {',
        "    process.stdout.write('call started\\n');",
        "    signal.addEventListener('abort', () => reject(signal.reason));",
        '  }),',
        '});',
        '',
      ].join('\n'),
    );
    const pkt = await startPkt(['--actions', dir]);
    try {
      const answer = fetch(`${pkt.url}${BASE}/polite`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then(
        async (res) => ({ status: res.status, body: (await res.json()) as { code: string } }),
        (err: Error) => ({ status: 0, body: { code: `no answer: ${err.message}` } }),
      );
      await until(() => pkt.stdout().includes('call started'), START_MS, 'the call to start');
      pkt.child.kill('SIGTERM');
      const { status, body } = await answer;
      assert.equal(body.code, 'SHUTDOWN');
      assert.equal(status, 503);
      assert.deepEqual(await until(() => pkt.exit(), EXIT_MS, 'pkt serve to exit'), { code: 0, signal: null });
    } finally {
      await stop(pkt);
    }
  });

  for (const [how, args, env] of [
    ['--token', ['--token', 's3cret'], {}],
    ['PKT_TOKEN', [], { PKT_TOKEN: 's3cret' }],
  ] as const) {
    it(`${how}: without Authorization: Bearer <token> a request gets 401 UNAUTHORIZED, with it 200`, T, async () => {
      const pkt = await startPkt([...args], { ...env });
      try {
        const call = (headers: Record<string, string>) =>
          fetch(`${pkt.url}${BASE}/task.process`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...headers },
            body: JSON.stringify({ name: 'secret' }),
          });
        const wrong: Record<string, string>[] = [{}, { Authorization: 'Bearer wrong!' }, { Authorization: 's3cret' }];
        for (const headers of wrong) {
          const res = await call(headers);
          assert.equal(res.status, 401, `headers ${JSON.stringify(headers)}`);
          const body = await json(res);
          assert.equal(body.status, 401);
          assert.equal(body.code, 'UNAUTHORIZED');
        }
        // A stream without the token is refused before it starts.
        const refused = await postStream(pkt.url, 'task.process', { name: 'secret' });
        assert.equal(refused.status, 401);
        assert.deepEqual(refused.events, []);

        const ok = await call({ Authorization: 'Bearer s3cret' });
        assert.equal(ok.status, 200);
        assert.deepEqual(await ok.json(), { taskName: 'secret', status: 'completed' });
        const streamed = await postStream(pkt.url, 'task.process', { name: 'secret', steps: 1, delayMs: 0 }, { Authorization: 'Bearer s3cret' });
        assert.equal(streamed.status, 200);
        assert.equal(streamed.events.at(-1)?.type, 'complete');
      } finally {
        await stop(pkt);
      }
    });
  }

  it('takes the auth scheme in any case (RFC 7235: `bearer` is `Bearer`)', T, async () => {
    const pkt = await startPkt(['--token', 's3cret']);
    try {
      for (const scheme of ['bearer', 'BEARER']) {
        const res = await fetch(`${pkt.url}${BASE}`, { headers: { Authorization: `${scheme} s3cret` } });
        assert.equal(res.status, 200, `Authorization: ${scheme} s3cret`);
      }
    } finally {
      await stop(pkt);
    }
  });

  it('--token with --cors: the preflight needs no token, and a 401 still carries the CORS headers', T, async () => {
    // Browsers never send Authorization on a preflight, and a page can only read the 401's
    // JSON when the answer names its origin.
    const pkt = await startPkt(['--token', 's3cret', '--cors', 'https://a.example']);
    try {
      const pre = await fetch(`${pkt.url}${BASE}/task.process`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://a.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
      });
      assert.ok(pre.status === 204 || pre.status === 200, `preflight status ${pre.status}`);
      assert.equal(pre.headers.get('access-control-allow-origin'), 'https://a.example');
      assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/i);

      const denied = await fetch(`${pkt.url}${BASE}/task.process`, {
        method: 'POST',
        headers: { Origin: 'https://a.example', 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'x' }),
      });
      assert.equal(denied.status, 401);
      assert.equal(denied.headers.get('access-control-allow-origin'), 'https://a.example');
      assert.equal((await json(denied)).code, 'UNAUTHORIZED');
    } finally {
      await stop(pkt);
    }
  });

  it('--cors ORIGIN allows that origin and 403s another with FORBIDDEN_ORIGIN', T, async () => {
    const pkt = await startPkt(['--cors', 'https://a.example']);
    try {
      const call = (origin: string) =>
        fetch(`${pkt.url}${BASE}/task.process`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Origin: origin },
          body: JSON.stringify({ name: 'cors' }),
        });
      const allowed = await call('https://a.example');
      assert.equal(allowed.status, 200);
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://a.example');
      assert.deepEqual(await allowed.json(), { taskName: 'cors', status: 'completed' });

      const refused = await call('https://b.example');
      assert.equal(refused.status, 403);
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
      const body = await json(refused);
      assert.equal(body.code, 'FORBIDDEN_ORIGIN');
      assert.match(body.message, /b\.example/);
    } finally {
      await stop(pkt);
    }
  });

  it('--cors with a trailing slash still names that origin', T, async () => {
    // Browsers send an origin without a path; people copy one from the address bar with it.
    const pkt = await startPkt(['--cors', 'https://a.example/']);
    try {
      const res = await fetch(`${pkt.url}${BASE}`, { headers: { Origin: 'https://a.example' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), 'https://a.example');
    } finally {
      await stop(pkt);
    }
  });

  it('without --cors, a browser origin other than its own gets 403', T, async () => {
    const pkt = await startPkt();
    try {
      const res = await fetch(`${pkt.url}${BASE}`, { headers: { Origin: 'https://a.example' } });
      assert.equal(res.status, 403);
      assert.equal((await json(res)).code, 'FORBIDDEN_ORIGIN');
    } finally {
      await stop(pkt);
    }
  });

  for (const bad of ['abc', '99999', '-1']) {
    it(`--port ${bad}: one line naming the value and the range, exit 2`, T, async () => {
      const result = await runToExit([`--port=${bad}`]);
      assert.equal(result.code, 2);
      assert.equal(result.stderr.trim(), `pkt serve: --port wants a whole number from 0 to 65535 (0 picks a free one), not "${bad}"`);
    });
  }

  it('a port already in use: one line saying so, and a non-zero exit', T, async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const result = await runToExit(['--port', String(port)]);
      assert.notEqual(result.code, 0);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `expected one line, got:\n${result.stderr}`);
      assert.match(lines[0]!, new RegExp(`\\b${port}\\b`));
      assert.match(lines[0]!, /in use/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('listens on 127.0.0.1:7070 by default: with that port taken, it says 7070 is in use', T, async () => {
    // Taking 7070 ourselves makes this deterministic without ever serving on a fixed port. If
    // something else already holds it, pkt serve must fail the same way, which still checks it.
    const blocker = createServer();
    const held = await new Promise<boolean>((resolve) => {
      blocker.once('error', () => resolve(false));
      blocker.listen(7070, '127.0.0.1', () => resolve(true));
    });
    try {
      const result = await runToExit([]);
      assert.notEqual(result.code, 0, `pkt serve started on its default port although 7070 was taken: ${result.stdout}`);
      assert.match(result.stderr, /\b7070\b/);
      assert.match(result.stderr, /127\.0\.0\.1/);
      assert.match(result.stderr, /in use/);
    } finally {
      if (held) await new Promise((resolve) => blocker.close(resolve));
    }
  });

  for (const dev of [true, false]) {
    it(`${dev ? 'with' : 'without'} --dev, demo.fail's real message is ${dev ? 'shown' : 'redacted'}`, T, async () => {
      const pkt = await startPkt(dev ? ['--dev'] : []);
      try {
        const streamed = await postStream(pkt.url, 'demo.fail', { after: 1, delayMs: 0 });
        assert.deepEqual(types(streamed.events), ['progress', 'error']);
        const event = JSON.parse(streamed.events[1]!.json) as { status: number; code: string; message: string };
        assert.equal(event.code, 'INTERNAL');
        assert.equal(event.status, 500);

        const plain = await fetch(`${pkt.url}${BASE}/demo.fail`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        });
        assert.equal(plain.status, 500);
        const answer = await json(plain);
        assert.equal(answer.code, 'INTERNAL');

        if (dev) {
          assert.equal(event.message, 'demo.fail failed on purpose after 1 events');
          assert.equal(answer.message, 'demo.fail failed on purpose');
        } else {
          for (const message of [event.message, answer.message]) {
            assert.doesNotMatch(message, /on purpose/);
            assert.ok(message.length > 0);
          }
        }
      } finally {
        await stop(pkt);
      }
    });
  }
});
