// multipart/form-data input (issue 13, §1): fields, files, the body limit, and schemas that
// require files, for plain calls and streams alike, over real sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { z } from 'zod';
import { defineAction } from '../../src/server/index.js';
import { BASE, readStream, withServer } from '../helpers/server.js';

interface Seen {
  title: string;
  copies: number;
  draft: boolean;
  doc: { name: string; type: string; size: number; text: string; isFile: boolean };
  extra?: string[];
}

/** What an action saw of its file: read through the stream it was handed, not through text(). */
async function describe(file: File): Promise<Seen['doc']> {
  let text = '';
  const utf8 = new TextDecoder();
  for await (const chunk of file.stream() as unknown as AsyncIterable<Uint8Array>) text += utf8.decode(chunk, { stream: true });
  return { name: file.name, type: file.type, size: file.size, text: text + utf8.decode(), isFile: file instanceof File };
}

const upload = defineAction({
  input: z.object({
    title: z.string(),
    copies: z.number().int().min(1),
    draft: z.boolean().default(false),
    doc: z.file(),
    extra: z.array(z.string()).optional(),
  }),
  call: async ({ doc, ...rest }) => ({ ...rest, doc: await describe(doc) }),
  async streamProgress({ doc, ...rest }, stream) {
    await stream.send('progress', { message: `got ${doc.name}` });
    await stream.sendComplete({ ...rest, doc: await describe(doc) });
  },
});

const actions = { 'files.upload': upload };

function form(parts: Record<string, string | Blob | [Blob, string] | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    if (Array.isArray(value) && typeof value[0] === 'string') for (const v of value as string[]) data.append(name, v);
    else if (Array.isArray(value)) data.append(name, value[0] as Blob, value[1] as string);
    else data.append(name, value as string | Blob);
  }
  return data;
}

const doc = (): [Blob, string] => [new Blob(['héllo\nworld'], { type: 'text/plain' }), 'notes.txt'];

test('a plain call: text fields typed by the schema, repeated fields a list, the file with name, type, size and a stream', () =>
  withServer({ actions }, async ({ url }) => {
    const res = await fetch(`${url}${BASE}/files.upload`, {
      method: 'POST',
      body: form({ title: 'Report', copies: '3', draft: 'true', doc: doc(), extra: ['a', 'b'], _csrf_ephemeral_token: 'tok' }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), {
      title: 'Report',
      copies: 3,
      draft: true,
      extra: ['a', 'b'],
      doc: { name: 'notes.txt', type: 'text/plain', size: Buffer.byteLength('héllo\nworld'), text: 'héllo\nworld', isFile: true },
    });
  }));

test('a stream gets the file too', () =>
  withServer({ actions }, async ({ url }) => {
    const res = await fetch(`${url}${BASE}/files.upload`, {
      method: 'POST',
      headers: { Accept: 'text/event-stream' },
      body: form({ title: 'T', copies: '1', doc: doc() }),
    });
    const { events } = await readStream(res);
    assert.deepEqual(events.map((e) => e.type), ['progress', 'complete']);
    assert.deepEqual(events[0]!.data, { message: 'got notes.txt' });
    assert.deepEqual((events[1]!.data as Seen).doc.text, 'héllo\nworld');
    assert.equal((events[1]!.data as Seen).draft, false);
  }));

test('a Blob without a file name (as FormData sends one) is a file named blob', () =>
  withServer({ actions }, async ({ url }) => {
    const data = new FormData();
    data.append('title', 't');
    data.append('copies', '1');
    data.append('doc', new Blob(['x']));
    const res = await fetch(`${url}${BASE}/files.upload`, { method: 'POST', body: data });
    const body = (await res.json()) as Seen;
    assert.deepEqual([body.doc.name, body.doc.size, body.doc.type], ['blob', 1, 'application/octet-stream']);
  }));

test('a schema that requires a file refuses a form without one, and text that is no number, with a 422 per field', () =>
  withServer({ actions }, async ({ url }) => {
    const res = await fetch(`${url}${BASE}/files.upload`, { method: 'POST', body: form({ title: 't', copies: 'three' }) });
    assert.equal(res.status, 422);
    const body = (await res.json()) as { code: string; errors: Record<string, string[]> };
    assert.equal(body.code, 'INVALID_INPUT');
    assert.deepEqual(Object.keys(body.errors).sort(), ['copies', 'doc']);
    assert.match(body.errors.doc!.join(), /file/);
  }));

test('a form over the body limit is 413 TOO_LARGE, whether or not it says its length first', () =>
  withServer({ actions, limits: { maxBodyBytes: 2048 } }, async ({ url }) => {
    const big = form({ title: 't', copies: '1', doc: [new Blob(['x'.repeat(4096)]), 'big.bin'] });
    const declared = await fetch(`${url}${BASE}/files.upload`, { method: 'POST', body: big });
    assert.equal(declared.status, 413);
    assert.equal(((await declared.json()) as { code: string }).code, 'TOO_LARGE');

    // Chunked, so only counting the bytes as they come can catch it.
    const request = new Request(`${url}${BASE}/files.upload`, { method: 'POST', body: big });
    const chunked = await fetch(`${url}${BASE}/files.upload`, {
      method: 'POST',
      headers: { 'Content-Type': request.headers.get('content-type')! },
      body: request.body,
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.equal(((await chunked.json()) as { code: string }).code, 'TOO_LARGE');
  }));

test('a multipart Content-Type without a boundary, or a body cut short, is 400 BAD_MULTIPART', () =>
  withServer({ actions }, async ({ url }) => {
    const noBoundary = await fetch(`${url}${BASE}/files.upload`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data' },
      body: 'whatever',
    });
    assert.equal(noBoundary.status, 400);
    const body = (await noBoundary.json()) as { code: string; message: string };
    assert.equal(body.code, 'BAD_MULTIPART');
    assert.match(body.message, /boundary/);

    // A part that never ends: the body stops before its closing boundary.
    const port = new URL(url).port;
    const text = '--XX\r\nContent-Disposition: form-data; name="title"\r\n\r\nunfinished';
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let got = '';
      socket.on('data', (d) => (got += d.toString()));
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
      // Written, not ended: a half-closed socket may be closed before the answer goes out.
      socket.write(
        `POST ${BASE}/files.upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    });
    assert.match(answer, /^HTTP\/1\.1 400/);
    assert.match(answer, /BAD_MULTIPART/);
  }));
