// Issue 3 §4, §5, §8: `pkt run` as scripts use it: the built CLI in its own process, its
// output through pipes (so plain mode and JSON Lines), one test per exit code, Ctrl-C.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startServer, type PktServer } from '../../src/server/index.js';
import { ROOT, cliEnv, ensureBuilt, runPkt, startPkt, until } from '../cli/helpers/pkt-process.js';

const T = { timeout: 90_000 };
const ESC = '\u001b';
let dir: string;
let server: PktServer;

// An action that waits until its signal aborts, then leaves a file saying so: the proof that
// Ctrl-C in pkt reached the action on the server.
const WAIT_ACTION = (serverModule: string) => `
import { writeFileSync } from 'node:fs';
import { defineAction } from ${JSON.stringify(serverModule)};
export default defineAction({
  description: 'waits for its signal',
  call: () => 'never',
  async streamProgress(input, stream) {
    await stream.send('progress', { message: 'waiting' });
    await new Promise((resolve) => stream.signal.addEventListener('abort', resolve, { once: true }));
    writeFileSync(input.marker, 'aborted');
  },
});
`;

// An action with a field named like one of pkt's options (--token): its schema written by
// hand as a Standard Schema, since a file in a temporary folder cannot import zod.
const TOKENS_ACTION = (serverModule: string) => `
import { defineAction } from ${JSON.stringify(serverModule)};
const schema = { type: 'object', properties: { tokens: { type: 'integer' } }, additionalProperties: false };
export default defineAction({
  description: 'counts tokens',
  input: { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }), jsonSchema: { input: () => schema } } },
  call: (input) => input,
});
`;

before(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'pkt-cli-'));
  await mkdir(join(dir, 'actions', 'wait'), { recursive: true });
  await writeFile(join(dir, 'actions', 'wait', 'forever.mjs'), WAIT_ACTION(pathToFileURL(join(ROOT, 'dist', 'server.js')).href));
  await mkdir(join(dir, 'actions', 'typo'), { recursive: true });
  await writeFile(join(dir, 'actions', 'typo', 'tokens.mjs'), TOKENS_ACTION(pathToFileURL(join(ROOT, 'dist', 'server.js')).href));
  server = await startServer({ port: 0, actionsDirs: [join(dir, 'actions')] });
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const fast = ['--name', 'foo', '--steps', '3', '--delayMs', '0'];

describe('output through pipes', () => {
  test('--json: one JSON object per line, the terminal event included, nothing else on stdout', T, async () => {
    const r = await runPkt(['run', 'task.process', ...fast, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { event: string; id: string; data: unknown });
    assert.deepEqual(lines.map((l) => `${l.event}#${l.id}`), ['progress#1', 'progress#2', 'progress#3', 'complete#4']);
    assert.deepEqual(lines[3]!.data, { status: 'done', taskName: 'foo' });
    assert.deepEqual(Object.keys(lines[0]!), ['event', 'id', 'data']);
    // pkt's server is taken at its word that `data` is JSON and relayed as is: each line is
    // still byte for byte what parsing and stringifying it gives.
    for (const line of r.stdout.trimEnd().split('\n')) assert.equal(line, JSON.stringify(JSON.parse(line)));
  });

  test('plain mode: a line per event on stderr without escape codes, the result on stdout', T, async () => {
    const r = await runPkt(['run', 'task.process', ...fast]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stderr.includes(ESC) && !r.stdout.includes(ESC), 'no escape codes');
    assert.deepEqual(JSON.parse(r.stdout), { status: 'done', taskName: 'foo' });
    assert.match(r.stderr, /progress 33% 1\/3 Processing foo: step 1 of 3/);
    assert.match(r.stderr, /progress 100% 3\/3/);
  });

  test('--no-stream writes what call returns', T, async () => {
    const r = await runPkt(['run', 'task.process', '--name', 'foo', '--no-stream']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { taskName: 'foo', status: 'completed' });
  });

  test('--quiet: only the result', T, async () => {
    const r = await runPkt(['run', 'task.process', ...fast, '--quiet']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.deepEqual(JSON.parse(r.stdout), { status: 'done', taskName: 'foo' });
  });

  test('--input - reads the input from stdin; flags go on top', T, async () => {
    const r = await runPkt(['run', 'task.process', '--input', '-', '--steps', '1', '-q'], {
      stdin: JSON.stringify({ name: 'from-stdin', steps: 99, delayMs: 0 }),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { status: 'done', taskName: 'from-stdin' });
  });

  test('--input @file.json', T, async () => {
    const file = join(dir, 'input.json');
    await writeFile(file, JSON.stringify({ name: 'from-file', steps: 1, delayMs: 0 }));
    const r = await runPkt(['run', 'task.process', '--input', `@${file}`, '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { status: 'done', taskName: 'from-file' });
  });

  test('| head -1 ends quietly, long before the run would have', T, async () => {
    // 2 million events would take minutes; the pipe closing must end pkt at once.
    const { spawn } = await import('node:child_process');
    const sh = spawn('bash', ['-c', `set -o pipefail; node bin/pkt.js run demo.firehose --count 2000000 --json --url ${server.url} | head -1; echo "status \${PIPESTATUS[0]}" >&2`], {
      cwd: ROOT,
      env: cliEnv(),
    });
    let out = '';
    let err = '';
    sh.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    sh.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    await new Promise((resolve) => sh.on('close', resolve));
    assert.equal(out.trim().split('\n').length, 1);
    assert.equal(JSON.parse(out).event, 'progress');
    assert.match(err, /status 0/);
    assert.doesNotMatch(err, /EPIPE|Error|at /);
  });
});

describe('exit codes', () => {
  test('0: complete', T, async () => {
    assert.equal((await runPkt(['run', 'task.process', ...fast, '-q'])).code, 0);
  });

  test('1: the action failed (an error event)', T, async () => {
    const r = await runPkt(['run', 'demo.fail', '--delayMs', '0', '--after', '1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /demo\.fail failed on purpose/);
  });

  test('2: a bad flag, with the action\'s fields listed', T, async () => {
    const r = await runPkt(['run', 'task.process', '--name', 'x', '--steps', 'many', '--colour', 'red']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--steps wants a whole number, not "many"/);
    assert.match(r.stderr, /unknown flag --colour/);
    assert.match(r.stderr, /--delayMs <integer>/);
    assert.equal(r.stdout, '');
  });

  test("2: a misspelt pkt option is named as one, with the option meant, not as a field", T, async () => {
    for (const [typo, meant] of [['--jsno', '--json'], ['--tiemout', '--timeout']] as const) {
      const r = await runPkt(['run', 'task.process', ...fast, typo, '5']);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `pkt: unknown option ${typo}; did you mean ${meant}?\n`);
      assert.equal(r.stdout, '');
    }
  });

  test('2: a flag closer to one of the action\'s fields than to a pkt option is that field misspelt', T, async () => {
    const r = await runPkt(['run', 'typo.tokens', '--tokns', '3', '--url', server.url]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /unknown flag --tokns; did you mean --tokens\?/);
    assert.match(r.stderr, /fields of typo\.tokens:/);
    assert.doesNotMatch(r.stderr, /--token\b/);
    const right = await runPkt(['run', 'typo.tokens', '--tokens', '3', '-q', '--url', server.url]);
    assert.equal(right.code, 0, right.stderr);
    assert.deepEqual(JSON.parse(right.stdout), { tokens: 3 });
  });

  test('2: input the schema refuses, with the field named and the fields listed', T, async () => {
    const r = await runPkt(['run', 'task.process', '--name', 'x', '--steps', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--steps must be ≥ 1/);
    assert.match(r.stderr, /--steps <integer>/);
  });

  test('2: an unknown action, with the server\'s suggestion', T, async () => {
    const r = await runPkt(['run', 'task.proces', '--name', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /did you mean task\.process\?/);
    // pkt tells it, as it tells every mistake in the command: not the action's `error:`.
    assert.match(r.stderr, /^pkt: /);
  });

  test('2: a bad action name, told the same way', T, async () => {
    const r = await runPkt(['run', 'task..x', '--name', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^pkt: "task\.\.x" is not an action name/);
  });

  test('2: --timeout without a value says what it wants', T, async () => {
    const r = await runPkt(['run', 'task.process', ...fast, '--timeout']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^pkt: --timeout needs a value: a positive number of ms, such as --timeout 30000/);
  });

  test('2: input nested deeper than the protocol allows, not "cannot reach the server"', T, async () => {
    const file = join(dir, 'deep.json');
    await writeFile(file, '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000));
    const r = await runPkt(['run', 'task.process', '--name', 'x', '--input', `@${file}`, '--url', server.url]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^pkt: the input nests 100000 levels deep; servers take at most 64/);
  });

  test('2: a usage mistake yargs catches', T, async () => {
    const r = await runPkt(['nosuchcommand']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pkt --help/);
  });

  test('69: server unreachable, naming the URL', T, async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const r = await runPkt(['run', 'task.process', '--name', 'x', '--url', `http://127.0.0.1:${port}`]);
    assert.equal(r.code, 69);
    assert.match(r.stderr, new RegExp(`http://127\\.0\\.0\\.1:${port}/_piko/actions`));
    assert.match(r.stderr, /ECONNREFUSED/);
  });

  test('124: --timeout reached', T, async () => {
    const r = await runPkt(['run', 'task.process', '--name', 'x', '--steps', '100', '--delayMs', '100', '--timeout', '300']);
    assert.equal(r.code, 124);
    assert.match(r.stderr, /no result within 300 ms/);
  });

  test('1: a failed write to stdout (a full disk) is one line naming it, not a quiet success', { ...T, skip: !existsSync('/dev/full') && 'no /dev/full here' }, async () => {
    const { spawn } = await import('node:child_process');
    const { openSync, closeSync } = await import('node:fs');
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, ['bin/pkt.js', 'run', 'task.process', ...fast, '--quiet', '--url', server.url], {
      cwd: ROOT,
      env: cliEnv(),
      stdio: ['ignore', full, 'pipe'],
    });
    closeSync(full);
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 1, err);
    assert.match(err, /^pkt: cannot write to stdout \(ENOSPC: no space left on device\)/);
    assert.equal(err.trimEnd().split('\n').length, 1, err);
  });

  test('130: Ctrl-C cancels the run, and the action on the server sees its signal abort', T, async () => {
    const marker = join(dir, 'aborted-url');
    const p = startPkt(['run', 'wait.forever', '--marker', marker, '--url', server.url]);
    await until(() => p.stderr().includes('waiting'), 'the first event');
    p.child.kill('SIGINT');
    const { code } = await p.exited;
    assert.equal(code, 130, p.stderr());
    assert.match(p.stderr(), /cancelled \(run \S+ cancelled on the server\)/);
    await until(() => existsSync(marker), 'the action to see its signal abort');
    assert.equal(await readFile(marker, 'utf8'), 'aborted');
  });

  test('130 with --detach: the run goes on, and the message says how to attach to it, not "cancelled"', T, async () => {
    const marker = join(dir, 'aborted-detached');
    const p = startPkt(['run', 'wait.forever', '--marker', marker, '--url', server.url, '--detach']);
    await until(() => p.stderr().includes('waiting'), 'the first event');
    p.child.kill('SIGINT');
    assert.equal((await p.exited).code, 130, p.stderr());
    const m = /stopped watching; run (\S+) goes on: pkt attach \1 --url (\S+)$/m.exec(p.stderr());
    assert.ok(m, p.stderr());
    assert.doesNotMatch(p.stderr(), /cancelled/);
    assert.ok(!existsSync(marker), 'a detached run is not cancelled when pkt leaves');
    const cancel = await runPkt(['cancel', m[1]!, '--url', m[2]!]);
    assert.equal(cancel.code, 0, cancel.stderr);
    await until(() => existsSync(marker), 'the cancel to reach the action');
  });

  test('130 with the embedded server and --actions: the action sees its signal abort too', T, async () => {
    const marker = join(dir, 'aborted-embedded');
    const p = startPkt(['run', 'wait.forever', '--marker', marker, '--actions', join(dir, 'actions')]);
    await until(() => p.stderr().includes('waiting'), 'the first event');
    p.child.kill('SIGINT');
    assert.equal((await p.exited).code, 130, p.stderr());
    assert.ok(existsSync(marker), 'the action saw its signal abort before pkt exited');
  });
});

describe('tokens', () => {
  let guarded: PktServer;
  before(async () => {
    guarded = await startServer({ port: 0, token: 'sekrit' });
  });
  after(() => guarded.close());

  test('no token: exit 2 with a hint; PKT_TOKEN works', T, async () => {
    const without = await runPkt(['run', 'task.process', ...fast, '--url', guarded.url]);
    assert.equal(without.code, 2);
    assert.match(without.stderr, /needs a token.*PKT_TOKEN/);
    const withToken = await runPkt(['run', 'task.process', ...fast, '-q', '--url', guarded.url], { env: { PKT_TOKEN: 'sekrit' } });
    assert.equal(withToken.code, 0, withToken.stderr);
  });
});
