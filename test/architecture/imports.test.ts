// The import rules of docs/DESIGN.md, checked: dependency-cruiser reads every import under src/
// with the rules in .dependency-cruiser.cjs, and each break fails this test by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/broken/', import.meta.url));

/** Cruises `src` under `baseDir` with the project's rules. */
async function cruiseSrc(baseDir: string): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(`${root}.dependency-cruiser.cjs`);
  const tsConfig = extractTSConfig(`${root}tsconfig.json`);
  const { output } = await cruise(['src'], { ...options, baseDir }, {}, { tsConfig });
  assert.equal(typeof output, 'object', 'the cruise gives a result, not a report');
  return output as ICruiseResult;
}

function violations(result: ICruiseResult): string[] {
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

test('every import under src/ keeps the rules of .dependency-cruiser.cjs', async () => {
  const result = await cruiseSrc(root);

  // Not green by having read nothing: every source file is in the graph, every import resolved
  // (`./x.js` to x.ts, through the tsconfig), and the parts do import each other.
  const sources = readdirSync(`${root}src`, { recursive: true }).filter((f) => /\.tsx?$/.test(String(f)));
  const cruised = result.modules.filter((m) => m.source.startsWith('src/'));
  assert.equal(cruised.length, sources.length, 'every file under src/ is cruised');
  const unresolved = result.modules.flatMap((m) => m.dependencies.filter((d) => d.couldNotResolve).map((d) => `${m.source} → ${d.module}`));
  assert.deepEqual(unresolved, [], 'every import resolves');
  const acrossParts = cruised.flatMap((m) =>
    m.dependencies.filter((d) => d.resolved.startsWith('src/') && d.resolved.split('/')[1] !== m.source.split('/')[1]),
  );
  assert.ok(acrossParts.length > 50, `${acrossParts.length} imports between parts`);

  assert.deepEqual(violations(result), [], 'imports that break the rules (see .dependency-cruiser.cjs for each rule\'s reason)');
});

test('the rules catch a break: a small tree that breaks them is reported, import by import', async () => {
  const found = violations(await cruiseSrc(fixture));
  for (const expected of [
    'protocol-imports-nothing: src/protocol/wire.ts → src/server/runs.ts',
    // The cruiser names a builtin without its node: prefix.
    'protocol-imports-nothing: src/protocol/wire.ts → fs',
    'cli-ui-does-not-import-cli-output: src/cli/ui/view.ts → src/cli/output/mode.ts',
    'no-cycle-between-folders: src/cli/ui → src/cli/output',
  ]) {
    assert.ok(found.includes(expected), `${expected}\nnot among:\n${found.join('\n')}`);
  }
  // A cycle is reported from whichever of its modules the cruise meets first.
  assert.ok(
    found.some((v) => /^no-cycle-between-modules: src\/cli\/(ui\/view|output\/mode)\.ts → /.test(v)),
    `no module cycle among:\n${found.join('\n')}`,
  );
});
