import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ActionError, StreamEvent } from '../../../src/protocol/index.js';
import { createJsonOutput, jsonLine } from '../../../src/cli/output/json.js';
import { Capture, ClosedPipe, fakeIO } from './helpers.js';
import { wireEvent } from '../../helpers/events.js';

const info = { action: 'task.process', url: 'http://127.0.0.1:4000', streaming: true };

function lines(text: string): unknown[] {
  assert.ok(text.endsWith('\n'), 'every line ends with a newline');
  return text.trimEnd().split('\n').map((line) => JSON.parse(line));
}

describe('json output', () => {
  it('one {event,id,data} line per event, terminal included, written as each arrives', async () => {
    const { io, stdout, stderr } = fakeIO();
    const out = createJsonOutput(io);
    out.start(info);
    out.runId('r1');
    out.event(wireEvent('progress', '1', { step: 1, total: 2 }));
    // Written per event, not at the end: the line is there before finish.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(lines(stdout.text), [{ event: 'progress', id: '1', data: { step: 1, total: 2 } }]);
    // Text that is not JSON, as a Piko server may send: a JSON string in the line.
    out.event(new StreamEvent('log', '', 'raw text'));
    out.event(wireEvent('complete', '3', { done: true }));
    await out.finish({ ok: true, result: { done: true } });
    assert.deepEqual(lines(stdout.text), [
      { event: 'progress', id: '1', data: { step: 1, total: 2 } },
      { event: 'log', id: null, data: 'raw text' },
      { event: 'complete', id: '3', data: { done: true } },
    ]);
    assert.equal(stderr.text, '');
  });

  it('a failure without a terminal event (422) still ends with one error line', async () => {
    const { io, stdout, stderr } = fakeIO();
    const out = createJsonOutput(io);
    out.start(info);
    await out.finish({ ok: false, error: new ActionError(422, 'INVALID_INPUT', 'Input is invalid', { name: ['Required'] }) });
    assert.deepEqual(lines(stdout.text), [
      { event: 'error', id: null, data: { status: 422, code: 'INVALID_INPUT', message: 'Input is invalid', errors: { name: ['Required'] } } },
    ]);
    assert.match(stderr.text, /Input is invalid/);
  });

  it('an error event from the server is not repeated', async () => {
    const { io, stdout } = fakeIO();
    const out = createJsonOutput(io);
    out.start(info);
    const body = { status: 500, code: 'INTERNAL', message: 'boom' };
    out.event(wireEvent('error', '7', body));
    await out.finish({ ok: false, error: ActionError.fromBody(body) });
    assert.deepEqual(lines(stdout.text), [{ event: 'error', id: '7', data: body }]);
  });

  it('--no-stream: the result as one complete line', async () => {
    const { io, stdout } = fakeIO();
    const out = createJsonOutput(io);
    out.start({ ...info, streaming: false });
    await out.finish({ ok: true, result: { n: 1 } });
    assert.deepEqual(lines(stdout.text), [{ event: 'complete', id: null, data: { n: 1 } }]);
  });

  it('ends quietly when the reader goes away (| head -1)', async () => {
    const stdout = new ClosedPipe(1);
    const { io, stderr } = fakeIO({ stdout });
    let closed = 0;
    const out = createJsonOutput(io, { onStdoutClosed: () => closed++ });
    out.start(info);
    // Events over several turns of the event loop, as off a network: a write per turn.
    for (let i = 1; i <= 1000; i++) {
      out.event(wireEvent('progress', String(i), { step: i, total: 1000 }));
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await out.finish({ ok: true, result: null });
    // The pipe took the first turn's write, then closed: nothing more, and no noise.
    assert.deepEqual((lines(stdout.text)[0] as { data: unknown }).data, { step: 1, total: 1000 });
    assert.equal(closed, 1);
    assert.equal(stderr.text, '');
  });

  it('lines of one turn share a write, and each turn is written without waiting for the end', async () => {
    let writes = 0;
    class Counting extends Capture {
      override _write(chunk: Buffer | string, enc: BufferEncoding, cb: (error?: Error | null) => void): void {
        writes++;
        super._write(chunk, enc, cb);
      }
    }
    const stdout = new Counting();
    const { io } = fakeIO({ stdout });
    const out = createJsonOutput(io);
    out.start(info);
    for (let i = 1; i <= 3; i++) out.event(wireEvent('progress', String(i), { step: i }));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lines(stdout.text).length, 3, 'the turn was written before finish');
    assert.equal(writes, 1);
    out.event(wireEvent('complete', '4', 'ok'));
    await out.finish({ ok: true, result: 'ok' });
    assert.equal(lines(stdout.text).length, 4);
    assert.equal(writes, 2);
  });

  it("a line carries the payload's JSON text as sent: byte for byte what parsing and stringifying it gave", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.:-]{0,20}$/), fc.oneof(fc.constant(''), fc.nat().map(String), fc.string()), fc.jsonValue(), (type, id, value) => {
        // As pkt's server sends it, and as the lines were made before: parse, then stringify the whole line.
        const json = JSON.stringify(value);
        const before = JSON.stringify({ event: type, id: id === '' ? null : id, data: JSON.parse(json) });
        assert.equal(jsonLine(new StreamEvent(type, id, json)), before);
      }),
      { numRuns: 1000 },
    );
  });

  it("a pkt server's events (knownJson) are relayed unparsed, byte for byte what parsing and stringifying gives", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.:-]{0,20}$/), fc.oneof(fc.constant(''), fc.nat().map(String), fc.string()), fc.jsonValue(), (type, id, value) => {
        const json = JSON.stringify(value);
        const before = JSON.stringify({ event: type, id: id === '' ? null : id, data: JSON.parse(json) });
        assert.equal(jsonLine(new StreamEvent(type, id, json, true)), before);
      }),
      { numRuns: 1000 },
    );
  });

  it('JSON spread over several data lines by another server still makes one line', () => {
    const line = jsonLine(new StreamEvent('progress', '1', '{\n  "step": 1,\r\n  "total": 2\n}'));
    assert.equal(line, '{"event":"progress","id":"1","data":{"step":1,"total":2}}');
  });

  it('text that is not JSON goes in as a JSON string, and the line stays JSON', () => {
    for (const text of ['raw text', '', '{"half":', 'two\nlines']) {
      const line = jsonLine(new StreamEvent('log', '', text));
      assert.deepEqual(JSON.parse(line), { event: 'log', id: null, data: text });
      assert.ok(!line.includes('\n'), 'one line');
    }
  });
});
