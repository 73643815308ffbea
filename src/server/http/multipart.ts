// Reads a multipart/form-data body into an input object: what Piko's client sends when the
// input holds a File or Blob, and what `pkt run --file` sends. busboy parses the parts; this
// file holds the body to the server's one size limit and says what each failure means.
//
// Text fields become strings (a name sent twice becomes a list); file parts become Web `File`
// objects (name, type, size, and `stream()`/`text()`/`arrayBuffer()`), which zod's `z.file()`
// accepts. Files are kept in memory: the whole body is within the body limit anyway, and an
// action gets a file whose size is known, as a browser's File has.

import type { RequestIn } from './exchange.js';
import { bodyReadElsewhere } from './parsed-body.js';
import { File } from 'node:buffer';
import busboy from 'busboy';
import { ActionError } from '../../protocol/index.js';
import { tooLarge, type BodyLimits } from './body.js';

/** Parts in one body: far more than any form has, few enough that a flood of tiny parts stops early. */
const MAX_PARTS = 1000;

export function readMultipartInput(req: RequestIn, limits: BodyLimits): Promise<Record<string, unknown>> {
  const max = limits.maxBodyBytes;
  if (Number(req.headers['content-length']) > max) return Promise.reject(tooLarge(max));
  if (req.readableEnded) return Promise.reject(bodyReadElsewhere());
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { parts: MAX_PARTS, fieldSize: max, fileSize: max }, defParamCharset: 'utf8' });
  } catch (err) {
    // No boundary in the Content-Type, most often: a hand-written header.
    return Promise.reject(badForm(`${(err as Error).message}; let the HTTP library write the multipart Content-Type, boundary included`));
  }
  return new Promise((resolve, reject) => {
    // Object.fromEntries at the end: a part named __proto__ is then an own key like any other.
    const values = new Map<string, unknown>();
    const files: Promise<void>[] = [];
    let failed = false;
    const fail = (error: ActionError) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      // Stops parsing: what is left of the body is read and dropped before the error answer
      // goes (discard-body.ts), so the client, still sending, reads it.
      req.pause();
      reject(error);
    };
    const add = (name: string, value: unknown) => {
      const had = values.get(name);
      values.set(name, had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value]);
    };

    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) fail(tooLarge(max));
    });
    req.on('error', (err) => fail(badForm(`the body was cut off (${err.message})`)));
    parser.on('field', (name, value) => add(name, value));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      files.push(
        new Promise((done) =>
          stream.on('close', () => {
            // An empty file input of an HTML form still sends a part, with no name and no bytes.
            if (info.filename || chunks.length > 0) {
              add(name, new File(chunks, info.filename ?? 'blob', { type: info.mimeType || 'application/octet-stream' }));
            }
            done();
          }),
        ),
      );
    });
    parser.on('partsLimit', () => fail(badForm(`more than ${MAX_PARTS} parts; send fewer fields and files`)));
    parser.on('error', (err) => fail(badForm((err as Error).message)));
    parser.on('close', () => {
      void Promise.all(files).then(() => {
        if (!failed) resolve(Object.fromEntries(values));
      });
    });
    req.pipe(parser);
  });
}

function badForm(why: string): ActionError {
  return new ActionError(400, 'BAD_MULTIPART', `the multipart/form-data body cannot be read: ${why}`);
}
