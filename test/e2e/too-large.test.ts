// Issue 12 item 2, as a person meets it: `pkt run --input @big.json` against a server whose
// body limit is smaller says the input is too large, names the limit, and exits 2; never
// "cannot reach the server (EPIPE)". npm test runs 20 tries (each is a process);
// `npm run stress` runs 100.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { defineAction, startServer, type PktServer } from '../../src/server/index.js';
import { ensureBuilt, runPkt } from '../cli/helpers/pkt-process.js';

const TRIES = 20;
let dir: string;
let server: PktServer;
let file: string;

before(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'pkt-too-large-'));
  file = join(dir, 'big.json');
  // A valid input of 2 MB: only its size is wrong. The action takes any input (it has no
  // schema), so pkt run's own check before sending passes it on to the server.
  await writeFile(file, JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }));
  const echo = defineAction({ call: (input: unknown) => input, async streamProgress(input, stream) { await stream.sendComplete(input); } });
  server = await startServer({ port: 0, actions: { 'x.echo': echo } });
});
after(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test(`pkt run --input @2MB.json: ${TRIES}/${TRIES} exit 2 saying the input is too large and naming the limit`, { timeout: 180_000 }, async () => {
  const outcomes: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < TRIES) {
        // Every other try takes the plain call (--no-stream), the other path through the client.
        const plain = next++ % 2 === 1;
        const r = await runPkt(['run', 'x.echo', '--url', server.url, '--input', `@${file}`, ...(plain ? ['--no-stream'] : [])]);
        const line = r.stderr.trim().split('\n').at(-1) ?? '';
        const key = `exit ${r.code}: ${line.replace(/\d{4,}/g, 'N')}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
    }),
  );
  assert.deepEqual(Object.values(outcomes), [TRIES], JSON.stringify(outcomes, null, 2));
  const [only] = Object.keys(outcomes);
  assert.match(only!, /^exit 2: /);
  assert.match(only!, /the input is too large: this server takes at most 1 MiB \(N bytes\) in a request body/);
});
