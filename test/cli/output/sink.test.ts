import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSink } from '../../../src/cli/output/sink.js';
import { Capture, ClosedPipe } from './helpers.js';

describe('createSink', () => {
  it('writes in order and flushes', async () => {
    const stream = new Capture();
    const sink = createSink(stream);
    sink.write('a\n');
    sink.write('b\n');
    await sink.flush();
    assert.equal(stream.text, 'a\nb\n');
    sink.dispose();
  });

  it('flush waits until a slow stream has taken every write', async () => {
    class Slow extends Capture {
      override _write(chunk: Buffer | string, enc: BufferEncoding, cb: (error?: Error | null) => void): void {
        setImmediate(() => super._write(chunk, enc, cb));
      }
    }
    const stream = new Slow();
    const sink = createSink(stream);
    for (let i = 0; i < 50; i++) sink.write(`${i}\n`);
    assert.ok(stream.chunks.length < 50, 'the stream is still busy');
    await sink.flush();
    assert.equal(stream.chunks.length, 50);
    sink.dispose();
  });

  it('ends quietly on EPIPE: tells its owner once, drops later writes, flush settles', async () => {
    const stream = new ClosedPipe(1);
    const closed: Error[] = [];
    const sink = createSink(stream, (e) => closed.push(e));
    for (let i = 0; i < 100; i++) sink.write(`line ${i}\n`);
    await sink.flush();
    // Let the stream report its error.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stream.text, 'line 0\n');
    assert.equal(sink.closed, true);
    assert.equal(closed.length, 1);
    assert.equal((closed[0] as NodeJS.ErrnoException).code, 'EPIPE');
    sink.write('after\n');
    await sink.flush();
    sink.dispose();
    // A late error after dispose must not crash the process either.
    assert.equal(stream.emit('error', new Error('late')), true);
  });

  it('does not write to a stream that already ended', async () => {
    const stream = new Capture();
    stream.end();
    const closed: Error[] = [];
    const sink = createSink(stream, (e) => closed.push(e));
    sink.write('x');
    await sink.flush();
    assert.equal(stream.text, '');
    assert.equal(closed.length, 1);
    assert.equal((closed[0] as NodeJS.ErrnoException).code, 'ERR_STREAM_DESTROYED');
  });

  it('whenWritable: at once below the high-water mark; after a full stream drains, only then', async () => {
    let release: () => void = () => {};
    class Stuck extends Capture {
      override _write(chunk: Buffer | string, enc: BufferEncoding, cb: (error?: Error | null) => void): void {
        release = () => super._write(chunk, enc, cb);
      }
    }
    const stream = new Stuck();
    const sink = createSink(stream);
    await sink.whenWritable();
    sink.write('x'.repeat(stream.writableHighWaterMark + 1));
    let ready = false;
    const waiting = sink.whenWritable().then(() => (ready = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ready, false, 'a full stream is not ready');
    release();
    await waiting;
    assert.equal(stream.text.length, stream.writableHighWaterMark + 1);
    sink.dispose();
  });

  it('whenWritable settles when a full stream fails instead of draining', async () => {
    class Full extends Capture {
      override _write(_chunk: Buffer | string, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
        setImmediate(() => cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
      }
    }
    const stream = new Full();
    const sink = createSink(stream, () => {});
    sink.write('x'.repeat(stream.writableHighWaterMark + 1));
    await sink.whenWritable();
    assert.equal(sink.closed, true);
    sink.dispose();
  });
});
