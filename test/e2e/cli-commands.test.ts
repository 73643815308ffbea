// Issue 3 §2, §6, §7: help for an action's fields, `pkt list`, `pkt completion`, a server
// without a manifest (Piko), and Ink staying out of start-up.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFixture, type FixtureServer } from '../client/fixture-server.js';
import { ROOT, ensureBuilt, runPkt } from '../cli/helpers/pkt-process.js';

const T = { timeout: 60_000 };

before(() => ensureBuilt());

describe('help and listing', () => {
  test('pkt --help documents the exit codes', T, async () => {
    const r = await runPkt(['--help']);
    assert.equal(r.code, 0);
    for (const code of ['0', '1', '2', '69', '124', '130']) assert.match(r.stdout, new RegExp(`^  ${code} +\\S`, 'm'));
  });

  test("pkt run task.process --help lists the action's fields, then the options", T, async () => {
    const r = await runPkt(['run', 'task.process', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /--name <string> +a name for the task \[required\]/);
    assert.match(r.stdout, /--steps <integer> +how many steps to run \[default: 5\] \[1\.\.10000\]/);
    assert.match(r.stdout, /--delayMs <integer>/);
    assert.match(r.stdout, /--timeout/);
  });

  test('pkt with no command says what to do, and points at --help once', T, async () => {
    const r = await runPkt([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^pkt: Name a command/);
    assert.equal(r.stderr.split('pkt --help').length - 1, 1, r.stderr);
  });

  test('pkt run with no action says what to do', T, async () => {
    const r = await runPkt(['run']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /name an action.*pkt list/);
  });

  test('pkt list: each action, whether it streams, its fields', T, async () => {
    const r = await runPkt(['list']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^task\.process  streams  Processes a task/m);
    assert.match(r.stdout, /^ {4}--steps <integer>/m);
    assert.match(r.stdout, /^demo\.fail  streams/m);
  });

  test('pkt list --json is the manifest', T, async () => {
    const r = await runPkt(['list', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const manifest = JSON.parse(r.stdout) as { version: number; actions: { name: string; streams: boolean }[] };
    assert.equal(manifest.version, 1);
    assert.ok(manifest.actions.some((a) => a.name === 'task.process' && a.streams));
  });

  test('pkt completion prints a shell completion script', T, async () => {
    const r = await runPkt(['completion']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pkt --get-yargs-completions/);
  });
});

describe('a server without a manifest (a Piko stand-in)', () => {
  let piko: FixtureServer;
  before(async () => {
    piko = await startFixture((req, res) => {
      // Piko's router answers any path it has no route for (the manifest included) this way.
      if (req.method === 'GET' || req.path !== '/_piko/actions/task.Process') {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('404 page not found');
        return;
      }
      // Piko's framing: no ids, no retry, and the body echoed back as the result.
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('event: progress\ndata: {"percent":50,"message":"half"}\n\n');
      res.end(`event: complete\ndata: ${req.body}\n\n`);
    });
  });
  after(() => piko.close());

  test('--field value flags still work: JSON where it parses, else a string', T, async () => {
    const r = await runPkt(['run', 'task.Process', '--url', piko.url, '--name', 'foo', '--count', '5', '--ok', '--tags', '["a"]', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; id: string | null; data: unknown });
    assert.deepEqual(lines[0], { event: 'progress', id: null, data: { percent: 50, message: 'half' } });
    assert.deepEqual(lines[1], { event: 'complete', id: null, data: { name: 'foo', count: 5, ok: true, tags: ['a'] } });
  });

  test('--input works, and --help says there is no description', T, async () => {
    const r = await runPkt(['run', 'task.Process', '--url', piko.url, '--input', '{"name":"in"}', '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { name: 'in' });
    const help = await runPkt(['run', 'task.Process', '--url', piko.url, '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /publishes no description/);
  });

  test("an action it does not have: pkt names the action and the URL it tried, and what to check", T, async () => {
    const r = await runPkt(['run', 'task.Nope', '--url', piko.url, '--name', 'x']);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(
      r.stderr.includes(`pkt: no action task.Nope at ${piko.url}/_piko/actions/task.Nope (the server answered 404: 404 page not found); this server lists no actions (as a Piko server lists none): check the name, in its exact case, in the server's docs`),
      r.stderr,
    );
  });

  test('--url may be the actions URL that pkt serve prints', T, async () => {
    const r = await runPkt(['run', 'task.Process', '--url', `${piko.url}/_piko/actions`, '--input', '{"name":"in"}', '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { name: 'in' });
  });

  test('pkt list explains that there is nothing to list', T, async () => {
    const r = await runPkt(['list', '--url', piko.url]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /publishes no list of actions/);
  });
});

describe('start-up', () => {
  test('what `pkt` loads before it has drawn: no Ink, React, yargs, zod, eventsource or tsx', () => {
    // The build's metafile: each output's modules, and its imports, static or dynamic.
    const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8')) as {
      outputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, unknown> }>;
    };
    const seen = new Set<string>();
    const modules = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const output = meta.outputs[file]!;
      for (const input of Object.keys(output.inputs)) modules.add(input);
      for (const i of output.imports) {
        if (i.kind === 'import-statement' && !i.external) visit(i.path);
        else if (i.kind === 'import-statement') modules.add(i.path);
      }
    };
    visit('dist/cli.js');
    assert.ok(modules.has('src/cli/main.ts'), 'the walk found the entry (sanity check)');
    const packages = new Set([...modules].filter((m) => m.startsWith('node_modules/')).map((m) => m.split('/')[1]));
    for (const name of ['ink', 'react', 'react-reconciler', 'yoga-layout', 'yargs', 'tsx', 'zod', 'eventsource']) {
      assert.ok(!packages.has(name), `${name} loads at start-up`);
    }
  });
});

describe('without --redis', () => {
  test('the server and pkt serve load no Redis client: BullMQ and ioredis come only by dynamic import', () => {
    const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8')) as {
      outputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, unknown> }>;
    };
    const staticReach = (file: string) => {
      const seen = new Set<string>();
      const found = new Set<string>();
      const visit = (f: string) => {
        if (seen.has(f)) return;
        seen.add(f);
        for (const input of Object.keys(meta.outputs[f]!.inputs)) found.add(input);
        for (const i of meta.outputs[f]!.imports) {
          if (i.kind !== 'import-statement') continue;
          if (i.external) found.add(i.path);
          else visit(i.path);
        }
      };
      visit(file);
      return found;
    };
    const outputOf = (source: string) => Object.keys(meta.outputs).find((f) => f.endsWith('.js') && source in meta.outputs[f]!.inputs)!;
    const serveChunk = outputOf('src/cli/run/serve-command.ts');
    for (const start of ['dist/server.js', serveChunk]) {
      const reach = staticReach(start);
      assert.ok(!reach.has('bullmq') && !reach.has('ioredis'), `${start} loads a Redis client at start-up`);
      assert.ok(![...reach].some((m) => m.startsWith('src/server/redis/')), `${start} loads the Redis side at start-up`);
    }
    // The walk does find them where they are (a sanity check of the test itself).
    const front = staticReach(outputOf('src/server/redis/front.ts'));
    assert.ok(front.has('bullmq') && front.has('ioredis'));
  });
});
