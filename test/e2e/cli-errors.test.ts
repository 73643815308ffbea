// Issue 11 §6: errors a person can act on, as the built CLI prints them in its own process.
// Each names what to change (the flag, the URL, the command), says it once, and exits 2 for a
// usage mistake, or 69 when no action server answers.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startServer, type PktServer } from '../../src/server/index.js';
import { ROOT, ensureBuilt, runPkt } from '../cli/helpers/pkt-process.js';

const T = { timeout: 90_000 };
let dir: string;
let server: PktServer;
let staticServer: Server;
let staticUrl: string;

const count = (text: string, part: string) => text.split(part).length - 1;

// zod and pkt/server by absolute URL: the folder is outside the clone.
const ACTIONS = (zod: string, pkt: string) => ({
  'numbers.mjs': `
import { z } from ${JSON.stringify(zod)};
import { defineAction } from ${JSON.stringify(pkt)};
export default defineAction({
  input: z.object({ any: z.number().int().optional(), some: z.number().int().min(1).optional() }),
  call: (input) => input,
});`,
  // A rule the JSON Schema cannot carry: only the server can refuse it (a 422).
  'order.mjs': `
import { z } from ${JSON.stringify(zod)};
import { defineAction } from ${JSON.stringify(pkt)};
export default defineAction({
  input: z.object({ from: z.number(), to: z.number() }).refine((v) => v.from < v.to, { message: 'must be more than --from', path: ['to'] }),
  call: (input) => input,
});`,
});

before(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'pkt-errors-'));
  await mkdir(join(dir, 'actions', 'check'), { recursive: true });
  const files = ACTIONS(import.meta.resolve('zod'), pathToFileURL(join(ROOT, 'dist', 'server.js')).href);
  for (const [name, code] of Object.entries(files)) await writeFile(join(dir, 'actions', 'check', name), code);
  server = await startServer({ port: 0, actionsDirs: [join(dir, 'actions')] });
  // A static file server: every path is a 404 page in HTML, and POST is not supported.
  staticServer = createServer((req, res) => {
    const status = req.method === 'GET' ? 404 : 501;
    res.writeHead(status, { 'Content-Type': 'text/html' });
    res.end(`<html><head><title>Error response</title></head><body><h1>Error response</h1><p>Error code: ${status}</p></body></html>`);
  });
  await new Promise<void>((resolve) => staticServer.listen(0, '127.0.0.1', resolve));
  staticUrl = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}`;
});
after(async () => {
  await server.close();
  await new Promise((resolve) => staticServer.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('errors a person can act on', () => {
  test('input against the schema, before anything is sent: the flag named, once, exit 2', T, async () => {
    const r = await runPkt(['run', 'task.process', '--name', 'foo', '--steps', '0']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(count(r.stderr, '--steps must be ≥ 1'), 1, r.stderr);
    assert.doesNotMatch(r.stderr, /Too small|expected number/);
  });

  test('a 422 from the server names the flag and says it once', T, async () => {
    const r = await runPkt(['run', 'check.order', '--from', '5', '--to', '1', '--url', server.url]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(count(r.stderr, 'must be more than --from'), 1, r.stderr);
    assert.match(r.stderr, /^pkt: invalid input for check\.order:\n {2}--to: must be more than --from\n/);
  });

  test('a server that is no action server: its URL, its status, and what that means; exit 69', T, async () => {
    const r = await runPkt(['run', 'task.process', '--name', 'x', '--url', staticUrl]);
    assert.equal(r.code, 69, r.stderr);
    // (After the note that, with no manifest, the field flags go as typed.)
    assert.match(r.stderr, new RegExp(`^pkt: ${staticUrl}/_piko/actions/task\\.process answered 501 .*: ${staticUrl} does not look like an action server`, 'm'));
  });

  test('a misspelt command or option: did you mean', T, async () => {
    const runn = await runPkt(['runn', 'task.process']);
    assert.equal(runn.code, 2);
    assert.match(runn.stderr, /^pkt: unknown command runn; did you mean `pkt run`\?/);
    const prot = await runPkt(['serve', '--prot', '1']);
    assert.equal(prot.code, 2);
    assert.match(prot.stderr, /^pkt: unknown option --prot \(did you mean --port\?\)/);
  });

  test('an unknown action with no close name points at pkt list, with the --url given', T, async () => {
    const embedded = await runPkt(['run', 'zzz.yyy']);
    assert.equal(embedded.code, 2);
    assert.match(embedded.stderr, /^pkt: no action named zzz\.yyy; `pkt list` shows the actions there are\n/);
    assert.doesNotMatch(embedded.stderr, /_piko/);
    const remote = await runPkt(['run', 'zzz.yyy', '--url', server.url]);
    assert.match(remote.stderr, new RegExp(`\`pkt list --url ${server.url}\``));
  });

  test('pkt -h is help', T, async () => {
    const r = await runPkt(['-h']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Commands:/);
  });

  test('integer fields: no safe-integer bounds in the help, the bounds that were set kept', T, async () => {
    const r = await runPkt(['run', 'check.numbers', '--help', '--url', server.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /9007199254740991/);
    assert.match(r.stdout, /--any <integer>\s*\n/);
    assert.match(r.stdout, /--some <integer>\s+\[≥ 1\]/);
  });
});
