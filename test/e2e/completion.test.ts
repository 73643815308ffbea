// Issue 11 §8: bash completion through the script `pkt completion` prints, as a shell runs it:
// the completion function called with COMP_WORDS and COMP_CWORD, COMPREPLY read back. HOME and
// XDG_CACHE_HOME point into a temporary folder, which is where the manifests are cached.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer, type PktServer } from '../../src/server/index.js';
import { BIN, cliEnv, ensureBuilt } from '../cli/helpers/pkt-process.js';

const hasBash = spawnSync('bash', ['-c', 'type compgen mapfile']).status === 0;
const skip = !hasBash && process.env.CI !== 'true' ? 'bash is not installed' : false;
let home: string;
let server: PktServer;

before(async () => {
  ensureBuilt();
  home = await mkdtemp(join(tmpdir(), 'pkt-completion-'));
  // `pkt` on the PATH, as the script calls it.
  await mkdir(join(home, 'bin'));
  await writeFile(join(home, 'bin', 'pkt'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
  await chmod(join(home, 'bin', 'pkt'), 0o755);
  server = await startServer({ port: 0 });
});
after(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});

/** COMPREPLY for the words typed so far (the last one being completed). */
async function complete(words: string[], env: Record<string, string> = {}): Promise<string[]> {
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `source <(pkt completion); COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _pkt_yargs_completions; printf '%s\\n' "\${COMPREPLY[@]}"`;
  // Not spawnSync: the test's own server must go on answering meanwhile.
  const child = spawn('bash', ['-c', script], {
    env: cliEnv({ HOME: home, XDG_CACHE_HOME: join(home, 'cache'), PATH: `${join(home, 'bin')}:${process.env.PATH}`, ...env }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '', 'completion prints nothing on stderr');
  return stdout.split('\n').filter(Boolean).sort();
}

describe('bash completion', { skip }, () => {
  test('commands', async () => {
    assert.deepEqual(await complete(['pkt', '']), ['attach', 'cancel', 'completion', 'list', 'run', 'runs', 'serve', 'worker']);
    assert.deepEqual(await complete(['pkt', 'se']), ['serve']);
  });

  test("pkt's options, long names only: no --h or --q", async () => {
    const run = await complete(['pkt', 'run', '--']);
    for (const o of ['--json', '--quiet', '--url', '--no-stream', '--timeout', '--help']) assert.ok(run.includes(o), `${o} in ${run.join(' ')}`);
    assert.ok(!run.includes('--h') && !run.includes('--q'), run.join(' '));
    assert.deepEqual(await complete(['pkt', 'serve', '--p']), ['--port']);
  });

  test('action names from the embedded server, then cached for a minute in the XDG cache folder', async () => {
    assert.deepEqual(await complete(['pkt', 'run', '']), ['demo.fail', 'demo.firehose', 'task.process']);
    assert.deepEqual(await complete(['pkt', 'run', 'task.']), ['task.process']);
    const cached = await readdir(join(home, 'cache', 'pkt'));
    assert.ok(cached.some((f) => /^manifest-.*\.json$/.test(f)), cached.join(' '));
  });

  test('action names from --url and from PKT_URL', async () => {
    assert.deepEqual(await complete(['pkt', 'run', '--url', server.url, 'task']), ['task.process']);
    assert.deepEqual(await complete(['pkt', 'run', 'demo.f'], { PKT_URL: server.url }), ['demo.fail', 'demo.firehose']);
  });

  test("an action's fields as flags, with pkt's options", async () => {
    const flags = await complete(['pkt', 'run', 'task.process', '--']);
    for (const f of ['--name', '--steps', '--delayMs', '--json']) assert.ok(flags.includes(f), `${f} in ${flags.join(' ')}`);
    assert.deepEqual(await complete(['pkt', 'run', 'task.process', '--name', 'x', '--st']), ['--steps', '--stream'].filter((f) => flags.includes(f)));
  });
});
