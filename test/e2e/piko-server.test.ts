// Issue 13, §3 (second half): `pkt run --url`, the built CLI in its own process, against a
// stand-in with Piko's answers (test/helpers/piko-server.ts). One case per row S1..S13 of the
// second table of docs/PROTOCOL.md §7.

import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt, runPkt } from '../cli/helpers/pkt-process.js';
import { SEED_STEPS, startPikoStandIn, type PikoStandIn } from '../helpers/piko-server.js';

let piko: PikoStandIn;
let pikoDev: PikoStandIn;
let dir: string;

before(async () => {
  ensureBuilt();
  piko = await startPikoStandIn();
  pikoDev = await startPikoStandIn({ dev: true });
  dir = await mkdtemp(join(tmpdir(), 'pkt-piko-server-'));
});

after(async () => {
  await piko?.close();
  await pikoDev?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const T = { timeout: 60_000 };
const run = (args: string[], server: PikoStandIn = piko) => runPkt(['run', ...args, '--url', server.url]);
const jsonLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as { event: string; id: string | null; data: unknown });

/** Requests to actions the stand-in got from this point on (the manifest asked for is left out). */
function watch(server: PikoStandIn = piko): () => typeof server.requests {
  const from = server.requests.length;
  return () => server.requests.slice(from).filter((r) => r.method === 'POST');
}

describe("pkt run against a server with Piko's answers (PROTOCOL.md §7, second table)", () => {
  it('S1: no manifest: pkt list says so; a run sends field flags as typed, and says so; --help explains', T, async () => {
    const list = await runPkt(['list', '--url', piko.url]);
    assert.equal(list.code, 1);
    assert.match(list.stderr, /publishes no list of actions \(a Piko server has none\)/);

    const seen = watch();
    const r = await run(['task.Process', '--taskName', 'seed', '--no-stream']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no manifest to check field names against; sending "taskName" as typed/);
    assert.deepEqual(JSON.parse(seen().at(-1)!.body.toString()), { taskName: 'seed' });
    assert.deepEqual(JSON.parse(r.stdout), { taskName: 'seed', status: 'completed' });

    const help = await run(['task.Process', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Field flags are sent as given/);
    assert.match(help.stdout, /--taskName, not --name/);
  });

  it("S2: names are exact: task.process is a 404 that says Piko's names are case-sensitive and suggests task.Process", T, async () => {
    const r = await run(['task.process', '--taskName', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /404 page not found/);
    assert.match(r.stderr, /Piko's action names are case-sensitive \(package\.Struct\): try task\.Process/);
  });

  it('S3, S4: a stream is asked for with Accept exactly text/event-stream; no ids, no retry, heartbeats skipped', T, async () => {
    const seen = watch();
    const r = await run(['task.Process', '--taskName', 'seed', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(seen()[0]!.headers.accept, 'text/event-stream');
    const lines = jsonLines(r.stdout);
    assert.deepEqual(lines.map((l) => [l.event, l.id]), [...Array(SEED_STEPS).fill(['progress', null]), ['complete', null]]);
    assert.deepEqual(lines.at(-1)!.data, { status: 'done', message: 'All steps completed successfully.' });
  });

  it('S5: the {data, _helpers} envelope: the result is data, the helpers one line of --json', T, async () => {
    const r = await run(['contact.Submit', '--name', 'ada', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(jsonLines(r.stdout), [
      { event: 'helpers', id: null, data: [{ name: 'showToast', args: ['Thanks!', 'success'] }] },
      { event: 'complete', id: null, data: { id: 42, name: 'ada' } },
    ]);
    const plain = await run(['contact.Submit', '--name', 'ada']);
    assert.deepEqual(JSON.parse(plain.stdout), { id: 42, name: 'ada' });
    assert.match(plain.stderr, /^helpers \[\{"name":"showToast"/m);
  });

  it("S6: a 422 whose errors are strings shows each field with its flag, and that --name was not the field it wanted", T, async () => {
    const r = await run(['task.Process', '--name', 'foo', '--no-stream']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^ {2}--taskName: taskName is required$/m);
    assert.match(r.stderr, /field flags are sent as given; pkt sent --name; it asks for --taskName/);
  });

  it('S7: a 400 {error, details} shows both', T, async () => {
    const r = await run(['counter.Add', '--count', '"abc"']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pkt: Invalid request body: json: cannot unmarshal string into Go struct field \.count of type int/);
  });

  it('S8: an HTML error page (dev mode) is its status and <title>, not its CSS', T, async () => {
    const r = await run(['task.Missing', '--x', '1'], pikoDev);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /HTTP 404: an HTML page titled "404 - Page Not Found"/);
    assert.doesNotMatch(r.stderr, /font-family|background|<\w/);
  });

  it("S9: Piko's 500 is the action's failure: error:, exit 1", T, async () => {
    const r = await run(['task.Crash']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: an internal error occurred$/m);
  });

  it("S10: an error event with only a message fails the run with it", T, async () => {
    const r = await run(['task.Fail', '--json']);
    assert.equal(r.code, 1);
    assert.deepEqual(jsonLines(r.stdout).map((l) => l.event), ['progress', 'error']);
    assert.match(r.stderr, /^error: disk full$/m);
  });

  it('S11: a stream that ends with no terminal event is a failure (exit 1): no run id to re-attach to, so not retried, and not POSTed again', T, async () => {
    const seen = watch();
    const r = await run(['task.Broken']);
    assert.equal(r.code, 1);
    // pkt run re-attaches by default; with no run id it cannot, and says so at once.
    assert.match(r.stderr, /stream ended without completion \(the server sent no run id \(Pkt-Run-Id\), as a Piko server sends none, so there is no run to re-attach to; not retried/);
    assert.doesNotMatch(r.stderr, /reconnecting/);
    assert.equal(seen().length, 1, 'a second request would run the action again');
  });

  it('S12: input deeper than 32 levels is refused before sending, as Piko would refuse it', T, async () => {
    const seen = watch();
    const deep = `${'{"a":'.repeat(33)}1${'}'.repeat(33)}`;
    const r = await run(['task.Process', '--input', deep]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nests 33 levels deep; servers without a manifest, such as Piko, take at most 32/);
    assert.equal(seen().length, 0, 'nothing was sent to the action');
  });

  it('S13: --file field=@path sends the file as multipart/form-data, with the other fields as text', T, async () => {
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'piko ✓\n');
    const seen = watch();
    const r = await run(['files.Upload', '--file', `doc=@${path}`, '--title', 'Notes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(String(seen().at(-1)!.headers['content-type']), /^multipart\/form-data; boundary=/);
    assert.deepEqual(JSON.parse(r.stdout), { title: 'Notes', name: 'notes.txt', type: 'text/plain', size: Buffer.byteLength('piko ✓\n'), text: 'piko ✓\n' });
  });
});

describe('--file to pkt serve too (the embedded server)', () => {
  it('a z.file() field gets the file, streamed and plain; without it, pkt names the --file it needs', T, async () => {
    const actions = join(dir, 'actions');
    await mkdir(join(actions, 'files'), { recursive: true });
    await writeFile(
      join(actions, 'files', 'upload.ts'),
      `import { z } from 'zod';
import { defineAction } from 'pkt/server';
const read = async (doc: File) => ({ name: doc.name, type: doc.type, size: doc.size, text: await doc.text() });
export default defineAction({
  input: z.object({ title: z.string(), doc: z.file() }),
  call: async ({ title, doc }) => ({ title, ...(await read(doc)) }),
  async streamProgress({ title, doc }, stream) {
    await stream.send('progress', { message: 'reading ' + doc.name });
    await stream.sendComplete({ title, ...(await read(doc)) });
  },
});
`,
    );
    const path = join(dir, 'report.csv');
    await writeFile(path, 'a,b\n1,2\n');
    const expected = { title: 'R', name: 'report.csv', type: 'text/csv', size: 8, text: 'a,b\n1,2\n' };
    for (const extra of [[], ['--no-stream']]) {
      const r = await runPkt(['run', 'files.upload', '--actions', actions, '--file', `doc=@${path}`, '--title', 'R', ...extra]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), expected);
    }
    const help = await runPkt(['run', 'files.upload', '--actions', actions, '--help']);
    assert.match(help.stdout, /--doc <file>/);
    const missing = await runPkt(['run', 'files.upload', '--actions', actions, '--title', 'R']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--file doc=@path is required/);
    const noFile = await runPkt(['run', 'files.upload', '--actions', actions, '--title', 'R', '--file', `doc=@${join(dir, 'nope.txt')}`]);
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /cannot read the --file doc file .*nope\.txt: no such file/);
  });
});
