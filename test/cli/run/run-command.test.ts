// runCommand with a fake process around it: streams, argv, Ctrl-C and exit are all injected.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
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

function fakeIO(tokens: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const interrupts: (() => void)[] = [];
  const exits: number[] = [];
  const io: RunCommandIO = {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env: { PKT_URL: server.url },
    tokens,
    readFile: async () => '{}',
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
