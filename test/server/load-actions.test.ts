import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ActionLoadError, loadActionsDir } from '../../src/server/load-actions.js';
import { ActionRegistry } from '../../src/server/registry.js';

const serverIndex = new URL('../../src/server/index.ts', import.meta.url).pathname;

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pkt-actions-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const tsAction = `import { defineAction } from ${JSON.stringify(serverIndex)};
const greeting: string = 'hi';
export default defineAction({ description: 'ts', call: (input: { who?: string }) => greeting + ' ' + (input.who ?? '') });`;

test('names come from paths; .ts goes through tsx, .js loads as is; tests and types are skipped', async () => {
  const dir = await folder({
    'task/process.ts': tsAction,
    'admin/users/delete.js': `export default { [Symbol.for('pkt.action')]: true, call: () => 'deleted' };`,
    'task/process.test.ts': 'throw new Error("not an action")',
    'types.d.ts': 'export type X = 1;',
  });
  try {
    const registry = new ActionRegistry();
    const names = await loadActionsDir(dir, registry);
    assert.deepEqual(names.sort(), ['admin.users.delete', 'task.process']);
    assert.equal(await registry.get('task.process')!.action.call({ who: 'you' }, { signal: new AbortController().signal }), 'hi you');
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('a file that fails to load names the file and says why', async () => {
  const dir = await folder({ 'broken.ts': 'export default defineAction({ call( });' });
  try {
    await assert.rejects(loadActionsDir(dir, new ActionRegistry()), (err: Error) => {
      assert.ok(err instanceof ActionLoadError);
      assert.match(err.message, /broken\.ts: failed to load: /);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('a file that exports no action says what to export', async () => {
  const dir = await folder({ 'nothing.js': 'export const x = 1;' });
  try {
    await assert.rejects(loadActionsDir(dir, new ActionRegistry()), /nothing\.js: exports no action\. Write `export default defineAction/);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('a missing folder says so', async () => {
  await assert.rejects(loadActionsDir('/no/such/dir', new ActionRegistry()), /\/no\/such\/dir: cannot read the actions folder \(no such folder\)/);
});

test('files and folders starting with _ are helpers, not actions', async () => {
  const dir = await folder({
    '_shared/db.js': 'export const db = {};',
    'task/_util.js': 'export const x = 1;',
    'task/run.js': `export default { [Symbol.for('pkt.action')]: true, call: () => 'ran' };`,
  });
  try {
    assert.deepEqual(await loadActionsDir(dir, new ActionRegistry()), ['task.run']);
  } finally {
    await rm(dir, { recursive: true });
  }
});
