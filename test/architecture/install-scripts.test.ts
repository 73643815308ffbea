// Issue 11 §10: `npm install` prints no warning of pkt's own making. npm 11 warns about every
// installed package whose install script package.json's `allowScripts` does not cover (and
// npm 12 skips those scripts). The lockfile marks such packages `hasInstallScript`, so every
// one of them must have its entry.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
};

test('every installed package with an install script has its allowScripts entry', () => {
  const allowed = pkg.allowScripts ?? {};
  const withScripts = Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && p.hasInstallScript)
    .map(([path, p]) => ({ name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), version: p.version }));
  assert.ok(withScripts.length > 0, 'the lockfile lists esbuild, which has an install script');
  const uncovered = withScripts.filter(({ name, version }) => allowed[name] === undefined && allowed[`${name}@${version}`] === undefined);
  assert.deepEqual(
    uncovered.map((p) => `${p.name}@${p.version}`),
    [],
    'approve them with `npm install-scripts approve <name> --no-allow-scripts-pin` (or deny them), so npm install stays quiet',
  );
});
