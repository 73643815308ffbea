// Issue 11 §7: an action file in a folder of its own, outside the clone and with no
// node_modules, imports `pkt/server` and `zod`, and loads with `--actions DIR`: through tsx as
// CommonJS (a folder without "type": "module", as the README's example), and as an ES module.
// A folder with its own copy of a package keeps it.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, ensureBuilt, runPkt, startPkt, until } from '../cli/helpers/pkt-process.js';

const T = { timeout: 90_000 };
let dir: string;

// The README's example, as a person would copy it.
const BUILD = `
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineAction } from 'pkt/server';

export default defineAction({
  description: 'Builds a report',
  input: z.object({ pages: z.number().int().min(1).default(3) }),
  call: ({ pages }) => ({ pages, status: 'built' }),
  async streamProgress({ pages }, stream) {
    for (let page = 1; page <= pages; page++) {
      await sleep(10, undefined, { signal: stream.signal });
      await stream.send('progress', { step: page, total: pages, message: \`page \${page}\` });
    }
    await stream.sendComplete({ pages, status: 'built' });
  },
});
`;

// pkt/server's ActionError, thrown: its status and code survive only if it is the server's own class.
const REFUSE = `
import { ActionError, defineAction } from 'pkt/server';
export default defineAction({ call: () => { throw new ActionError(409, 'TAKEN', 'that report is being built already'); } });
`;

async function files(folder: string, contents: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(contents)) {
    await mkdir(join(folder, path, '..'), { recursive: true });
    await writeFile(join(folder, path), text);
  }
}

before(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'pkt-anywhere-'));
  assert.ok(!dir.startsWith(ROOT), 'the folder is outside the clone');
  await files(join(dir, 'commonjs'), { 'report/build.ts': BUILD, 'report/refuse.ts': REFUSE });
  await files(join(dir, 'esm'), { 'package.json': '{"type":"module"}', 'report/build.ts': BUILD, 'report/refuse.ts': REFUSE, 'report/plain.mjs': BUILD.replace(/: \{ pages \}/g, '') });
  // A folder with a zod of its own, which must win over pkt's.
  await files(join(dir, 'own'), {
    'package.json': '{"type":"module"}',
    'node_modules/zod/package.json': '{"name":"zod","type":"module","exports":"./index.js"}',
    'node_modules/zod/index.js': "export const z = { which: 'the folder\\'s own zod' };",
    'which/zod.mjs': "import { z } from 'zod';\nimport { defineAction } from 'pkt/server';\nexport default defineAction({ call: () => ({ zod: z.which }) });\n",
  });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an actions folder anywhere', () => {
  test('a .ts file loaded as CommonJS: pkt/server and zod from pkt, the input checked, the result back', T, async () => {
    const r = await runPkt(['run', 'report.build', '--actions', join(dir, 'commonjs'), '--pages', '2', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; data: unknown });
    assert.deepEqual(lines.map((l) => l.event), ['progress', 'progress', 'complete']);
    assert.deepEqual(lines.at(-1)!.data, { pages: 2, status: 'built' });
    const bad = await runPkt(['run', 'report.build', '--actions', join(dir, 'commonjs'), '--pages', '0']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--pages must be ≥ 1/, 'zod made the schema in the manifest');
  });

  test("pkt/server is the running server's own: an ActionError keeps its status and code", T, async () => {
    const r = await runPkt(['run', 'report.refuse', '--actions', join(dir, 'commonjs'), '--no-stream']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /that report is being built already/);
  });

  test('an ActionError from an ES module keeps its status and code too (tsx loads its own copy of pkt/server)', T, async () => {
    const r = await runPkt(['run', 'report.refuse', '--actions', join(dir, 'esm'), '--no-stream']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^pkt: that report is being built already/m);
  });

  test('ES modules too: .ts under "type": "module", and .mjs', T, async () => {
    for (const action of ['report.build', 'report.plain']) {
      const r = await runPkt(['run', action, '--actions', join(dir, 'esm'), '--pages', '1', '-q']);
      assert.equal(r.code, 0, `${action}: ${r.stderr}`);
      assert.deepEqual(JSON.parse(r.stdout), { pages: 1, status: 'built' });
    }
  });

  test("the folder's own copy of a package wins", T, async () => {
    const r = await runPkt(['run', 'which.zod', '--actions', join(dir, 'own'), '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { zod: "the folder's own zod" });
  });

  test('pkt serve --actions DIR serves them', T, async () => {
    const serve = startPkt(['serve', '--port', '0', '--actions', join(dir, 'commonjs')]);
    try {
      await until(() => /pkt serving on (\S+)/.test(serve.stdout()) || serve.child.exitCode !== null, 'pkt serve to start');
      const url = /pkt serving on (\S+)/.exec(serve.stdout())?.[1];
      assert.ok(url, serve.stderr());
      assert.match(serve.stdout(), /report\.build\s+streams\s+Builds a report/);
      const answer = await fetch(`${url}/_piko/actions/report.build`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"pages":4}' });
      assert.deepEqual(await answer.json(), { pages: 4, status: 'built' });
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });
});
