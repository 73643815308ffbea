// runCommand with a fake process around it: streams, Ctrl-C and exit are injected; the
// arguments are parsed by the real yargs definition of `pkt run`.
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { guard } from '../../../src/cli/run/guard.js';
import { runCommand, type RunCommandIO } from '../../../src/cli/run/run-command.js';
import { defineAction, startServer, type PktServer } from '../../../src/server/index.js';
import { parseRun } from '../helpers/run-args.js';

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
    readFile: options.readFile ?? (async () => '{}'),
    onInterrupt: (handler) => {
      interrupts.push(handler);
      return () => interrupts.splice(interrupts.indexOf(handler), 1);
    },
    exitNow: (code) => void exits.push(code),
    runHelp: async () => 'OPTIONS\n',
  };
  /** The command as the CLI runs it: these arguments, parsed once, under the guard. */
  const run = async () => {
    const { args, own } = await parseRun(tokens);
    return guard(() => runCommand(args, io, own), stderr);
  };
  return { io, run, out: () => out, err: () => err, interrupts, exits };
}

test('a run to completion: exit 0, the result on stdout', async () => {
  const f = fakeIO(['task.process', '--name', 'x', '--steps', '2', '--delayMs', '0', '-q']);
  assert.equal(await f.run(), 0);
  assert.deepEqual(JSON.parse(f.out()), { status: 'done', taskName: 'x' });
});

test('the first Ctrl-C cancels the run on the server (exit 130); the second exits at once', async () => {
  const f = fakeIO(['test.wait']);
  const run = f.run();
  while (!f.err().includes('waiting')) await new Promise((r) => setTimeout(r, 10));
  f.interrupts[0]!();
  assert.equal(await run, 130);
  await aborted;
  assert.match(f.err(), /cancelled \(run \S+ cancelled on the server\)/);
  assert.deepEqual(f.exits, [], 'one Ctrl-C does not force the exit');

  const g = fakeIO(['test.wait']);
  const again = g.run();
  while (!g.err().includes('waiting')) await new Promise((r) => setTimeout(r, 10));
  const handler = g.interrupts[0]!;
  handler();
  handler();
  assert.deepEqual(g.exits, [130]);
  await again;
});

test('--help with an action: its fields, then the options', async () => {
  const f = fakeIO(['task.process', '--help']);
  assert.equal(await f.run(), 0);
  assert.match(f.out(), /--name <string>/);
  assert.match(f.out(), /OPTIONS\n$/);
});

test('a misspelt pkt option is a usage error naming the option meant', async () => {
  const f = fakeIO(['task.process', '--name', 'x', '--tiemout', '5']);
  assert.equal(await f.run(), 2);
  assert.equal(f.err(), 'pkt: unknown option --tiemout; did you mean --timeout?\n');
  assert.equal(f.out(), '');
});

test('--actions with --url is a usage error', async () => {
  const f = fakeIO(['task.process', '--actions', 'x']);
  assert.equal(await f.run(), 2);
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
  assert.equal(await f.run(), 1);
  assert.equal(f.err(), 'pkt: cannot write to stdout (ENOSPC: write failed); the output is incomplete: check where stdout goes\n');
});

test('a full disk while JSON Lines stream: the run stops, one line, exit 1', async () => {
  const f = fakeIO(['test.wait', '--json'], { stdout: failingStdout('ENOSPC') });
  assert.equal(await f.run(), 1);
  assert.equal(f.err().trim().split('\n').length, 1, f.err());
  assert.match(f.err(), /^pkt: cannot write to stdout \(ENOSPC/);
});

test('EPIPE on stdout is the reader leaving: quiet, exit 0', async () => {
  const f = fakeIO(['task.process', '--name', 'x', '--steps', '1', '--delayMs', '0', '-q'], { stdout: failingStdout('EPIPE') });
  assert.equal(await f.run(), 0);
  assert.equal(f.err(), '');
});

test('--timeout without a positive number of ms is a usage error saying what it wants', async () => {
  for (const tokens of [['--timeout'], ['--timeout', '--json'], ['--timeout', 'soon'], ['--timeout', '0'], ['--timeout', '-5'], ['--timeout=']]) {
    const f = fakeIO(['task.process', '--name', 'x', ...tokens]);
    assert.equal(await f.run(), 2, tokens.join(' '));
    assert.match(f.err(), /^pkt: --timeout (needs a value|wants a positive number of ms).*--timeout 30000/, tokens.join(' '));
  }
});

test('--input - on a terminal says what it is waiting for', async () => {
  const stdin: PassThrough & { isTTY?: boolean } = new PassThrough();
  stdin.isTTY = true;
  const f = fakeIO(['task.process', '--input', '-', '--steps', '1', '--delayMs', '0', '-q'], { stdin });
  const run = f.run();
  stdin.end('{"name":"typed"}');
  assert.equal(await run, 0, f.err());
  assert.equal(f.err(), 'pkt: reading the input as JSON from stdin (end with Ctrl-D)\n');
});

test('input nested deeper than the protocol allows: exit 2, how deep and the limit', async () => {
  const text = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
  const f = fakeIO(['task.process', '--input', '@deep.json'], { readFile: async () => text });
  assert.equal(await f.run(), 2);
  assert.match(f.err(), /^pkt: the input nests 100000 levels deep; servers take at most 64\n/);
});

