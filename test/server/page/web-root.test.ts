// Finding dist/web from wherever the code runs: src/ through tsx here, dist/ from the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultWebDir, findPackageRoot } from '../../../src/server/page/web-root.js';

test('the package root is the nearest folder above the module with a package.json', async (t) => {
  const tmp = await mkdtemp(join(tmpdir(), 'pkt-root-'));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  await writeFile(join(tmp, 'package.json'), '{}');
  await mkdir(join(tmp, 'dist', 'chunks'), { recursive: true });
  const bundled = pathToFileURL(join(tmp, 'dist', 'chunks', 'server-abc.js')).href;
  assert.equal(findPackageRoot(bundled), tmp);
});

test("from this checkout's sources, dist/web is the one at the repository root", () => {
  const root = findPackageRoot(import.meta.url)!;
  assert.equal(defaultWebDir(), join(root, 'dist', 'web'));
});
