// Issue 13, §3 (first half): `pkt serve`, the built CLI in its own process, driven by a client
// that follows Piko's client rules (test/helpers/piko-client.ts). One case per row C1..C11 of
// the first table of docs/PROTOCOL.md §7.

import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt, startPkt, until, type PktChild } from '../cli/helpers/pkt-process.js';
import { PIKO_BASE, PikoCallError, pikoBatch, pikoCall, pikoStream } from '../helpers/piko-client.js';
import { readPikoStream } from '../helpers/piko-reader.js';

const TOKENS = { action: 'signed-action-token', ephemeral: 'ephemeral-token' };
let dir: string;
let pkt: PktChild;
let url: string;

const ACTIONS: Record<string, string> = {
  // A schema that requires a file, and refuses keys it does not know (so stray tokens would show).
  'files/upload.ts': `
    import { z } from 'zod';
    import { defineAction } from 'pkt/server';
    export default defineAction({
      input: z.strictObject({ title: z.string(), copies: z.number().int(), doc: z.file() }),
      call: async ({ title, copies, doc }) => ({ title, copies, name: doc.name, type: doc.type, size: doc.size, text: await doc.text() }),
    });`,
  'util/strict.ts': `
    import { z } from 'zod';
    import { defineAction } from 'pkt/server';
    export default defineAction({
      input: z.strictObject({ name: z.string().min(2) }),
      call: ({ name }) => ({ hello: name }),
      async streamProgress({ name }, stream) {
        await stream.send('progress', { percent: 50, message: 'half' });
        await stream.sendComplete({ hello: name });
      },
    });`,
  // Tells what a reconnecting Piko client gets: a new run, with the id it last saw.
  'util/resume.ts': `
    import { defineAction } from 'pkt/server';
    export default defineAction({
      call: () => null,
      async streamProgress(_input, stream) {
        await stream.sendComplete({ lastEventId: stream.lastEventId });
      },
    });`,
};

before(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'pkt-piko-client-'));
  for (const [file, text] of Object.entries(ACTIONS)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  pkt = startPkt(['serve', '--port', '0', '--actions', dir]);
  await until(() => /pkt serving on http:\/\/127\.0\.0\.1:\d+/.test(pkt.stdout()) || pkt.child.exitCode !== null, 'pkt serve to start');
  const found = /pkt serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(pkt.stdout());
  assert.ok(found, `pkt serve did not start: ${pkt.stderr()}`);
  url = found[1]!;
});

after(async () => {
  if (pkt?.child.exitCode === null) {
    pkt.child.kill('SIGTERM');
    await pkt.exited;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

const T = { timeout: 30_000 };

describe("Piko's client against pkt serve (PROTOCOL.md §7, first table)", () => {
  it('C1: the name as Piko writes it, task.Process, reaches task.process', T, async () => {
    assert.deepEqual(await pikoCall(url, 'task.Process', [{ name: 'c1' }]), { taskName: 'c1', status: 'completed' });
  });

  it('C2: Accept exactly text/event-stream gets a stream; a plain call (no Accept) gets JSON', T, async () => {
    const streamed = await pikoStream(url, 'util.Strict', [{ name: 'c2' }]);
    assert.deepEqual(streamed.events.map((e) => e.type), ['progress', 'complete']);
    const res = await fetch(`${url}${PIKO_BASE}/util.Strict`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"c2"}' });
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), { hello: 'c2' });
  });

  it('C3: one object argument spread into the body is the input', T, async () => {
    assert.deepEqual(await pikoCall(url, 'util.strict', [{ name: 'c3' }]), { hello: 'c3' });
  });

  it("C4: the CSRF token (body, query, header) and the captcha token never reach the action's schema", T, async () => {
    // util.strict refuses unknown keys: these pass only because pkt takes the tokens out.
    assert.deepEqual(await pikoCall(url, 'util.strict', [{ name: 'c4', _captcha_token: 'cap' }], TOKENS), { hello: 'c4' });
    const { result } = await pikoStream(url, 'util.strict', [{ name: 'c4', _captcha_token: 'cap' }], { tokens: TOKENS });
    assert.deepEqual(result, { hello: 'c4' });
  });

  it('C5: an input holding a File goes as multipart: text fields typed, the file whole', T, async () => {
    const doc = new File(['piko ✓'], 'notes.txt', { type: 'text/plain' });
    // copies: 2 goes as the text "2" (String(value)), as Piko's client sends every non-file value.
    const result = await pikoCall(url, 'files.upload', [{ title: 'c5', copies: 2, doc }], TOKENS);
    assert.deepEqual(result, { title: 'c5', copies: 2, name: 'notes.txt', type: 'text/plain', size: Buffer.byteLength('piko ✓'), text: 'piko ✓' });
    // And the schema still rules: text that is no number, or no file at all, is a 422 naming the field.
    await assert.rejects(pikoCall(url, 'files.upload', [{ title: 'c5', copies: 'two', doc: new Blob(['x']) }]), (err: PikoCallError) => {
      assert.equal(err.error.status, 422);
      assert.deepEqual(Object.keys(err.error.validationErrors ?? {}), ['copies']);
      return true;
    });
    await assert.rejects(pikoCall(url, 'files.upload', [{ title: 'c5', copies: 1 }]), (err: PikoCallError) => {
      assert.deepEqual([err.error.status, Object.keys(err.error.validationErrors ?? {})], [422, ['doc']]);
      return true;
    });
  });

  it("C6: batch() in Piko's shape: every entry with its own status", T, async () => {
    const answer = (await pikoBatch(url, [
      { action: 'util.strict', args: [{ name: 'c6' }] },
      { action: 'util.strict', args: [{ name: 'x' }] },
      { action: 'task.Process', args: [{ taskName: 'c6' }] },
      { action: 'no.Such', args: [] },
    ])) as { results: Array<{ name: string; status: number; data?: unknown; code?: string }>; success: boolean };
    assert.deepEqual(answer.results.map((r) => [r.name, r.status]), [['util.strict', 200], ['util.strict', 422], ['task.Process', 200], ['no.Such', 404]]);
    assert.deepEqual(answer.results[0]!.data, { hello: 'c6' });
    assert.deepEqual(answer.results[2]!.data, { taskName: 'c6', status: 'completed' });
    assert.equal(answer.success, false);
  });

  it("C7, C8: Piko's loose parser reads pkt's stream, heartbeat comments skipped, the same events as sent", T, async () => {
    const res = await fetch(`${url}${PIKO_BASE}/task.Process`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ name: 'c7', steps: 3, delayMs: 0 }),
    });
    const events = await readPikoStream(res);
    assert.deepEqual(events.map((e) => [e.type, e.id]), [['progress', '1'], ['progress', '2'], ['progress', '3'], ['complete', '4']]);
    assert.deepEqual(events[0]!.data, { step: 1, total: 3, percent: 33, message: 'Processing c7: step 1 of 3' });
  });

  it("C9: Piko's reconnect POSTs again with Last-Event-ID: a new run, which the action is told of", T, async () => {
    const { result } = await pikoStream(url, 'util.Resume', [{}], { lastEventId: '3' });
    assert.deepEqual(result, { lastEventId: '3' });
  });

  it("C10: errors read the way Piko's client reads them: message, and a 422's errors per field", T, async () => {
    await assert.rejects(pikoCall(url, 'util.strict', [{ name: 'x' }]), (err: PikoCallError) => {
      assert.equal(err.error.status, 422);
      assert.match(err.error.message, /name/);
      assert.deepEqual(Object.keys(err.error.validationErrors ?? {}), ['name']);
      return true;
    });
    await assert.rejects(pikoCall(url, 'task.Nope', [{}]), (err: PikoCallError) => {
      assert.equal(err.error.status, 404);
      assert.match(err.error.message, /no action named task\.Nope/);
      return true;
    });
  });

  it("C11: the seed's progress-tracker page, action.task.Process({ taskName }), gets 5 progress events and complete", T, async () => {
    const progress: Array<[unknown, string]> = [];
    const { result } = await pikoStream(url, 'task.Process', [{ taskName: 'seed-task' }], {
      tokens: TOKENS,
      onProgress: (data, type) => progress.push([data, type]),
    });
    assert.deepEqual(progress.map(([, type]) => type), ['progress', 'progress', 'progress', 'progress', 'progress']);
    assert.deepEqual(progress.map(([data]) => (data as { percent: number }).percent), [20, 40, 60, 80, 100]);
    assert.deepEqual(result, { status: 'done', taskName: 'seed-task' });
  });
});
