// Runs a person can list, attach to and cancel, that survive a dropped connection (issue 9),
// end to end: a real `pkt serve` on a port the OS picks, real `bin/pkt.js` processes, and a
// loopback TCP proxy the test cuts like a dropped Wi-Fi link.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunInfo } from '../../src/protocol/index.js';
import { ensureBuilt, runPkt, startPkt, until, type PktChild } from '../cli/helpers/pkt-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const T = { timeout: 90_000 };
const started = new Set<PktChild>();

before(() => ensureBuilt());
after(() => {
  for (const p of started) p.child.kill('SIGKILL');
});

function pkt(args: string[]): PktChild {
  const p = startPkt(args);
  started.add(p);
  void p.exited.then(() => started.delete(p));
  return p;
}

/** `pkt serve --port 0 ...extra`, once it has printed its URL. */
async function serve(extra: string[] = []): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const p = pkt(['serve', '--port', '0', ...extra]);
  await until(() => /^pkt serving on http:\/\/127\.0\.0\.1:\d+$/m.test(p.stdout()), 'pkt serve to print its URL');
  const url = /pkt serving on (http:\/\/127\.0\.0\.1:(\d+))/.exec(p.stdout())!;
  return {
    url: url[1]!,
    port: Number(url[2]),
    async stop() {
      p.child.kill('SIGTERM');
      await p.exited;
    },
  };
}

interface Line {
  event: string;
  id: string | null;
  data: unknown;
}
const lines = (text: string): Line[] => text.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

async function runs(url: string): Promise<RunInfo[]> {
  const r = await runPkt(['runs', '--json', '--url', url]);
  assert.equal(r.code, 0, r.stderr);
  return lines(r.stdout) as unknown as RunInfo[];
}

describe('pkt run --detach, pkt runs, pkt attach, pkt cancel', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    server = await serve();
  });
  after(() => server.stop());

  test('--detach prints the run id and how to attach; Ctrl-C says the run goes on', T, async () => {
    const run = pkt(['run', 'task.process', '--name', 'kept', '--steps', '40', '--delayMs', '100', '--detach', '--url', server.url]);
    await until(() => run.stderr().includes('progress'), 'the first event');
    const id = /pkt: run (\S+) is detached: it goes on if pkt stops; follow it with `pkt attach \1 --url (\S+)`/.exec(run.stderr());
    assert.ok(id, run.stderr());
    assert.equal(id[2], server.url);
    run.child.kill('SIGINT');
    assert.equal((await run.exited).code, 130);
    assert.match(run.stderr(), new RegExp(`stopped watching; run ${id[1]} goes on: pkt attach ${id[1]} --url`));
    assert.doesNotMatch(run.stderr(), /cancelled/);

    // Listed, live, with its percent; then attached to: the history from the start, then live, to the end.
    const listed = (await runs(server.url)).find((r) => r.runId === id[1])!;
    assert.deepEqual([listed.state, listed.detached, listed.action], ['live', true, 'task.process']);
    assert.ok(listed.percent !== undefined && listed.percent > 0);
    const table = await runPkt(['runs', '--url', server.url]);
    assert.match(table.stdout.split('\n')[0]!, /^RUN ID\s+ACTION\s+STATE\s+PERCENT\s+AGE\s+DURATION$/);
    assert.match(table.stdout, new RegExp(`${id[1]}\\s+task\\.process\\s+live \\(detached\\)\\s+\\d+%`));

    const attached = await runPkt(['attach', id[1]!, '--json', '--url', server.url]);
    assert.equal(attached.code, 0, attached.stderr);
    const events = lines(attached.stdout);
    assert.deepEqual(events.map((e) => e.id), Array.from({ length: 41 }, (_, i) => String(i + 1)));
    assert.equal(events.at(-1)!.event, 'complete');
    // After N: only what came after.
    const tail = await runPkt(['attach', id[1]!, '--json', '--from', '38', '--url', server.url]);
    assert.deepEqual(lines(tail.stdout).map((e) => e.id), ['39', '40', '41']);
    assert.equal((await runs(server.url)).find((r) => r.runId === id[1])!.state, 'completed');
  });

  test('pkt attach in plain mode draws what pkt run draws; Ctrl-C stops watching and leaves the run going', T, async () => {
    const start = await runPkt(['run', 'task.process', '--name', 'w', '--steps', '2', '--delayMs', '0', '--url', server.url]);
    assert.equal(start.code, 0);
    const runId = /^run (\S+)$/m.exec(start.stderr)![1]!;
    const attached = await runPkt(['attach', runId, '--url', server.url]);
    assert.equal(attached.code, 0);
    // The same lines, the same result: only the time it took may differ.
    const strip = (text: string) => text.replace(/done in [\d.]+ s/, 'done in …');
    assert.equal(strip(attached.stderr), strip(start.stderr));
    assert.equal(attached.stdout, start.stdout);

    const live = pkt(['run', 'task.process', '--name', 'long', '--steps', '100', '--delayMs', '100', '--detach', '--json', '--url', server.url]);
    await until(() => /is detached/.test(live.stderr()), 'the detached run');
    const id = /pkt: run (\S+) is detached/.exec(live.stderr())![1]!;
    live.child.kill('SIGINT');
    await live.exited;
    const watcher = pkt(['attach', id, '--url', server.url]);
    await until(() => watcher.stderr().includes('progress'), 'the attach to draw');
    watcher.child.kill('SIGINT');
    assert.equal((await watcher.exited).code, 130);
    assert.match(watcher.stderr().trimEnd().split('\n').at(-1)!, new RegExp(`^stopped watching; run ${id} goes on: pkt attach ${id}`));
    assert.equal((await runs(server.url)).find((r) => r.runId === id)!.state, 'live');

    const cancel = await runPkt(['cancel', id, '--url', server.url]);
    assert.deepEqual([cancel.code, cancel.stdout], [0, `cancelled run ${id}\n`]);
    const again = await runPkt(['cancel', id, '--url', server.url]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /had already ended/);
    const unknown = await runPkt(['cancel', 'no-such-run', '--url', server.url]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no run no-such-run/);
    assert.equal((await runs(server.url)).find((r) => r.runId === id)!.state, 'cancelled');
    assert.equal((await runPkt(['attach', 'no-such-run', '--url', server.url])).code, 2);
  });

  test('--state filters, and live runs come first', T, async () => {
    const all = await runs(server.url);
    const states = all.map((r) => r.state);
    const firstEnded = states.findIndex((s) => s !== 'live');
    assert.ok(firstEnded === -1 || states.slice(firstEnded).every((s) => s !== 'live'), states.join());
    const done = await runPkt(['runs', '--state', 'completed', '--json', '--url', server.url]);
    assert.ok(lines(done.stdout).length > 0);
    assert.ok(lines(done.stdout).every((r) => (r as unknown as RunInfo).state === 'completed'));
  });
});

describe('against the embedded server (no --url)', () => {
  test('pkt runs, attach and cancel say that its runs end with pkt', T, async () => {
    const list = await runPkt(['runs']);
    assert.equal(list.code, 0);
    assert.equal(list.stdout, 'no runs\n');
    assert.match(list.stderr, /a run of `pkt run` without --url ends with its pkt/);
    const attach = await runPkt(['attach', 'abc']);
    assert.equal(attach.code, 2);
    assert.match(attach.stderr, /pkt asked a server it started just now, which has no runs/);
    assert.equal((await runPkt(['cancel', 'abc'])).code, 2);
  });
});

describe('a dropped connection', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  let proxy: TcpProxy;
  before(async () => {
    server = await serve(['--linger', '400ms']);
    proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
  });
  after(async () => {
    await proxy.close();
    await server.stop();
  });

  test('pkt run re-attaches by itself and gets every event exactly once; stderr says reconnecting…', T, async () => {
    const run = pkt(['run', 'task.process', '--name', 'wifi', '--steps', '30', '--delayMs', '50', '--json', '--url', proxy.url]);
    await until(() => lines(run.stdout()).length >= 5, 'five events');
    assert.ok(proxy.cut() > 0, 'no connection to cut');
    await until(() => lines(run.stdout()).length >= 15, 'ten more events');
    proxy.cut();
    const { code } = await run.exited;
    assert.equal(code, 0, run.stderr());
    const events = lines(run.stdout());
    assert.deepEqual(events.map((e) => e.id), Array.from({ length: 31 }, (_, i) => String(i + 1)));
    assert.equal(events.at(-1)!.event, 'complete');
    assert.match(run.stderr(), /pkt: reconnecting… \(attempt 1 of 5/);
    assert.match(run.stderr(), /pkt: reconnected/);
  });

  test('--no-retry: the view ends with the connection, and the run is cancelled', T, async () => {
    const run = pkt(['run', 'task.process', '--name', 'once', '--steps', '30', '--delayMs', '50', '--no-retry', '--url', proxy.url]);
    await until(() => run.stderr().includes('progress'), 'the first event');
    const runId = /^run (\S+)$/m.exec(run.stderr())![1]!;
    proxy.cut();
    const { code } = await run.exited;
    assert.equal(code, 1);
    assert.match(run.stderr(), /stream ended without completion/);
    assert.doesNotMatch(run.stderr(), /reconnecting/);
    await until(async () => (await runs(server.url)).find((r) => r.runId === runId)?.state === 'cancelled', 'the run to be cancelled');
  });

  test('linger: a client that vanishes without a word is cancelled once nobody re-attached in time', T, async () => {
    const run = pkt(['run', 'task.process', '--name', 'gone', '--steps', '100', '--delayMs', '50', '--url', server.url]);
    await until(() => run.stderr().includes('progress'), 'the first event');
    const runId = /^run (\S+)$/m.exec(run.stderr())![1]!;
    // SIGKILL: no Ctrl-C handler, no DELETE; only the connection drops.
    run.child.kill('SIGKILL');
    await run.exited;
    await until(async () => (await runs(server.url)).find((r) => r.runId === runId)?.state === 'cancelled', 'the linger to end');
    const attached = await runPkt(['attach', runId, '--json', '--url', server.url]);
    const last = lines(attached.stdout).at(-1)!;
    assert.equal(last.event, 'error');
    assert.match(JSON.stringify(last.data), /nobody re-attached within 400 ms/);
    assert.equal(attached.code, 1, attached.stderr);
  });
});
