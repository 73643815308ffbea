import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { chooseOutputMode, createOutput } from '../../../src/cli/output/index.js';
import { colorEnabled } from '../../../src/cli/output/color.js';
import { Capture, fakeIO } from './helpers.js';

/** A stream that takes nothing until `release`: full as soon as a write passes its mark. */
class Held extends Capture {
  private held: Array<() => void> = [];
  override _write(chunk: Buffer | string, enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.held.push(() => super._write(chunk, enc, cb));
  }
  release(): void {
    for (const go of this.held.splice(0)) go();
  }
}

describe('chooseOutputMode', () => {
  const cases: Array<{ name: string; json?: boolean; quiet?: boolean; tty: boolean; env?: NodeJS.ProcessEnv; mode: string }> = [
    { name: 'a terminal gets the view', tty: true, mode: 'tui' },
    { name: 'a pipe gets plain lines', tty: false, mode: 'plain' },
    { name: 'TERM=dumb cannot redraw: plain lines', tty: true, env: { TERM: 'dumb' }, mode: 'plain' },
    { name: '--json on a terminal', json: true, tty: true, mode: 'json' },
    { name: '--json in a pipe', json: true, tty: false, mode: 'json' },
    { name: '--quiet on a terminal', quiet: true, tty: true, mode: 'quiet' },
    { name: '--json wins over --quiet', json: true, quiet: true, tty: true, mode: 'json' },
    { name: 'CI=true on a terminal: plain lines, since Ink would draw only the last frame', tty: true, env: { TERM: 'xterm', CI: 'true' }, mode: 'plain' },
    { name: 'CI=false on a terminal still gets the view', tty: true, env: { TERM: 'xterm', CI: 'false' }, mode: 'tui' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { io, stderr } = fakeIO({ env: c.env ?? { TERM: 'xterm-256color' } });
      stderr.isTTY = c.tty;
      assert.equal(chooseOutputMode({ json: c.json, quiet: c.quiet, io }), c.mode);
    });
  }
});

describe('colorEnabled', () => {
  const cases: Array<[string, NodeJS.ProcessEnv, boolean, boolean]> = [
    ['a terminal', {}, true, true],
    ['not a terminal', {}, false, false],
    ['NO_COLOR', { NO_COLOR: '1' }, true, false],
    ['an empty NO_COLOR does not count', { NO_COLOR: '' }, true, true],
    ['TERM=dumb', { TERM: 'dumb' }, true, false],
    ['FORCE_COLOR=0', { FORCE_COLOR: '0' }, true, false],
    ['FORCE_COLOR=1 wins over NO_COLOR, as in Node', { FORCE_COLOR: '1', NO_COLOR: '1' }, true, true],
    ['FORCE_COLOR without a terminal', { FORCE_COLOR: '1' }, false, true],
  ];
  for (const [name, env, isTTY, expected] of cases) {
    it(name, () => assert.equal(colorEnabled(env, { isTTY }), expected));
  }
});

describe('createOutput', () => {
  it('gives each mode its output', async () => {
    for (const mode of ['plain', 'json', 'quiet'] as const) {
      const { io, stdout } = fakeIO();
      const out = await createOutput(mode, io);
      out.start({ action: 'a', url: '', streaming: false });
      await out.finish({ ok: true, result: 1 });
      assert.equal(stdout.text, mode === 'json' ? '{"event":"complete","id":null,"data":1}\n' : '1\n', mode);
    }
  });

  it('plain, json and quiet are writable only when stdout and stderr are both below their high-water mark', async () => {
    for (const mode of ['plain', 'json', 'quiet'] as const) {
      for (const which of ['stdout', 'stderr'] as const) {
        const streams = { stdout: new Held(), stderr: new Held() };
        const out = await createOutput(mode, fakeIO(streams).io, { onStdoutClosed: () => {} });
        assert.ok(out.whenWritable, mode);
        await out.whenWritable();
        const full = streams[which];
        full.write('x'.repeat(full.writableHighWaterMark + 1));
        let ready = false;
        const waiting = out.whenWritable().then(() => (ready = true));
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(ready, false, `${mode}: a full ${which} holds the stream back`);
        full.release();
        await waiting;
      }
    }
  });

  it('bundled, Ink and React load only through a dynamic import', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const result = await build({
      absWorkingDir: root,
      entryPoints: ['src/cli/output/index.ts'],
      outdir: 'out',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const outputs = result.metafile.outputs;
    const entry = Object.keys(outputs).find((path) => outputs[path]?.entryPoint === 'src/cli/output/index.ts');
    assert.ok(entry, 'the entry was built');
    const staticGraph = staticImports(outputs, entry);
    const ui = ['ink', 'react', 'react/jsx-runtime'];
    assert.deepEqual([...staticGraph].filter((path) => ui.includes(path)), [], 'nothing static reaches Ink or React');
    // And the view is still reachable, through a dynamic import, so the check above means something.
    const dynamic = outputs[entry]!.imports.filter((i) => i.kind === 'dynamic-import');
    assert.ok(dynamic.length > 0);
    const lazy = new Set(dynamic.flatMap((i) => [...staticImports(outputs, i.path)]));
    assert.ok(lazy.has('ink') && lazy.has('react'), 'the lazy chunk brings Ink and React');
  });
});

/** Every path an output loads statically, itself included. */
function staticImports(outputs: Metafile['outputs'], from: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const i of outputs[path]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(from);
  return seen;
}
