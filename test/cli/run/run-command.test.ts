// runCommand with a fake process around it: streams, argv, Ctrl-C and exit are all injected.
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { runCommand, type RunArgs, type RunCommandIO } from '../../../src/cli/run/run-command.js';
import { defineAction, startServer, type PktServer } from '../../../src/server/index.js';

let server: PktServer;
let sawAbort: () => void;
const aborted = new Promise<void>((resolve) => (sawAbort = resolve));

before(async () => {
  server = await startServer({
    port: 0,
    actions: {
      'test.wait': defineAction({
        call: () => null,
        async streamProgress(_input, stream) {
          await stream.send('progress', { message: 'waiting' });
          await new Promise((resolve) => stream.signal.addEventListener('abort', resolve, { once: true }));
          sawAbort();
        },
      }),
    },
  });
});
after(() => server.close());

function fakeIO(tokens: string[], options: { stdout?: Writable; stdin?: PassThrough & { isTTY?: boolean }; readFile?: () => Promise<string> } = {}) {
  const stdout = options.stdout ?? new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  if (stdout instanceof PassThrough) stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const interrupts: (() => void)[] = [];
  const exits: number[] = [];
  const io: RunCommandIO = {
    stdin: options.stdin ?? new PassThrough(),
    stdout,
    stderr,
    env: { PKT_URL: server.url },
    tokens,
    readFile: options.readFile ?? (async () => '{}'),
    onInterrupt: (handler) => {
      interrupts.push(handler);
      return () => interrupts.splice(interrupts.indexOf(handler), 1);
    },
    exitNow: (code) => void exits.push(code),
    runHelp: async () => 'OPTIONS\n',
  };
  return { io, out: () => out, err: () => err, interrupts, exits };
}

const args = (action: string, extra: Partial<RunArgs> = {}): RunArgs => ({
  action,
  stream: true,
  json: false,
  quiet: false,
  detach: false,
  ...extra,
});

test('a run to completion: exit 0, the result on stdout', async () => {
  const f = fakeIO(['task.process', '--name', 'x', '--steps', '2', '--delayMs', '0']);
  assert.equal(await runCommand(args('task.process', { quiet: true }), f.io), 0);
  assert.deepEqual(JSON.parse(f.out()), { status: 'done', taskName: 'x' });
});

test('the first Ctrl-C cancels the run on the server (exit 130); the second exits at once', async () => {
  const f = fakeIO(['test.wait']);
  const run = runCommand(args('test.wait'), f.io);
  while (!f.err().includes('waiting')) await new Promise((r) => setTimeout(r, 10));
  f.interrupts[0]!();
  assert.equal(await run, 130);
  await aborted;
  assert.match(f.err(), /cancelled \(run \S+ cancelled on the server\)/);
  assert.deepEqual(f.exits, [], 'one Ctrl-C does not force the exit');

  const g = fakeIO(['test.wait']);
  const again = runCommand(args('test.wait'), g.io);
  while (!g.err().includes('waiting')) await new Promise((r) => setTimeout(r, 10));
  const handler = g.interrupts[0]!;
  handler();
  handler();
  assert.deepEqual(g.exits, [130]);
  await again;
});

test('--help with an action: its fields, then the options', async () => {
  const f = fakeIO(['task.process', '--help']);
  assert.equal(await runCommand(args('task.process', { help: true }), f.io), 0);
  assert.match(f.out(), /--name <string>/);
  assert.match(f.out(), /OPTIONS\n$/);
});

test('--actions with --url is a usage error', async () => {
  const f = fakeIO(['task.process', '--actions', 'x']);
  assert.equal(await runCommand(args('task.process', { actions: ['x'] }), f.io), 2);
  assert.match(f.err(), /--actions only works with the embedded server/);
});

/** A stdout whose every write fails with `code`, as a full disk or a closed pipe does. */
function failingStdout(code: string): Writable {
  return new Writable({
    write(_chunk, _enc, cb) {
      cb(Object.assign(new Error(`${code}: write failed`), { code }));
    },
  });
}

test('a full disk on stdout: one line naming the error, exit 1', async () => {
  const f = fakeIO(['task.process', '--name', 'x', '--steps', '1', '--delayMs', '0', '-q'], { stdout: failingStdout('ENOSPC') });
  assert.equal(await runCommand(args('task.process', { quiet: true }), f.io), 1);
  assert.equal(f.err(), 'pkt: cannot write to stdout (ENOSPC: write failed); the output is incomplete: check where stdout goes\n');
});

test('a full disk while JSON Lines stream: the run stops, one line, exit 1', async () => {
  const f = fakeIO(['test.wait', '--json'], { stdout: failingStdout('ENOSPC') });
  assert.equal(await runCommand(args('test.wait', { json: true }), f.io), 1);
  assert.equal(f.err().trim().split('\n').length, 1, f.err());
  assert.match(f.err(), /^pkt: cannot write to stdout \(ENOSPC/);
});

test('EPIPE on stdout is the reader leaving: quiet, exit 0', async () => {
  const f = fakeIO(['task.process', '--name', 'x', '--steps', '1', '--delayMs', '0', '-q'], { stdout: failingStdout('EPIPE') });
  assert.equal(await runCommand(args('task.process', { quiet: true }), f.io), 0);
  assert.equal(f.err(), '');
});

test('--timeout without a positive number of ms is a usage error saying what it wants', async () => {
  for (const tokens of [['--timeout'], ['--timeout', '--json'], ['--timeout', 'soon'], ['--timeout', '0'], ['--timeout', '-5'], ['--timeout=']]) {
    const f = fakeIO(['task.process', '--name', 'x', ...tokens]);
    assert.equal(await runCommand(args('task.process'), f.io), 2, tokens.join(' '));
    assert.match(f.err(), /^pkt: --timeout (needs a value|wants a positive number of ms).*--timeout 30000/, tokens.join(' '));
  }
});

test('--input - on a terminal says what it is waiting for', async () => {
  const stdin: PassThrough & { isTTY?: boolean } = new PassThrough();
  stdin.isTTY = true;
  const f = fakeIO(['task.process', '--input', '-', '--steps', '1', '--delayMs', '0', '-q'], { stdin });
  const run = runCommand(args('task.process', { quiet: true }), f.io);
  stdin.end('{"name":"typed"}');
  assert.equal(await run, 0, f.err());
  assert.equal(f.err(), 'pkt: reading the input as JSON from stdin (end with Ctrl-D)\n');
});

test('input nested deeper than the protocol allows: exit 2, how deep and the limit', async () => {
  const text = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
  const f = fakeIO(['task.process', '--input', '@deep.json'], { readFile: async () => text });
  assert.equal(await runCommand(args('task.process'), f.io), 2);
  assert.match(f.err(), /^pkt: the input nests 100000 levels deep; servers take at most 64\n/);
});

